"""Other occurrences of a name in the article: one found mention rescues the ones the model
missed (propagation), and the join adds or widens an entity a speaker phrase names. Also the
one place an entity becomes the contract's JSON shape.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from functools import lru_cache

from newsenrich.nlp.entities.clustering import Cluster
from newsenrich.nlp.entities.mentions import Mention, article_vocabulary
from newsenrich.nlp.text import (
    INVISIBLE,
    JOINED_HEADS,
    PROCLITICS,
    is_arabic_word,
    name_tokens,
    normalize_with_offsets,
)
from newsenrich.nlp.values import Entity, EntityMention


def _is_word_char(ch: str) -> bool:
    """What the regex `\\w` matches in a str: letters, digits and the underscore."""
    return ch.isalnum() or ch == "_"


def _segments(token: str) -> tuple[str, str]:
    """`عبدالمهدي` -> (`عبد`, `المهدي`): name_tokens joins the two spellings, the text may not."""
    for head in JOINED_HEADS:
        if token.startswith(head) and len(token) > len(head):
            return head, token[len(head) :]
    return token, ""


@lru_cache(maxsize=65536)
def _segments_of(form: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Each word's segments: the gazetteer's names are looked for in every article, so once."""
    return tuple(_segments(t) for t in form)


@lru_cache(maxsize=65536)
def _arabic_form(form: tuple[str, ...]) -> bool:
    return all(is_arabic_word(t) for t in form)


def _match_at(segs: tuple[tuple[str, str], ...], text: str, q: int) -> int | None:
    """Where the name whose first letter is at `q` ends, or None if it is not there."""
    n = len(text)
    for k, (head, tail) in enumerate(segs):
        if k:  # words of a name are apart by one or more spaces
            if q >= n or not text[q].isspace():
                return None
            while q < n and text[q].isspace():
                q += 1
        if not text.startswith(head, q):
            return None
        q += len(head)
        if tail:  # `عبد المهدي` and `عبدالمهدي` alike
            while q < n and text[q].isspace():
                q += 1
            if not text.startswith(tail, q):
                return None
            q += len(tail)
    return q


def _free_start(text: str, p: int, not_before: int, arabic: bool) -> bool:
    """The name starts a word at `p`, or follows a proclitic that does (وب، ل) in Arabic.

    (An opening « before it needs no case of its own: it is no word character.)
    """
    starts = [p]
    if arabic:
        for lead in PROCLITICS:
            if p - len(lead) >= 0 and text.startswith(lead, p - len(lead)):
                starts.append(p - len(lead))
    return any(s >= not_before and (s == 0 or not _is_word_char(text[s - 1])) for s in starts)


def _occurrences(form: tuple[str, ...], text: str, arabic: bool) -> list[tuple[int, int]]:
    """Spans of the name `form` in normalised `text`, non-overlapping, left to right.

    The same matches as the regex `(?<!\\w)(?:proclitic)?«?(w1\\s+w2…)(?!\\w)` (a test holds
    it to that), found with `str.find` and a few comparisons: one compiled regex per name
    and article cost more than the rest of entity post-processing, and the search is
    linear in the text for each name.
    """
    segs = _segments_of(form)
    first = segs[0][0]
    out: list[tuple[int, int]] = []
    last_end, pos, n = 0, 0, len(text)
    while (p := text.find(first, pos)) >= 0:
        pos = p + 1
        end = _match_at(segs, text, p)
        if end is None or (end < n and _is_word_char(text[end])):
            continue
        if not _free_start(text, p, last_end, arabic):
            continue
        out.append((p, end))
        last_end = pos = end
    return out


def _may_occur(form: tuple[str, ...], words: frozenset[str]) -> bool:
    """False when a later word of the name is no whole word of the text: it is not there.

    Where `_match_at` finds a name, each word after the first stands between spaces (or
    ends the name before a character that is no word character): so a name with a later
    word missing from the text's words is never found. Most multi-word names a rule asks
    about (the gazetteer's above all) are such, and a few set lookups spare the scan. A
    word that may be written as two (`عبدالمهدي`) or holds other characters proves nothing.
    """
    for word in form[1:]:
        if word not in words and word.isalnum() and not word.startswith(_JOINED):
            return False
    return True


_JOINED = tuple(JOINED_HEADS)


def _search_forms(token_forms: set[tuple[str, ...]], label: str) -> list[tuple[str, ...]]:
    """The names to look for, longest first; people also by surname (روته، De Vries)."""
    forms = set(token_forms)
    if label == "PER":
        forms |= {f[-1:] for f in token_forms if len(f) >= 2}
    return sorted({f for f in forms if f and sum(len(t) for t in f) >= 3}, key=len, reverse=True)


