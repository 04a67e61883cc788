"""Mentions as the model gives them: the article's segments, stanza's spans with a real proclitic
moved out, a name the press wraps in «…» widened to the marks, and the index of kept mentions
the span rules share.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from newsenrich.nlp.pipeline import Annotated
from newsenrich.nlp.text import (
    name_tokens,
    normalize,
)

LABELS = ("PER", "ORG", "LOC", "MISC")


SINGLE_PROCLITICS = {"و", "ف", "ب", "ل", "ك"}


_MAX_QUOTED_NAME_TOKENS = 4


@dataclass(frozen=True)
class Segment:
    """A stretch of the article annotated on its own: the title, or one paragraph of the body."""

    field: str  # "title" | "body"
    start: int  # offset of the segment in its field
    text: str


@dataclass
class Mention:
    field: str
    start: int
    end: int
    text: str
    label: str
    vote: bool = True  # an acronym or a propagated occurrence does not vote on the label
    # the label a word of the text gives it (`مديريتا X وY`: places), above any vote
    text_says: str | None = None

    @property
    def tokens(self) -> tuple[str, ...]:
        return name_tokens(self.text)

    def overlaps(self, other: Mention) -> bool:
        return self.field == other.field and self.start < other.end and other.start < self.end


# The longest segment given to the tagger. A longer paragraph is cut after a sentence end
# (lacking one, at a space): the tagger reads sentence by sentence anyway, so the names
# are the same, and a runner can take a very long article's NER a few segments at a
# time, letting the articles behind it through in between (`stages/entities.py`).
MAX_SEGMENT_CHARS = 10_000
_CUT_AFTER = re.compile(r"[.!?؟…]\s|\s")


def segments_of(title: str | None, body: str, longest: int = MAX_SEGMENT_CHARS) -> list[Segment]:
    """Title and body paragraphs, each with its offset, blank lines dropped, none over `longest`."""
    out: list[Segment] = []
    if title and title.strip():
        out.append(Segment("title", 0, title))
    pos = 0
    for line in body.split("\n"):
        if line.strip():
            out.extend(Segment("body", pos + start, piece) for start, piece in _pieces(line, longest))
        pos += len(line) + 1
    return out


def _pieces(line: str, longest: int) -> Iterable[tuple[int, str]]:
    """`line` in pieces of at most `longest` characters, each ending at the last sentence end
    that fits, else at the last space, else (one unbroken word) at the length itself."""
    start = 0
    while len(line) - start > longest:
        sentence_end = space = 0
        for m in _CUT_AFTER.finditer(line, start, start + longest):
            if m.group()[0].isspace():
                space = m.end()
            else:
                sentence_end = m.end()
        cut = sentence_end or space or start + longest
        if line[start:cut].strip():
            yield start, line[start:cut]
        start = cut
    if line[start:].strip():
        yield start, line[start:]


def _really_proclitic(rest: str, vocabulary: frozenset[str]) -> bool:
    """Trust a split-off proclitic only when the rest is a definite noun or a word of the article.

    A small MWT model also splits names that merely begin with such a letter
    (لبنان -> ل + بنان); the article itself tells the two cases apart.
    """
    rest_n = normalize(rest)
    return rest_n.startswith("ال") or rest_n in vocabulary


def article_vocabulary(*texts: str | None) -> frozenset[str]:
    """The whole words of the article's normalised text: runs of what `\\w` matches, with the
    harakat, tatweel and invisible characters inside a word dropped. Names are matched against
    the same text (`occurrences`), so a name with a word not here is not in the article."""
    return frozenset().union(*(_WORD_RUN.findall(normalize(t)) for t in texts if t))


_WORD_RUN = re.compile(r"\w+")
NON_SPACE = re.compile(r"\S+")  # a word as the rules split a span or a line: between spaces


def mentions_from_stanza(
    segment: Segment, annotated: Annotated, vocabulary: frozenset[str] = frozenset()
) -> list[Mention]:
    """Model mentions of one annotated segment, in field offsets, proclitics moved out."""
    out: list[Mention] = []
    for ent in annotated.ents:
        if ent.type not in LABELS:
            continue
        start, end = ent.start_char, ent.end_char
        first = ent.first_word
        if (
            len(first) > 2
            and first[0] in SINGLE_PROCLITICS
            and not (first[0] == "ل" and first[1:].startswith("ال"))  # لل = ل + ال, keep it whole
            and end - start > 2
            and _really_proclitic(first[1:], vocabulary)
        ):
            start += 1
        start, end = annotated.span(start, end)
        out.append(
            Mention(
                segment.field, segment.start + start, segment.start + end, segment.text[start:end], ent.type
            )
        )
    return out


def _enclosing_guillemets(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The content span of a short «…» pair that contains [start, end), if any."""
    open_at = text.rfind("«", 0, start + 1)
    if open_at < 0 or "»" in text[open_at + 1 : start]:
        return None
    close_at = text.find("»", max(end - 1, open_at + 1))
    if close_at < 0 or "«" in text[end:close_at]:
        return None
    inner = text[open_at + 1 : close_at]
    if not inner.strip() or any(ch in inner for ch in ".:؛،,!?؟\n"):
        return None
    if len(inner.split()) > _MAX_QUOTED_NAME_TOKENS:
        return None
    return open_at + 1, close_at


