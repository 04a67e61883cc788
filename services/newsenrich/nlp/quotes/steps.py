"""The order in which quote finders run over a body, declared once.

Earlier finders claim text the later ones must leave: speech after a colon, then quotes
in marks (which also claim their cue words), then reported speech without marks. Arabic
and English run the same finders; where the languages differ is the grammar of the
speaker phrase (`phrases_ar.py`, `phrases_en.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsenrich.nlp.lexicon import Lexicon
from newsenrich.nlp.quotes.document import QuoteDoc
from newsenrich.nlp.quotes.indirect import according_to_quotes, content_first, indirect_quotes
from newsenrich.nlp.quotes.marked import colon_speech, marked_quotes
from newsenrich.nlp.steps import Step, check_order, run_steps
from newsenrich.nlp.values import QuoteSpan


@dataclass
class QuoteWork:
    """One body between its tokens and its quote candidates."""

    doc: QuoteDoc
    quotes: list[QuoteSpan] = field(default_factory=list)
    used_cues: set[int] = field(default_factory=set)  # starts of cue tokens a quote in marks used
    taken: list[tuple[int, int]] = field(default_factory=list)  # spans claimed by speech in marks

    def claim(self) -> None:
        self.taken = [(q.start, q.end) for q in self.quotes]


def _colon_speech(w: QuoteWork) -> QuoteWork:
    found, used = colon_speech(w.doc)
    w.quotes += found
    w.used_cues |= used
    w.claim()
    return w


def _in_marks(w: QuoteWork) -> QuoteWork:
    found, used = marked_quotes(w.doc, w.taken)
    w.quotes += found
    w.used_cues |= used
    w.claim()
    return w


def _indirect(w: QuoteWork) -> QuoteWork:
    w.quotes += indirect_quotes(w.doc, w.used_cues, w.taken)
    return w


def _content_first(w: QuoteWork) -> QuoteWork:
    w.quotes += content_first(w.doc, w.used_cues, w.taken)
    return w


def _according_to(w: QuoteWork) -> QuoteWork:
    w.quotes += according_to_quotes(w.doc, w.taken)
    return w


def _in_text_order(w: QuoteWork) -> QuoteWork:
    w.quotes.sort(key=lambda q: q.start)
    w.quotes = [q for q in w.quotes if q.text]
    return w


_Q, _CLAIMED = ("quotes",), ("quotes", "taken", "used_cues")
STEPS = check_order(
    [
        Step("colon_speech", _colon_speech, (), _CLAIMED),
        Step("in_marks", _in_marks, ("taken",), _CLAIMED),
        Step("indirect", _indirect, _CLAIMED, _Q),
        Step("content_first", _content_first, _CLAIMED, _Q),
        Step("according_to", _according_to, ("taken",), _Q),
        Step("text_order", _in_text_order, _Q, _Q),
    ],
    ("doc",),
)


def extract_quotes(body: str, lex: Lexicon, timings: dict[str, float] | None = None) -> list[QuoteSpan]:
    """Quote candidates in `body` (offsets into body), each with speaker evidence, in text order."""
    doc = QuoteDoc(body, lex)
    if not doc.tokens:
        return []
    return run_steps(STEPS, QuoteWork(doc), timings).quotes
