"""Quotes in marks, in text order, and speech after a cue and a colon with no marks; a whole
sentence in marks with no attribution of its own continues the quote before it.
"""

from __future__ import annotations

import re

from newsenrich.nlp.quote_marks import QuotedSpan
from newsenrich.nlp.quotes.attributions import left_attribution, right_attribution, title_like
from newsenrich.nlp.quotes.cues import speaker_of_cue
from newsenrich.nlp.quotes.document import CLAUSE_PUNCT, DASHES, QuoteDoc, Sentence, Token
from newsenrich.nlp.values import QuoteSpan, SpeakerEvidence


def _standalone(doc: QuoteDoc, q: QuotedSpan, lstart: int, sent: Sentence) -> bool:
    """The quote is a sentence of its own: nothing of the sentence before it, nothing after."""
    if doc.tokens_in(lstart, q.open_mark):
        return False
    end = q.close_mark if q.close_mark is not None else q.end
    rest = doc.tokens_in(end + 1, sent.end)
    return not rest


def _free_speech(doc: QuoteDoc, q: QuotedSpan, lstart: int, content: list[Token]) -> bool:
    """A sentence-initial quote that reads as speech though no cue names it.

    `"I said that Jones' cow was better," but then he rebutted`, `I was
    shocked--"My cow is better!"`: a clause of three words or more that opens
    its sentence (or follows a dash) and ends as speech ends, in `, . ! ?`.
    """
    if len(content) < 3:
        return False
    lead = doc.body[lstart : q.open_mark]
    if doc.tokens_in(lstart, q.open_mark) and not lead.rstrip().endswith(tuple(DASHES)):
        return False
    inner = doc.body[q.start : q.end].rstrip()
    return inner[-1:] in ",.!?؟…،"


def _content_tokens(doc: QuoteDoc, q: QuotedSpan) -> list[Token]:
    return doc.tokens_in(q.start, q.end)


# A span never opens with a mark that closes (`بحسب «شوف تي في»، فإن …`: the clause starts
# after the source's closing mark) nor ends with one that opens.
_CLOSING, _OPENING = ")]}»”", "([{«“"


def clean_span(doc: QuoteDoc, start: int, end: int) -> tuple[int, int]:
    body = doc.body
    while start < end and (body[start].isspace() or body[start] in CLAUSE_PUNCT + _CLOSING):
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] in CLAUSE_PUNCT + ".:" + _OPENING):
        end -= 1
    return start, end


def make_quote(
    kind: str, doc: QuoteDoc, start: int, end: int, cue: str | None, ev: SpeakerEvidence | None
) -> QuoteSpan:
    s, e = clean_span(doc, start, end)
    return QuoteSpan(kind, doc.body[s:e], s, e, cue, ev)


def marked_quotes(doc: QuoteDoc, taken: list[tuple[int, int]]) -> tuple[list[QuoteSpan], set[int]]:
    """Quotes in marks, in text order; and the cue tokens they used."""
    out: list[QuoteSpan] = []
    used: set[int] = set()
    last_speech_unit: tuple[int, int] | None = None  # unit of the latest speech
    last_close_in_sentence: dict[int, int] = {}
    for q in doc.top:
        if any(a <= q.start and q.end <= b for a, b in taken):
            continue
        content = _content_tokens(doc, q)
        if not content:
            continue
        sent = doc.sentence_of(q.open_mark)
        unit = doc.unit_of(q.open_mark)
        lstart = max(sent.start, last_close_in_sentence.get(sent.start, -1) + 1)
        nxt = next(
            (s.open_mark for s in doc.top if s.open_mark > q.open_mark and _speechlike(doc, s)), len(doc.body)
        )
        close = q.close_mark if q.close_mark is not None else q.end
        limit = min(sent.end if sent.end > close else doc.sentence_of(close).end, nxt)
        kind: str | None = None
        cue_tok: Token | None = None
        ev: SpeakerEvidence | None = None
        if q.continues:
            kind, ev = "direct", SpeakerEvidence("continued")
        elif (right := right_attribution(doc, q, limit)) is not None:
            kind, cue_tok, ev = "direct", right[0], right[2]
        elif (left := left_attribution(doc, q, lstart, content)) is not None:
            kind, cue_tok, ev = left
        elif (_standalone(doc, q, lstart, sent) or _free_speech(doc, q, lstart, content)) and not title_like(
            doc, content
        ):
            prev_speech = out[-1] if out else None
            same_unit = prev_speech is not None and doc.unit_of(prev_speech.start) == unit
            prev_unit = last_speech_unit is not None and _adjacent_units(doc, last_speech_unit, unit)
            if same_unit or prev_unit:
                kind, ev = "direct", SpeakerEvidence("continued")
            else:
                kind, ev = "direct", SpeakerEvidence("elided")
        if kind is None:
            continue
        if ev is not None and ev.np == "anonymous":
            continue  # `a source said`, `قال مصدر`: nobody the article names
        if cue_tok is not None:
            used.add(cue_tok.start)
        last_close_in_sentence[sent.start] = close
        last_speech_unit = unit
        out.append(make_quote(kind, doc, q.start, q.end, cue_tok.text if cue_tok else None, ev))
    return out, used


def _speechlike(doc: QuoteDoc, q: QuotedSpan) -> bool:
    """Could be speech (long, or introduced by a colon), as opposed to a name in marks."""
    if len(doc.tokens_in(q.start, q.end)) > 4:
        return True
    return doc.body[max(0, q.open_mark - 40) : q.open_mark].rstrip().endswith(":")


def _adjacent_units(doc: QuoteDoc, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Unit `b` is `a` or the unit right after it."""
    if a == b:
        return True
    ia = doc.units.index(a) if a in doc.units else -2
    return ia + 1 < len(doc.units) and doc.units[ia + 1] == b


def colon_speech(doc: QuoteDoc) -> tuple[list[QuoteSpan], set[int]]:
    """`وأضاف: نحن …`, `قائلاً: …`, `He added: We …`: speech after a cue and a colon, no marks."""
    out: list[QuoteSpan] = []
    used: set[int] = set()
    for m in re.finditer(":", doc.body):
        i = m.start()
        if doc._inside_top(i) or doc.in_any_span(i):
            continue
        unit = doc.unit_of(i)
        rest = doc.body[i + 1 : unit[1]]
        stripped = rest.lstrip()
        if not stripped or stripped[0] in "\"“”«»'‘’„":
            continue  # a quote in marks follows: the marked rules decide it
        sent = doc.sentence_of(i)
        ltoks = doc.tokens_in(sent.start, i)
        found = doc.last_cue(ltoks)
        if found is None:
            continue
        k, cue = found
        between = ltoks[k + 1 :]
        if len(between) > (6 if doc.en else 10) or any(doc.lex.is_complementizer(t.text) for t in between):
            continue
        if doc.en and len(between) > 2 and cue.kind != "verb":
            continue
        content = doc.tokens_in(i + 1, unit[1])
        if len(content) < 3:
            continue
        ev = speaker_of_cue(doc, sent.start, ltoks[k], cue, i)
        if ev.np == "anonymous":
            continue
        used.add(ltoks[k].start)
        out.append(make_quote("direct", doc, i + 1, unit[1], ltoks[k].text, ev))
    return out, used
