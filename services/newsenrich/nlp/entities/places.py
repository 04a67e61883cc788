"""Places the gazetteer knows that the model missed, where they stand free of another name."""

from __future__ import annotations

import re

from newsenrich.nlp import gazetteer
from newsenrich.nlp.entities.arabic_spans import PLACE_HEADS
from newsenrich.nlp.entities.clustering import PLACE_KINDS, Cluster
from newsenrich.nlp.entities.mentions import Mention
from newsenrich.nlp.entities.occurrences import Fields, Taken, claim_occurrences
from newsenrich.nlp.text import (
    name_tokens,
    normalize,
)

# Gazetteer names that are mostly common nouns in running Arabic: `the city` (Medina), `the east`,
# `the average` (the Mediterranean), `the countryside` (the Rif).
_COMMON_NOUN_PLACES = frozenset(name_tokens(w) for w in ("المدينة", "الشرق", "المتوسط", "الريف"))

# The words that put the next one in a place's position: prepositions of place and direction
# (`في منفلوط`, `قرب مصراتة`, `شمال إدلب`) and the kinds of place (`ولاية`, `بلدة`): a town
# of the gazetteer is a place only after one of these or in a list of places (`طرابلس
# ومصراتة`), since many town names are ordinary words too. A joined بـ is no evidence: it is
# `with` as often as `in` (`بنبل` with nobility).
_PLACE_POSITION = PLACE_KINDS | frozenset(
    normalize(w)
    for w in (
        *("في", "من", "إلى", "الى", "قرب", "بين", "حول", "نحو", "داخل", "خارج", "عبر", "منطقة"),
        *("شمال", "جنوب", "شرق", "غرب", "شمالي", "جنوبي", "شرقي", "غربي", "وسط", "أنحاء"),
        *("ضواحي", "محيط", "أطراف", "مشارف", "معتمدية", "ناحية", "مركز", "مدن", "بلدات", "قرى"),
    )
)


def gazetteer_mentions(
    entities: list[Cluster], fields: Fields, lang: str, words: frozenset[str]
) -> list[Cluster]:
    """Places (and, from the corpora's gazetteer, multi-word organisations) the tagger missed.

    A place inside a longer name (`شارع الإمارات`, `University of Nevada`) is not
    a place of its own: only occurrences outside every mention count, and in
    English only capitalised ones not run into another capitalised word. A
    place name right after a name is its adjective (`«أرامكو» السعودية`). `words`: the
    article's words, normalised (`article_vocabulary`).
    """

    gaz = gazetteer.load(lang)
    # The names that start with a word of the article and may be in it (most are not: a later
    # word is missing), longest first (a longer name claims its occurrences before a place
    # inside it), in a fixed order from run to run; towns last, as a list of places may show
    # one (`طرابلس ومصراتة`). A common noun that names a place is left to the tagger.
    firsts = {f for w in gaz.written_first_words.keys() & words for f in gaz.written_first_words[w]}
    names = sorted(
        (x for w in firsts for x in gaz.by_first_word[w] if fields.may_hold(x[0])),
        key=lambda x: (-len(x[0]), x),
    )
    if town_words := {f for w in gaz.written_town_words.keys() & words for f in gaz.written_town_words[w]}:
        # Only a town whose word stands where a place goes somewhere in the article is looked for.
        slots = [w for w in town_words if _in_a_slot(w, fields)]
        names += sorted(x for w in slots for x in gaz.towns_by_first_word[w] if fields.may_hold(x[0]))
    names = [x for x in names if x[0] not in _COMMON_NOUN_PLACES]
    if not names:
        return []
    index = Taken(m for e in entities for m in e.mentions)
    ends = {(m.field, m.end) for e in entities for m in e.mentions}
    place_ends = {(m.field, m.end) for e in entities if e.label == "LOC" for m in e.mentions}
    known = {f for e in entities for f in e.token_forms}
    added: list[Cluster] = []
    for name, label in names:
        if name in known or all(t in gaz.calendar for t in name):
            continue
        found = []
        trial = Taken()  # the name's own occurrences, kept only if they pass the tests below
        town = label == gazetteer.TOWN
        for m in claim_occurrences([name], "LOC" if town else label, fields, _Overlay(index, trial)):
            text = fields.text[m.field]
            if town and not _in_place_position(m, text, place_ends):
                continue
            if _free_place(m, text, lang) and not _after_a_name(m, text, ends):
                m.vote = True
                found.append(m)
        if found:
            for m in found:
                index.add(m)
                ends.add((m.field, m.end))
                if m.label == "LOC":
                    place_ends.add((m.field, m.end))
            added.append(Cluster(found))
    return added


