"""Mentions that are not names, or not only names, cut back before clustering: leading roles and
titles, function words, calendar words, cue verbs run into a name, lists of names tagged as one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from functools import lru_cache

from newsenrich.nlp import gazetteer, lexicon
from newsenrich.nlp.entities.arabic_spans import ORG_HEAD_WORDS
from newsenrich.nlp.entities.clustering import FUNCTION_WORDS, Cluster
from newsenrich.nlp.entities.mentions import NON_SPACE, SINGLE_PROCLITICS, Mention
from newsenrich.nlp.gazetteer import Gazetteer
from newsenrich.nlp.lexicon import Lexicon
from newsenrich.nlp.quote_marks import quoted_spans
from newsenrich.nlp.text import (
    POSSESSIVE_END,
    is_arabic_word,
    name_tokens,
    normalize,
)


def trim_roles(mentions: list[Mention], roles: frozenset[str]) -> list[Mention]:
    """Titles and roles are not names: `Prime Minister Marco Bellini` -> `Marco Bellini`.

    Leading role words, and in Arabic leading definite words (`الأميركي دونالد`),
    are cut from person mentions that have a name left after them.
    """
    out = []
    for m in mentions:
        if m.label == "PER":
            words = list(re.finditer(r"\S+", m.text))
            cut = 0
            while cut < len(words) - 1:
                w = normalize(words[cut].group().strip('«»"“”'))
                if w in roles or (is_arabic_word(w) and w.startswith("ال")):
                    cut += 1
                else:
                    break
            # `ECB President Christine Lagarde`: a role word among the first words, a name after it.
            for k in range(min(3, len(words) - 2), cut, -1):
                if normalize(words[k - 1].group()) in roles:
                    cut = k
                    break
            if cut:
                start = m.start + words[cut].start()
                m = Mention(m.field, start, m.end, m.text[words[cut].start() :], m.label)
        out.append(m)
    return out


def _trim(m: Mention, fields: dict[str, str], start_cut: int = 0, end_cut: int = 0) -> Mention:
    s, e = m.start + start_cut, m.end - end_cut
    return Mention(m.field, s, e, fields[m.field][s:e], m.label, m.vote, m.text_says)


def _after_a_place(m: Mention, place_ends: set[tuple[str, int]], fields: dict[str, str]) -> bool:
    """`بيدوا وبرطيري`: another place right before, only a space between, so the و is `and`."""
    before = fields[m.field][: m.start].rstrip()
    return len(before) < m.start and (m.field, len(before)) in place_ends


def clean_mentions(
    mentions: list[Mention], fields: dict[str, str], lang: str, vocabulary: frozenset[str] = frozenset()
) -> list[Mention]:
    """Spans as names, not as the tagger cut them; and no names that are not names.

    * `Obama's` -> Obama; `… قائلاً`, `… ليقول`: a cue the span ran into is cut off;
    * `وأوروبا` -> أوروبا when the rest is a word of the article or a known place;
    * `شلبي وكريم سعفان` -> شلبي, كريم سعفان: names listed with و are separate people;
    * month and weekday names, pronouns, role words alone (`Health Minister`),
      cue words (`Told`) and, in English, words with no capital are dropped.
    """

    lex = lexicon.load(lang)
    gaz = gazetteer.load(lang)
    if lang == "en":
        mentions = _english_compounds(mentions, fields, gaz.is_place)
    out: list[Mention] = []
    place_ends = {(m.field, m.end) for m in mentions if m.label == "LOC"}
    for m in mentions:
        open_at = m.text.find("(")
        if open_at > 0 and ")" not in m.text[open_at:]:
            # `الأمم المتحدة للطفولة (يونيسف`: the bracket opens an alias, not part of the name.
            m = _trim(m, fields, end_cut=len(m.text) - len(m.text[:open_at].rstrip()))
        words = list(NON_SPACE.finditer(m.text))
        if not words:
            continue
        last = words[-1].group()
        poss = POSSESSIVE_END.search(last) if lang == "en" else None
        if poss and len(last) > len(poss.group()) + 1:
            m = _trim(m, fields, end_cut=len(poss.group()))
            words = list(NON_SPACE.finditer(m.text))
        while len(words) > 1 and (
            _runs_into_cue(words[-1].group(), lex, lang) or (lang == "en" and _rank(words[-1].group(), lex))
        ):  # `RCMP Cpl.`: a rank after an organisation's name is no part of it
            m = _trim(m, fields, end_cut=len(m.text) - words[-2].end())
            words = words[:-1]
        first = words[0].group()
        if lang == "ar" and len(words) >= 1 and first[:1] in SINGLE_PROCLITICS and len(first) > 3:
            rest = first[1:]
            if (
                normalize(rest) in vocabulary
                or normalize(rest) in ORG_HEAD_WORDS  # `لوكالة أنباء الإمارات`: an institution's head noun
                or gaz.is_place(rest)
                or gaz.is_place(m.text[1:])
                or (first[0] == "و" and m.label == "LOC" and _after_a_place(m, place_ends, fields))
            ):
                m = _trim(m, fields, start_cut=1)
                words = list(NON_SPACE.finditer(m.text))
        pieces = [m]
        if lang == "ar" and m.label == "PER" and len(words) >= 2:
            pieces = _split_listed_names(m, words, fields, vocabulary)
        for piece in pieces:
            if not _vetoed(piece, lang, lex, gaz):
                out.append(piece)
    return out


_POSSESSIVE = re.compile(r"['’]s\s+(?=[A-Z])")


_OF = re.compile(r"\s+of\s+(?=[A-Z])")


def _english_compounds(
    mentions: list[Mention], fields: dict[str, str], is_place: Callable[[str], bool]
) -> list[Mention]:
    """Two names the tagger ran together, apart again.

    * `Nairobi's Mathare`, `Kenya's Ministry of Health`: a known place's possession is a
      name of its own, and the place is mentioned too;
    * `Cody Ray Mercer of Mesa`: a person from a place, when the article calls the person by
      that last name elsewhere (`Mercer`), whatever label the tagger gave the whole.
    """
    surnames = {m.tokens[-1] for m in mentions if m.label == "PER" and len(m.tokens) == 1}
    out: list[Mention] = []
    for m in mentions:
        poss = _POSSESSIVE.search(m.text)
        of = _OF.search(m.text)
        if poss and is_place(m.text[: poss.start()]):
            place = _trim(m, fields, end_cut=len(m.text) - poss.start())
            out.append(Mention(place.field, place.start, place.end, place.text, "LOC"))
            out.append(_trim(m, fields, start_cut=poss.end()))
        elif of and len(who := name_tokens(m.text[: of.start()])) >= 2 and who[-1] in surnames:
            person = _trim(m, fields, end_cut=len(m.text) - of.start())
            out.append(Mention(person.field, person.start, person.end, person.text, "PER"))
        else:
            out.append(m)
    return out


def _rank(word: str, lex: Lexicon) -> bool:
    """An abbreviated title or rank: `Cpl.`, `Sgt.`, `Dr.`."""
    return word.endswith(".") and normalize(word.rstrip(".")) in lex.role_words


def _runs_into_cue(word: str, lex: Lexicon, lang: str) -> bool:
    """`… قائلاً`, `… ليقول`: the span ran on into the cue (a capitalised `States` is a name)."""
    if lang == "en" and not word.islower():
        return False
    return lex.cue(word) is not None or lex.is_complementizer(word)


def headline_case(title: str | None) -> bool:
    """An English title in headline case (`Nevada Aquifer Stuns Biologists`): every word looks like a name.

    Its entities are found by propagation from the body instead.
    """
    if not title:
        return False
    words = [
        w
        for w in re.findall(r"[A-Za-z][\w'’-]*", title)
        if w.lower() not in FUNCTION_WORDS | {"a", "an", "to", "at", "by", "as"}
    ]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _split_listed_names(
    m: Mention, words: list[re.Match[str]], fields: dict[str, str], vocabulary: frozenset[str]
) -> list[Mention]:
    """`زيدان وحسن وعلي` -> three people: a و-word that is itself a word of the article starts a name."""
    cuts = [0]
    for w in words[1:]:
        t = w.group()
        if t[:1] == "و" and len(t) > 3 and normalize(t[1:]) in vocabulary:
            cuts.append(w.start())
    if len(cuts) == 1:
        return [m]
    out = []
    bounds = [*cuts, len(m.text)]
    for a, b in itertools.pairwise(bounds):
        seg = m.text[a:b].rstrip()
        lead = 1 if a else 0  # the و of every name after the first
        if len(seg) - lead >= 2:
            s = m.start + a + lead
            out.append(
                Mention(
                    m.field,
                    s,
                    m.start + a + len(seg),
                    fields[m.field][s : m.start + a + len(seg)],
                    m.label,
                    m.vote,
                )
            )
    return out


def _vetoed(m: Mention, lang: str, lex: Lexicon, gaz: Gazetteer) -> bool:
    toks = m.tokens
    if not toks:
        return True
    if gaz.is_calendar(m.text):
        return True  # أيار/مايو, Monday, January
    if m.label != "PER" and gaz.is_currency(m.text):
        return True  # الريال السعودي, the US dollar
    if lex.not_name_words.issuperset(toks):
        return True  # `Health Minister`, `Board`, `She`
    if len(toks) == 1 and lex.cue(m.text) is not None:
        return True  # `Told` opening a sentence
    if lex.function_words.issuperset(toks):
        return True  # `Several`, `In`, `Meanwhile` opening a sentence
    if lang == "ar":
        words = m.text.split()
        if any(_owns_or_is_pronoun(w, lang) for w in words):
            return True  # `سموه`, `بيدها`, `لعيالنا`: a word that owns something is no name
        if not lex.function_words.isdisjoint(toks):
            return True  # `حنا اللي …`, `… ما بيخون`: dialect speech the tagger took for a name
        if lex.is_according_to(words[0]) or lex.is_complementizer(words[-1]):
            return True  # `حسب ما`, `… أن`: a source marker or a complementizer is no name
    return lang == "en" and not any(ch.isupper() for ch in m.text)


@lru_cache(maxsize=1 << 16)
def _owns_or_is_pronoun(word: str, lang: str) -> bool:
    """`word` carries an attached pronoun or is a free one: asked of each word of each mention,
    and a name is mentioned many times."""
    lex = lexicon.load(lang)
    return bool(lex.suffix_of(word) or lex.pronoun(word))


# Quoted speech of at least this many words is speech, not a name in marks (`«الوطن»`).
_SPEECH_WORDS = 5


def drop_words_of_speech(
    entities: list[Cluster], body: str, is_known: Callable[[str], bool]
) -> list[Cluster]:
    """Arabic entities of one word that the article names only inside quoted speech, and that
    no gazetteer knows, are no names: the tagger learnt from Modern Standard Arabic and reads
    the dialect of quoted speech (`كويس`, `بس`, `جاو`) as names; a name that matters to the
    story is named outside the quote too, or is a known place."""
    candidates = [
        e
        for e in entities
        if e.label in ("PER", "LOC")
        and all(m.field == "body" and len(m.tokens) == 1 for m in e.mentions)
        and not any(is_known(m.text) for m in e.mentions)
    ]
    speech: dict[int, list[tuple[int, int]]] = {}  # paragraph start -> its quoted speech

    def in_speech(m: Mention) -> bool:
        # Only the paragraphs with a candidate are read for quotes: the rest of a long
        # article costs nothing here.
        start = body.rfind("\n", 0, m.start) + 1
        if start not in speech:
            end = body.find("\n", m.end)
            para = body[start : end if end >= 0 else len(body)]
            speech[start] = [
                (start + q.start, start + q.end)
                for q in quoted_spans(para)
                if len(para[q.start : q.end].split()) >= _SPEECH_WORDS
            ]
        return any(s <= m.start and m.end <= e for s, e in speech[start])

    dropped = {id(e) for e in candidates if all(in_speech(m) for m in e.mentions)}
    return [e for e in entities if id(e) not in dropped] if dropped else entities