def widen_to_guillemets(mentions: list[Mention], fields: dict[str, str]) -> list[Mention]:
    """Widen a partly tagged «name» to the whole name between the marks."""
    kept = KeptMentions()
    for m in mentions:
        if m.label != "MISC":
            span = _enclosing_guillemets(fields[m.field], m.start, m.end)
            # Only a name tagged from its first word on (`«مارك» روته` -> `«مارك روته»`), or an
            # organisation's last words in a short pair (`«السومرية نيوز»`, `«شوف تي في»`); a
            # place at the end of a quoted phrase (`«بعدم حماية واشنطن»`) stays a place.
            if span is not None and (
                (span[0] == m.start and span[1] != m.end)
                or (
                    m.label == "ORG"
                    and span[1] == m.end
                    and span[0] != m.start
                    and len(fields[m.field][span[0] : span[1]].split()) <= 3
                )
            ):
                m = Mention(m.field, span[0], span[1], fields[m.field][span[0] : span[1]], m.label)
        near = kept.overlapping(m)
        if not any((o.start, o.end) == (m.start, m.end) for o in near):
            for o in near:
                if o.start >= m.start and o.end <= m.end:
                    kept.remove(o)
            if not kept.overlapping(m):
                kept.add(m)
    return kept.in_order()


class KeptMentions:
    """Mentions kept so far, in the order they were kept; the ones overlapping a span are
    found by a bisect over their starts rather than by a scan of all of them."""

    def __init__(self, mentions: Iterable[Mention] = ()) -> None:
        self._order: dict[int, tuple[int, Mention]] = {}
        self._starts: dict[str, list[tuple[int, int]]] = {}  # field -> sorted (start, key)
        self._next = 0
        self._longest = 0
        for m in mentions:
            self.add(m)

    def add(self, m: Mention) -> None:
        key = self._next
        self._next += 1
        self._order[key] = (key, m)
        bisect.insort(self._starts.setdefault(m.field, []), (m.start, key))
        self._longest = max(self._longest, m.end - m.start)

    def remove(self, m: Mention) -> None:
        row = self._starts[m.field]
        for k in range(bisect.bisect_left(row, (m.start, -1)), len(row)):
            if row[k][0] != m.start:
                break
            if self._order[row[k][1]][1] is m:
                del self._order[row[k][1]]
                del row[k]
                return

    def overlapping(self, m: Mention) -> list[Mention]:
        row = self._starts.get(m.field, [])
        j = bisect.bisect_left(row, (m.end, -1)) - 1
        out = []
        while j >= 0 and row[j][0] >= m.start - self._longest:
            o = self._order[row[j][1]][1]
            if o.overlaps(m):
                out.append(o)
            j -= 1
        return out

    def in_order(self) -> list[Mention]:
        return [m for _, m in sorted(self._order.values(), key=lambda x: x[0])]
