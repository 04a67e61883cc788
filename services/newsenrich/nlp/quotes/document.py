"""The body as the quote rules read it: word tokens, quoted spans, paragraphs (units) and
sentences, with bisect lookups (bodies run to 100k characters), and the speaker evidence a
rule leaves for attribution.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from typing import NamedTuple

from newsenrich.nlp.lexicon import Cue, Lexicon
from newsenrich.nlp.quote_marks import QuotedSpan, quoted_spans

_WORD = re.compile(r"[\w\u064b-\u0652\u0670\u0640]+(?:['’.\-][\w\u064b-\u0652]+)*")


SENTENCE_END = ".!?؟"


CLAUSE_PUNCT = ",،;؛"


DASHES = "-–—"


ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "messrs",
        "dr",
        "st",
        "jr",
        "sr",
        "gen",
        "lt",
        "col",
        "sgt",
        "cpl",
        "pte",
        "const",
        "prof",
        "rep",
        "sen",
        "gov",
        "hon",
        "no",
        "nos",
        "vs",
        "inc",
        "co",
        "corp",
        "ltd",
        "bros",
        "dept",
        "univ",
        "mt",
        "ft",
        "rev",
        "capt",
        "cmdr",
        "adm",
        "supt",
        "insp",
        "det",
        "maj",
        "brig",
        "fr",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "a.m",
        "p.m",
    ]
)


class Token(NamedTuple):
    """A word of the body (a tuple: an article has thousands, made in one pass)."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