class Fields:
    """The article's fields with their normalised forms, computed once per article."""

    def __init__(self, title: str | None, body: str, words: frozenset[str] | None = None):
        self.text = {"title": title or "", "body": body}
        self.normalized = {f: normalize_with_offsets(t) for f, t in self.text.items()}
        self._words = words

    @property
    def words(self) -> frozenset[str]:
        """`article_vocabulary(title, body)`, given or read when first asked for."""
        if self._words is None:
            self._words = article_vocabulary(*self.text.values())
        return self._words

    def may_hold(self, form: tuple[str, ...]) -> bool:
        """Whether the name `form` can occur in the article at all (`_may_occur`)."""
        return len(form) < 2 or _may_occur(form, self.words)


@lru_cache(maxsize=2)
def fields_of(title: str | None, body: str, words: frozenset[str] | None = None) -> Fields:
    """One `Fields` per article however many speakers the join adds or widens (read only)."""
    return Fields(title, body, words)


class Taken:
    """The spans mentions already hold, per field, sorted: does a new one overlap any? in log time.

    A list scanned for every candidate made entity post-processing grow with the square of
    the mentions (a 500k-character article took minutes). Only spans starting at most one
    mention's length before the candidate can reach it, and the sorted starts find them.
    """

    def __init__(self, mentions: Iterable[Mention] = ()):
        self._starts: dict[str, list[int]] = {}
        self._spans: dict[str, list[tuple[int, int]]] = {}
        self._longest = 0
        for m in mentions:
            self.add(m)

    def add(self, m: Mention) -> None:
        starts = self._starts.setdefault(m.field, [])
        k = bisect.bisect_right(starts, m.start)
        starts.insert(k, m.start)
        self._spans.setdefault(m.field, []).insert(k, (m.start, m.end))
        self._longest = max(self._longest, m.end - m.start)

    def overlaps(self, m: Mention) -> bool:
        starts, spans = self._starts.get(m.field), self._spans.get(m.field)
        if not starts or not spans:
            return False
        j = bisect.bisect_left(starts, m.end) - 1  # spans starting before m ends
        while j >= 0 and spans[j][0] >= m.start - self._longest:
            if spans[j][1] > m.start:
                return True
            j -= 1
        return False


def claim_occurrences(
    forms: list[tuple[str, ...]], label: str, fields: Fields, taken: Taken
) -> list[Mention]:
    """Occurrences of `forms` that no mention in `taken` covers yet; each found one is taken."""
    found: list[Mention] = []
    for form in forms:
        if not fields.may_hold(form):
            continue
        arabic = _arabic_form(form)
        for fname, (norm_text, index) in fields.normalized.items():
            text = fields.text[fname]
            for a, b in _occurrences(form, norm_text, arabic):
                s, t = index[a], index[b - 1] + 1
                cand = Mention(fname, s, t, text[s:t], label)
                if not taken.overlaps(cand):
                    found.append(cand)
                    taken.add(cand)
    return found


def propagate(entities: list[Cluster], fields: Fields) -> None:
    """Add unlabelled occurrences of each entity's names as mentions of it."""
    taken = Taken(m for e in entities for m in e.mentions)
    for e in entities:
        if e.label != "MISC":
            e.mentions += claim_occurrences(_search_forms(e.token_forms, e.label), e.label, fields, taken)


_NO_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))


def _in_order(mentions: Iterable[EntityMention]) -> list[EntityMention]:
    return sorted(mentions, key=lambda m: (m.field != "title", m.start))


def _placed(m: Mention) -> EntityMention:
    return EntityMention(m.start, m.end, m.text, m.field)


def to_entity(e: Cluster, eid: str) -> Entity:
    """The entity a cluster settles to, its mentions title first, then in body order."""
    name = e.name.translate(_NO_INVISIBLE).strip() or e.name  # mentions keep the text as written
    return Entity(eid, name, e.label, _in_order(_placed(m) for m in e.mentions))


def _taken_by(entities: Iterable[Entity]) -> Taken:
    return Taken([Mention(m.field, m.start, m.end, m.text, e.label) for e in entities for m in e.mentions])


def add_entity(existing: list[Entity], name: str, label: str, title: str | None, body: str) -> Entity | None:
    """A new entity for `name` with all its free occurrences, or None if it never occurs free."""
    fields = fields_of(title, body)
    mentions = claim_occurrences(
        _search_forms({name_tokens(name)}, label), label, fields, _taken_by(existing)
    )
    return to_entity(Cluster(mentions), f"E{len(existing) + 1}") if mentions else None


def widen_entity(entity: Entity, fuller: str, title: str | None, body: str, others: list[Entity]) -> bool:
    """Give an entity the fuller name a speaker phrase uses (`مينون` -> `بريا مينون`).

    Each occurrence of the fuller name replaces the entity's shorter mentions
    inside it; returns whether any did.
    """
    fields = fields_of(title, body)
    taken = _taken_by(e for e in others if e is not entity)
    found = claim_occurrences([name_tokens(fuller)], entity.label, fields, taken)
    if not found:
        return False
    keep = [
        m
        for m in entity.mentions
        if not any(f.field == m.field and f.start <= m.start and m.end <= f.end for f in found)
    ]
    entity.mentions = _in_order(keep + [_placed(f) for f in found])
    entity.name = found[0].text
    return True
