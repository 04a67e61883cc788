"""Arabic speaker phrases: a name, a pronoun or honorific, a group (`الوزارة`), a role in
construct (`وزير الخارجية`), or an organisation a role belongs to, and the name in it.
"""

from __future__ import annotations

import re

from newsenrich.nlp.lexicon import Lexicon
from newsenrich.nlp.quotes.document import CLAUSE_PUNCT, QuoteDoc, Token, comma_groups
from newsenrich.nlp.text import NAME_HEADS, normalize
from newsenrich.nlp.values import NO_PHRASE, SpeakerPhrase


def _is_definite(token: str) -> bool:
    return normalize(token).startswith("ال")


_NAME_TAILS = frozenset(normalize(w) for w in ("الدين", "الله", "الرحمن", "الإسلام", "الحق", "العابدين"))


def _construct_role(doc: QuoteDoc, group: list[Token]) -> bool:
    """The group opens with an indefinite noun in construct, then a name: `استشاري الأمراض المعدية فيصل`.

    Only when a name follows the definite words: `محمود الفقي في …` and `عبد الله`,
    `نور الدين`, `أبو العلا` are names themselves.
    """
    if len(group) < 3:
        return False
    a, b = normalize(group[0].text), normalize(group[1].text)
    if _is_definite(a) or not _is_definite(b) or a in NAME_HEADS or b in _NAME_TAILS or len(a) <= 2:
        return False
    k = 2
    while k < len(group) and _is_definite(group[k].text):
        k += 1
    return k < len(group) and not doc.is_stop(group[k]) and not _is_definite(group[k].text)


def group_name(doc: QuoteDoc, group: list[Token]) -> list[Token] | None:
    """The name in one comma group of an Arabic speaker phrase, role nouns and their complements skipped."""
    lex = doc.lex
    words: list[Token] = []
    after_role = False
    for k, t in enumerate(group):
        if words and normalize(words[-1].text) in NAME_HEADS and not lex.cue(t.text):
            words.append(t)  # `أبو علي`, `أم حسن`: a kunya's second word is a name, whatever it spells
            continue
        if doc.is_stop(t) or lex.cue(t.text) or lex.is_in(t.text, lex.manner_words | lex.speech_nouns):
            break
        if lex.pronoun(t.text) or lex.suffix_of(t.text):
            break  # `بدرية وهي ترتب`, `بيده`: a pronoun, free or attached, is never part of a name
        if lex.is_in(t.text, lex.group_nouns) and not (after_role and not words):
            break  # `مؤسسة …`, `شركة …` head an organisation's name; `محافظ البنك` is a role
        if re.match("^(?:و|ف)?(?:بال|لل|كال)", normalize(t.text)) and words:
            break  # `سمير حداد بالقرار`: a prepositional phrase ends the name
        if not words and (lex.is_role(t.text) or (after_role and _is_definite(t.text))):
            after_role = True
            continue
        if k == 0 and _construct_role(doc, group):
            after_role = True  # `استشاري الأمراض المعدية فيصل المطيري`: a role in construct
            continue
        words.append(t)
        if len(words) == 4:
            break
    # `الإسباني خافيير مورينو`: a leading nisba adjective describes the person, it is not the name.
    while len(words) > 1 and _is_definite(words[0].text) and not _is_definite(words[1].text):
        words = words[1:]
    if words and not all(_is_definite(t.text) for t in words):
        return words
    if words and len(words) <= 2 and not any(is_common_noun(lex, t.text) for t in words):
        return words  # a surname with the article: `قالت الشريف`
    return None


def _role_phrase(doc: QuoteDoc, group: list[Token]) -> bool:
    """A comma group that describes a person (`رئيسة قسم الأبحاث`, `استشاري الأمراض المعدية`)."""
    first = group[0]
    if doc.lex.is_role(first.text):
        return True
    if len(group) < 2:
        return False
    a, b = normalize(first.text), normalize(group[1].text)
    return (
        not _is_definite(a)
        and _is_definite(b)
        and a not in NAME_HEADS
        and b not in _NAME_TAILS
        and len(group) > 2
    )


