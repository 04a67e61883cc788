"""English speaker phrases: what kind of phrase stands where a speaker is named (a name, a
pronoun, a group such as `police`, a role such as `the professor`) and the name in it.
"""

from __future__ import annotations

import re

from newsenrich.nlp.quotes.document import QuoteDoc, Token, comma_groups, is_adverb, is_capitalised
from newsenrich.nlp.text import normalize
from newsenrich.nlp.values import NO_PHRASE, SpeakerPhrase

DETERMINERS_EN = frozenset(
    ["the", "a", "an", "his", "her", "their", "its", "our", "this", "that", "these", "those"]
)


_PREPOSITIONS_EN = frozenset(["at", "of", "for", "from", "with", "in", "on", "to", "by"])


_BRIDGES = frozenset({"of", "for", "and", "&"})  # inside a name: `Ministry of Energy`, `Burton and Nick`


NAME_PARTICLES = frozenset(
    [
        "de",
        "da",
        "del",
        "della",
        "di",
        "du",
        "van",
        "von",
        "der",
        "den",
        "bin",
        "ibn",
        "al",
        "el",
        "la",
        "le",
        "mc",
        "st.",
    ]
)


def _strip_possessive(s: str) -> str:
    return re.sub(r"['’]s$|['’]$", "", s)


def _name_run_en(doc: QuoteDoc, group: list[Token]) -> list[Token] | None:
    """The last run of capitalised tokens in `group` that is a name, role words cut from its front."""
    lex = doc.lex
    runs: list[list[Token]] = []
    cur: list[Token] = []
    for t in group:
        low = t.text.lower()
        if is_capitalised(t) or (cur and (low in NAME_PARTICLES or low in _BRIDGES)):
            cur.append(t)
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    for run in reversed(runs):
        while run and (run[-1].text.lower() in NAME_PARTICLES or run[-1].text.lower() in _BRIDGES):
            run = run[:-1]
        # `Emergency Management Minister Kelly Grant`, `State Sen. Rachel Moreno`: the name
        # follows the last role word of the run.
        k = 0
        for j, t in enumerate(run[:-1]):
            low = t.text.lower().rstrip(".")
            if low in lex.role_words or low in DETERMINERS_EN:
                k = j + 1
        name = [t for t in run[k:] if t.text.lower() not in DETERMINERS_EN]
        if name and not all(normalize(_strip_possessive(t.text)) in lex.group_nouns for t in name):
            if len(name) == 1 and lex.pronouns.get(name[0].text.lower(), "?") != "?":
                continue
            return name
    return None


def _name_phrase(name: list[Token]) -> SpeakerPhrase:
    """A name standing on its own (an apposition, a subject after a group): its words and place."""
    return SpeakerPhrase(np="name", name=" ".join(t.text for t in name), region=(name[0].start, name[-1].end))


def speaker_phrase_en(doc: QuoteDoc, tokens: list[Token]) -> SpeakerPhrase:
    """What an English speaker phrase is: a name, a pronoun, a group, a role, anonymous, or a nominal."""
    lex = doc.lex
    tokens = [t for t in tokens if not is_adverb(lex, t)]
    if not tokens:
        return NO_PHRASE
    groups = comma_groups(doc, tokens)
    g0 = groups[0]
    region = (g0[0].start, g0[-1].end)
    first = g0[0].text.lower()
    if len(g0) == 1 and first in lex.pronouns:
        return SpeakerPhrase(np="pronoun", name=g0[0].text, gender=lex.pronouns[first], region=region)
    # The head noun: the first group, anonymous or role word after determiners and modifiers.
    head_at = next(
        (
            k
            for k, t in enumerate(g0)
            if normalize(_strip_possessive(t.text))
            in lex.group_nouns | lex.anonymous_nouns | lex.statement_nouns
            and not is_capitalised(t)
        ),
        None,
    )
    name = _name_run_en(doc, g0)
    if name and len(name) == 1 and g0[0].text.lower() == "the" and re.search(r"(?:wo)?m[ae]n$", name[0].text):
        # `the Dutchman said`: a demonym is a description of someone the article named.
        return SpeakerPhrase(np="role", head=name[0].text.lower(), region=region)
    if name and (head_at is None or name[0].start > g0[head_at].end):
        # `Voltaris chief executive Angela Brooks`: a name after the head noun is the person.
        return SpeakerPhrase(np="name", name=" ".join(_strip_possessive(t.text) for t in name), region=region)
    name = _name_run_en(doc, g0 if head_at is None else g0[:head_at])
    apposition = len(groups) > 1 and name_group(doc, groups[1])
    if head_at is not None and apposition and (nm := _name_run_en(doc, groups[1])):
        # `Delta Bank's chief analyst, Ben Ortiz,`: the apposition names the person.
        return _name_phrase(nm)
    if head_at is not None:
        head = normalize(_strip_possessive(g0[head_at].text))
        rest = g0[head_at + 1 :] + [t for g in groups[1:2] for t in g]
        org = None
        if rest and rest[0].text.lower() in _PREPOSITIONS_EN:
            org = _name_run_en(doc, rest[1:])
        if head in lex.statement_nouns and head not in lex.group_nouns:
            return SpeakerPhrase(np="statement", head=head, region=region)
        if head in lex.group_nouns:
            mods = [t for t in g0[:head_at] if t.text.lower() not in DETERMINERS_EN]
            named = any(is_capitalised(t) for t in mods)  # `The Russian government`, `Richmond police`
            text = doc.text_of([*mods, g0[head_at]]) if named else None
            return SpeakerPhrase(np="group", head=head, name=text, region=region)
        inner = _name_run_en(doc, g0[:head_at])
        if inner and re.search(r"-(based|born|area|led)$", inner[-1].text.lower()):
            inner = None  # `a Singapore-based trader`: where the person is, not who they speak for
        org_tokens = org or inner
        if org_tokens:
            return SpeakerPhrase(
                np="org_of",
                name=" ".join(t.text for t in org_tokens),
                head=head,
                region=region,
            )
        if g0[0].text.lower() in {"the", "this", "that"} and head in lex.role_words:
            return SpeakerPhrase(np="role", head=head, region=region)
        if len(groups) > 1 and (nm := _name_run_en(doc, groups[1])):
            return _name_phrase(nm)
        return SpeakerPhrase(np="anonymous", head=head, region=region)
    if name:
        return SpeakerPhrase(np="name", name=" ".join(_strip_possessive(t.text) for t in name), region=region)
    low = [t.text.lower() for t in g0]
    roles = [w for w in low if w in lex.role_words and w not in DETERMINERS_EN]
    if roles and low[0] in {"the", "this", "that"}:
        if len(groups) > 1 and (nm := _name_run_en(doc, groups[1])):
            return _name_phrase(nm)
        return SpeakerPhrase(np="role", head=roles[-1], region=region)
    if low[0] in {"a", "an"} and roles:
        return SpeakerPhrase(np="anonymous", head=roles[-1], region=region)
    if len(g0) <= 4:
        return SpeakerPhrase(np="nominal", name=doc.text_of(g0), region=region)
    return NO_PHRASE


def name_group(doc: QuoteDoc, group: list[Token]) -> bool:
    """`Professor Helen Marsh`, `David Ross`: a comma group that is a name, not an apposition."""
    return (
        bool(group)
        and is_capitalised(group[0])
        and is_capitalised(group[-1])
        and group[0].text.lower() not in DETERMINERS_EN
    )