class _Overlay(Taken):
    """`base` read-only, with what is claimed added to `extra` only."""

    def __init__(self, base: Taken, extra: Taken):
        self.base, self.extra = base, extra

    def add(self, m: Mention) -> None:
        self.extra.add(m)

    def overlaps(self, m: Mention) -> bool:
        return self.base.overlaps(m) or self.extra.overlaps(m)


def _in_a_slot(word: str, fields: Fields) -> bool:
    """`word` (normalised) stands somewhere where a place goes: after a word of
    `_PLACE_POSITION`, or after a و that opens it (a list of places). A look at each of the
    word's occurrences, so only the gazetteer's towns the article could use are claimed."""
    for norm_text, _ in fields.normalized.values():
        at = norm_text.find(word)
        while at >= 0:
            if not norm_text[at + len(word) : at + len(word) + 1].isalpha():
                if at and norm_text[at - 1] == "و" and not norm_text[at - 2 : at - 1].isalpha():
                    return True
                before = norm_text[max(0, at - 16) : at]
                if before[-1:].isspace() and (words := before.split()) and _puts_a_place(words[-1]):
                    return True
            at = norm_text.find(word, at + 1)
    return False


def _in_place_position(m: Mention, text: str, place_ends: set[tuple[str, int]]) -> bool:
    """The text puts the occurrence where a place goes (`_PLACE_POSITION`)."""
    lead = text[max(0, m.start - 40) : m.start]
    joined = re.search(r"[\u0621-\u064a]*$", lead)
    clitics = joined.group() if joined else ""
    if clitics.startswith("و") and any(
        (m.field, m.start - len(clitics) - gap) in place_ends for gap in (1, 2)
    ):
        return True  # `طرابلس ومصراتة`, `صفاقس، والمهدية`
    words = lead[: len(lead) - len(clitics)].split()
    if not words:
        return False
    return _puts_a_place(normalize(words[-1].strip("،,؛:()«»\"'")))


def _puts_a_place(word: str) -> bool:
    """`word` (normalised), with or without a و or ف before it, is one of `_PLACE_POSITION`."""
    return word in _PLACE_POSITION or (word[:1] in "وف" and word[1:] in _PLACE_POSITION)


def _after_a_name(m: Mention, text: str, ends: set[tuple[str, int]]) -> bool:
    """The occurrence follows another mention with only a space or a closing mark between.

    Not when a proclitic joins it to its own word: `صفاقس والمهدية` is two places, where
    `«أرامكو» السعودية` is a name and its adjective.
    """
    if m.start and text[m.start - 1].isalpha():
        return False
    return any((m.field, m.start - gap) in ends for gap in (0, 1, 2))


def _free_place(m: Mention, text: str, lang: str) -> bool:
    if lang != "en":
        before = text[max(0, m.start - 12) : m.start].split()
        return not (before and normalize(before[-1]) in PLACE_HEADS)
    if not m.text[:1].isupper() or re.match(r"\s+[A-Z]", text[m.end :]):
        return False  # `Jordan Smith`: the place name runs on into a longer name
    word_before = re.search(r"([A-Z][\w.]*)\s+$", text[: m.start])
    if word_before is None:
        return True
    lead = text[: word_before.start()].rstrip()
    return not lead or lead[-1] in '.!?"“”:\n—-'  # `In Manchester`: a sentence's first word is no name