def _name_in_ar(doc: QuoteDoc, tokens: list[Token]) -> list[Token] | None:
    """The name in an Arabic speaker phrase (the tokens after a VSO cue).

    `وزير المالية أحمد الشوابكة` -> أحمد الشوابكة. A role phrase followed by a
    comma group is the press's apposition (`رئيسة قسم الأبحاث في الاتحاد، منى
    الشريف،`, `رئيس مجلس إدارة شركة «…»، طارق الهنائي،`): the group after it is
    the name. A name closing a long description (`المحلل في مؤسسة «X» مازن
    يوسف`) is found from the end.
    """
    lex = doc.lex
    groups = comma_groups(doc, tokens)
    if (
        len(groups) >= 2
        and _role_phrase(doc, groups[0])
        and len(groups[1]) <= 4
        and normalize(groups[1][0].text) not in {"وهو", "وهي", "وهم", "هو", "هي"}
    ):
        name = group_name(doc, groups[1])
        if not name and len(groups[1]) >= 2 and groups[1][0].text.endswith("ي") and doc.is_stop(groups[1][0]):
            # `مدير الدار، علي الخفاجي،`: an apposition never opens with a preposition, so a
            # name spelled like one once ى and ي are folded (علي / على) is the name.
            name = [groups[1][0], *(group_name(doc, groups[1][1:]) or [])]
        if name:
            return name
    for group in groups:
        name = group_name(doc, group)
        if name:
            return name
    first = groups[0] if groups else tokens
    run: list[Token] = []
    for t in reversed(first):
        if run and any(not ch.isspace() for ch in doc.gap(t.end, run[0].start)):
            break
        if doc.is_stop(t) and run:
            # `الوزير … عقده اليوم في عمّان`: the object of a preposition is a time or a
            # place, never the one speaking.
            return None
        if doc.is_stop(t) or lex.is_role(t.text) or lex.cue(t.text) or len(run) == 4:
            break
        if lex.is_in(t.text, lex.group_nouns) or re.match("^(?:و|ف)?(?:بال|لل|كال)", normalize(t.text)):
            break  # `بالصبر`, `للشركة`: a prepositional phrase, not a name
        if lex.pronoun(t.text) or lex.suffix_of(t.text):
            break
        run.insert(0, t)
    if run and not all(_is_definite(t.text) for t in run):
        return run
    return None


def is_common_noun(lex: Lexicon, token: str) -> bool:
    words = lex.role_words | lex.group_nouns | lex.statement_nouns | lex.anonymous_nouns | lex.speech_nouns
    return lex.is_role(token) or lex.is_in(token, words | lex.manner_words) or lex.is_stop(token)


def _organisation_of(doc: QuoteDoc, tokens: list[Token]) -> Token | None:
    """The group noun a person phrase belongs to: `مسؤول رفيع في الوزارة`, `والي البنك`.

    Only in construct (right after the person noun) or after في/من/لدى/ب; a
    noun with ل is whom the person spoke to (`لوكالة فرانس برس`), not theirs.
    """
    lex = doc.lex
    for k, t in enumerate(tokens[1:], 1):
        n = normalize(t.text)
        if not lex.is_in(t.text, lex.group_nouns):
            continue
        if n.startswith("ل") and not n.startswith("ال"):
            continue
        prev = normalize(tokens[k - 1].text)
        if k == 1 or prev in {"في", "من", "لدى", "داخل"} or (n.startswith("ب") and not n.startswith("ال")):
            return t
    return None