class QuoteDoc:
    """The body's tokens, quoted spans, units (paragraphs) and sentences, with shared lookups."""

    def __init__(self, body: str, lex: Lexicon):
        self.body = body
        self.lex = lex
        self.en = lex.language == "en"
        self.tokens = tokenize(body)
        self._starts = [t.start for t in self.tokens]
        self.spans = quoted_spans(body)
        self.top = [s for s in self.spans if s.depth == 0]
        self._top_opens = [s.open_mark for s in self.top]
        self._top_closes = [s.close_mark if s.close_mark is not None else s.end for s in self.top]
        self._top_starts = [s.start for s in self.top]
        self.units = self._units()
        self._unit_starts = [u[0] for u in self.units]
        ordered = sorted((q.open_mark, q.end) for q in self.spans)
        self._span_opens = [a for a, _ in ordered]
        self._span_reach = list(itertools.accumulate((b for _, b in ordered), max))
        self.sentences = [s for u in self.units for s in self._split(u)]
        self._sent_starts = [s.start for s in self.sentences]

    # --- structure ------------------------------------------------------------------

    def _units(self) -> list[tuple[int, int]]:
        """Paragraphs (lines), merged where one quote spans several lines of a block."""
        lines: list[list[int]] = []
        pos = 0
        for line in self.body.split("\n"):
            if line.strip():
                lines.append([pos, pos + len(line)])
            pos += len(line) + 1
        across = [
            s
            for s in self.top
            if s.close_mark is not None and not s.continues and "\n" in self.body[s.open_mark : s.close_mark]
        ]
        merged: list[list[int]] = []
        for ln in lines:
            if merged and any(s.open_mark < merged[-1][1] and (s.close_mark or 0) >= ln[0] for s in across):
                merged[-1][1] = ln[1]
            else:
                merged.append(ln)
        return [(a, b) for a, b in merged]

    def _inside_top(self, i: int) -> bool:
        """`i` lies between the marks of a top-level quote (a bisect: bodies run to 100k characters)."""
        k = bisect.bisect_left(self._top_opens, i) - 1
        return k >= 0 and i < self._top_closes[k]

    def in_quote(self, pos: int) -> bool:
        """`pos` lies in the content of a top-level quote."""
        k = bisect.bisect_right(self._top_starts, pos) - 1
        return k >= 0 and pos < self.top[k].end

    def _split(self, unit: tuple[int, int]) -> list[Sentence]:
        """Sentence bounds inside a unit, never inside a quote, never after `Mr.` or `U.S.`."""
        start, end = unit
        out: list[Sentence] = []
        cur = start
        for i in range(start, end):
            ch = self.body[i]
            if ch not in SENTENCE_END or self._inside_top(i):
                continue
            nxt = self.body[i + 1] if i + 1 < end else " "
            if not nxt.isspace():
                continue
            if ch == ".":
                m = re.search(r"([\w.]+)$", self.body[cur:i])
                word = m.group(1).lower() if m else ""
                if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                    continue
            out.append(Sentence(cur, i + 1))
            cur = i + 1
        if self.body[cur:end].strip():
            out.append(Sentence(cur, end))
        elif out:
            out[-1] = Sentence(out[-1].start, end)
        return out or [Sentence(start, end)]

    def sentence_of(self, pos: int) -> Sentence:
        k = bisect.bisect_right(self._sent_starts, pos) - 1
        return self.sentences[max(k, 0)]

    def unit_of(self, pos: int) -> tuple[int, int]:
        """The first unit (in order) holding `pos`; units are ordered and at most touch."""
        k = bisect.bisect_right(self._unit_starts, pos) - 1
        for j in (k - 1, k):
            if 0 <= j < len(self.units) and self.units[j][0] <= pos <= self.units[j][1]:
                return self.units[j]
        return self.units[-1]

    def in_any_span(self, i: int) -> bool:
        """`i` lies strictly inside some quoted span's open mark and content end (a bisect)."""
        k = bisect.bisect_left(self._span_opens, i)
        return k > 0 and self._span_reach[k - 1] > i

    def tokens_in(self, start: int, end: int) -> list[Token]:
        i = bisect.bisect_left(self._starts, start)
        out = []
        while i < len(self.tokens) and self.tokens[i].end <= end:
            out.append(self.tokens[i])
            i += 1
        return out

    def gap(self, a: int, b: int) -> str:
        return self.body[a:b]

    # --- words ----------------------------------------------------------------------

    def cue(self, t: Token, *, after_quote: bool = False, infinitive: bool = False) -> Cue | None:
        if self.en and t.text[:1].isupper() and not after_quote:
            # `Said` opening a sentence is still a verb; a capitalised cue mid-sentence is a name.
            prev = self.tokens_in(max(0, t.start - 60), t.start)
            if prev and not re.search(r"[.!?:\"“”]\s*$", self.body[prev[-1].end : t.start]):
                return None
        cue = self.lex.cue(t.text, after_quote=after_quote)
        if cue is not None and self.en and cue.kind == "verb" and not infinitive:
            before = self.tokens_in(max(0, t.start - 12), t.start)
            if (
                before
                and before[-1].text.lower()
                in {
                    "to",
                    "would",
                    "will",
                    "could",
                    "can",
                    "should",
                    "might",
                }
                and not re.search(r"[,\"”]", self.body[before[-1].end : t.start])
            ):
                return None  # `to say`, `would tell`: not a report of speech
        return cue

    def last_cue(self, tokens: list[Token], *, infinitive: bool = False) -> tuple[int, Cue] | None:
        for k in range(len(tokens) - 1, -1, -1):
            c = self.cue(tokens[k], infinitive=infinitive)
            if c is not None:
                return k, c
        return None

    def is_stop(self, t: Token) -> bool:
        return self.lex.is_stop(t.text)

    def text_of(self, tokens: list[Token]) -> str:
        return self.body[tokens[0].start : tokens[-1].end] if tokens else ""


def comma_groups(doc: QuoteDoc, tokens: list[Token]) -> list[list[Token]]:
    groups: list[list[Token]] = [[]]
    for prev, t in zip([None, *tokens[:-1]], tokens, strict=False):
        if prev is None or not any(ch in CLAUSE_PUNCT for ch in doc.gap(prev.end, t.start)):
            pass
        elif doc.gap(prev.end, t.start) == "," and prev.text[-1:].isdigit() and t.text[:1].isdigit():
            pass  # `£40,000`: a thousands separator, not a clause break
        else:
            groups.append([])
        groups[-1].append(t)
    return [g for g in groups if g]


def is_adverb(lex: Lexicon, t: Token) -> bool:
    """`quietly`, `also`, `later`: words between a speaker and the cue that name nobody."""
    return t.text in lex.manner_words or (t.text.islower() and t.text.endswith("ly") and len(t.text) > 4)


def is_capitalised(t: Token) -> bool:
    return t.text[:1].isupper()


def ends_clause(doc: QuoteDoc, q: QuotedSpan) -> bool:
    """Speech closes its clause; a name or title in marks runs on into the sentence."""
    end = q.close_mark if q.close_mark is not None else q.end
    rest = doc.body[end + 1 :].lstrip(" \t")
    return not rest or rest[0] in CLAUSE_PUNCT + SENTENCE_END + ":\n" + DASHES or rest[0] in '"“”«»'
