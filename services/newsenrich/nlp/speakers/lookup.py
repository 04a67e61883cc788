"""Finding the article's entities where a quote's evidence points: mentions sorted for a bisect,
entities by name, sentence starts, word positions, names inside quotes or after ل.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from newsenrich.nlp import gazetteer, lexicon
from newsenrich.nlp.text import name_tokens, normalize
from newsenrich.nlp.values import Entity, Span

LABEL_RANK = {"PER": 0, "ORG": 1, "LOC": 2}


ROLE_REACH = 48  # characters between a role word and the name it describes


SENTENCE_BREAK = re.compile(r"[.!?؟\n]")

Placed = tuple[int, int, Entity]  # a body mention of an entity: (start, end, entity)


class SortedMentions(list[Placed]):
    """Mentions (start, end, entity) sorted by start, with their starts for a bisect."""

    def __init__(self, items: Iterable[Placed]):
        super().__init__(sorted(items, key=lambda x: x[0]))
        self.starts = [x[0] for x in self]


def within(mentions: list[Placed], a: int, b: int) -> list[Placed]:
    """The mentions lying inside [a, b]: a bisect when they are `SortedMentions`, a scan otherwise."""
    if isinstance(mentions, SortedMentions):
        lo, hi = bisect.bisect_left(mentions.starts, a), bisect.bisect_right(mentions.starts, b)
        return [x for x in mentions[lo:hi] if x[1] <= b]
    return [x for x in mentions if x[0] >= a and x[1] <= b]


def body_mentions(entities: list[Entity]) -> list[Placed]:
    out: list[Placed] = []
    for e in entities:
        if e.label not in LABEL_RANK:
            continue
        for m in e.mentions:
            if m.field == "body":
                out.append((m.start, m.end, e))
    out.sort(key=lambda x: x[0])
    return out


def _run_in(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return n > 0 and any(long[i : i + n] == short for i in range(len(long) - n + 1))


_FORMS: dict[int, tuple[Entity, object, frozenset[tuple[str, ...]]]] = {}


def _forms_of(e: Entity) -> frozenset[tuple[str, ...]]:
    """The name forms of entity `e` (its name and every mention's), worked out once per entity.

    Speakers are looked up by name once or more per quote; reading every mention of every
    entity each time made attribution grow with the square of the article. The memo is
    keyed by the entity object (held, so its id is not reused while memoised) and its mention
    list, so an entity widened or renamed since is read again.
    """
    stamp = (e.name, id(e.mentions), len(e.mentions))
    hit = _FORMS.get(id(e))
    if hit is not None and hit[0] is e and hit[1] == stamp:
        return hit[2]
    forms = frozenset({name_tokens(e.name), *(name_tokens(m.text) for m in e.mentions)})
    if len(_FORMS) > 4096:
        _FORMS.clear()
    _FORMS[id(e)] = (e, stamp, forms)
    return forms


def entity_by_name(name: str, entities: list[Entity]) -> Entity | None:
    toks = name_tokens(name)
    if not toks:
        return None
    for e in entities:
        if e.label not in LABEL_RANK:
            continue
        for form in _forms_of(e):
            if form and (_run_in(form, toks) or _run_in(toks, form)):
                return e
    return None


@lru_cache(maxsize=4)
def _sentence_ends(body: str) -> list[int]:
    return [i for i, ch in enumerate(body) if ch in ".!?؟\n"]


def sentence_start(body: str, pos: int) -> int:
    """Where the sentence holding `pos` starts (one scan of the body per article, then bisect)."""
    ends = _sentence_ends(body)
    k = bisect.bisect_left(ends, pos)
    return ends[k - 1] + 1 if k else 0


@lru_cache(maxsize=4)
def word_positions(body: str) -> dict[str, list[tuple[int, int]]]:
    """Each word of the body, without its article (`head_form`), -> its spans in order.

    Role, qualifier and honorific look-ups read this instead of rescanning the body up to
    each quote, which made attribution grow with the square of the article.
    """
    out: dict[str, list[tuple[int, int]]] = {}
    for m in re.finditer(r"[\w\u064b-\u0652]+", body):
        out.setdefault(head_form(m.group()), []).append((m.start(), m.end()))
    return out


@lru_cache(maxsize=4)
def honorific_forms(body: str, lang: str) -> dict[str, list[str]]:
    """Honorific (without article) -> the body's words that are it (`السمو`, `سمو` -> `سمو`)."""
    lex = lexicon.load(lang)
    out: dict[str, list[str]] = {}
    for form in word_positions(body):
        if host := lex.honorific_host(form):
            out.setdefault(head_form(host), []).append(form)
    return out


def spans_before(body: str, forms: Iterable[str], before: int) -> list[tuple[int, int]]:
    """Spans of words whose `head_form` is one of `forms`, ending before `before`, in order."""
    index = word_positions(body)
    return sorted(span for f in set(forms) for span in index.get(f, ()) if span[1] <= before)


def first_after(people: list[Placed], starts: list[int], at: int, reach: int) -> Placed | None:
    """The first of `people` (sorted by start; `starts` their starts) starting within `reach` after `at`."""
    k = bisect.bisect_left(starts, at)
    return people[k] if k < len(people) and people[k][0] - at <= reach else None


def known_place(e: Entity) -> bool:
    """A LOC entity a gazetteer knows by one of its names: a place, never a speaker."""

    lang = "ar" if any("\u0600" <= ch <= "\u06ff" for ch in e.name) else "en"
    gaz = gazetteer.load(lang)
    return e.label == "LOC" and any(gaz.is_place(m.text) for m in e.mentions)


def head_form(head: str) -> str:
    h = normalize(head)
    return h[2:] if h.startswith("ال") and len(h) > 3 else h


def relays(region: Span, body: str, lang: str) -> bool:
    """`حسب ما نقلته صحيفة «الصباح»`: the source phrase has a quoting verb (it carried someone
    else's words; `حسب ما أوردته «X»`, where the outlet states the content, has none)."""
    quoting = lexicon.load(lang).quoting_verbs
    phrase = body[max(0, region[0] - 16) : region[1]]  # `حسب ما نقلته` may stand before the region
    words = [normalize(w) for w in re.findall(r"[\w\u064b-\u0652]+", phrase)]
    return any(w.startswith(v) for w in words for v in quoting)


def named_in_marks(e: Entity, body: str) -> bool:
    """Every mention of `e` in the body stands between « and »."""
    spans = [(m.start, m.end) for m in e.mentions if m.field == "body"]
    return bool(spans) and all(body[s - 1 : s] == "«" and body[t : t + 1] == "»" for s, t in spans)


def addressed(body: str, start: int) -> bool:
    """The name at `start` follows the preposition ل, written apart (`لـ«X»`, `لـ X`)."""
    lead = body[max(0, start - 4) : start].replace("«", "").replace('"', "").rstrip()
    return lead.endswith(("لـ", " ل")) or lead == "ل"


def outside_of(spans: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test that [s, t) lies inside none of `spans` (sorted once, then a bisect per call)."""
    ordered = sorted(spans)
    starts = [a for a, _ in ordered]
    reach = list(itertools.accumulate((b for _, b in ordered), max))

    def outside(s: int, t: int) -> bool:
        k = bisect.bisect_right(starts, s)  # spans starting at or before s
        return not (k and reach[k - 1] >= t)

    return outside