def _role_of_organisation(doc: QuoteDoc, tokens: list[Token], name: list[Token]) -> bool:
    """`وكيل وزارة الصحة`, `مدير هيئة الطرق`: a role whose complement is an organisation's name.

    The one speaking holds the role (the article named her, `سحر عبدالمنعم وكيل وزارة الصحة`);
    the organisation is only whose role it is, and speaks only when nobody holds it.
    """
    lex = doc.lex
    return (
        len(tokens) > 1
        and name[0] is tokens[1]
        and lex.is_role(tokens[0].text)
        and lex.is_in(tokens[1].text, lex.group_nouns)
    )


def speaker_phrase_ar(doc: QuoteDoc, tokens: list[Token]) -> SpeakerPhrase:
    """What an Arabic speaker phrase (after a VSO cue) is."""
    lex = doc.lex
    if not tokens:
        return NO_PHRASE
    first = tokens[0]
    region = (first.start, tokens[-1].end)
    if lex.is_in(first.text, lex.manner_words | lex.speech_nouns | lex.masdars) or doc.is_stop(first):
        return NO_PHRASE
    n0 = normalize(first.text)
    if n0.startswith("لل") or (n0.startswith("ل") and len(tokens) == 1 and lex.is_role(n0[1:])):
        return NO_PHRASE  # `وقال للمحافظ`: whom it was said to; the speaker is the sentence's subject
    honorific = lex.honorific(first.text)
    if honorific is not None:
        # `وقال سموه`, `وأكدت معاليها`: the dignitary the article named with that honorific.
        return SpeakerPhrase(np="pronoun", name=first.text, gender=honorific[1], head=honorific[0])
    if lex.pronoun(first.text):
        # `ويضيف وهو يشير بيده`: a circumstantial clause about the one already speaking.
        return SpeakerPhrase(np="pronoun", name=None, gender=lex.pronoun(first.text))
    norm = [normalize(t.text) for t in tokens]
    if norm[0] in lex.anonymous_nouns:
        org = _organisation_of(doc, tokens)
        if org is not None:
            return SpeakerPhrase(np="group", head=normalize(org.text), region=region)
        return SpeakerPhrase(np="anonymous", head=norm[0], region=region)
    if lex.is_in(first.text, lex.group_nouns):
        # `هيئة الطرق والمواصلات`, `المكتب الوطني للكهرباء`: a group noun with its complement is
        # the organisation's own name; `الوزارة` alone stands for one named elsewhere.
        named: list[Token] = [first]
        for t in tokens[1:]:
            if doc.is_stop(t) or any(ch in CLAUSE_PUNCT + "()" for ch in doc.gap(named[-1].end, t.start)):
                break
            named.append(t)
        text = doc.text_of(named) if len(named) > 1 else None
        return SpeakerPhrase(np="group", head=norm[0], name=text, region=region)
    if norm[0] in lex.statement_nouns:
        return SpeakerPhrase(np="statement", head=norm[0], region=region)
    name = _name_in_ar(doc, tokens)
    if name and not _role_of_organisation(doc, tokens, name):
        return SpeakerPhrase(np="name", name=" ".join(t.text for t in name), region=region)
    if lex.is_role(first.text):
        # A role and no name: the person the article gave that role (رئيس الحكومة، سعد …),
        # else the organisation it belongs to when one is named (والي البنك -> the bank).
        # An honorific before the role is its title: the role is the noun after it
        # (`سعادة المدير العام للصندوق` is the director).
        while len(tokens) > 1 and lex.honorific_host(norm[0]) and lex.is_role(tokens[1].text):
            tokens, norm = tokens[1:], norm[1:]
        org = _organisation_of(doc, tokens)
        # `الوزير السوري` after two ministers were introduced: the nisba adjective tells them apart.
        nisba = (
            norm[1] if len(norm) > 1 and norm[1].startswith("ال") and norm[1].endswith(("ي", "يه")) else ""
        )
        return SpeakerPhrase(
            np="role",
            head=norm[0],
            of=normalize(org.text) if org else None,
            qualifier=nisba if nisba and not is_common_noun(lex, tokens[1].text) else None,
            region=region,
        )
    return NO_PHRASE
