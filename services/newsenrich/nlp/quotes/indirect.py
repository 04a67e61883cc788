"""Reported speech without marks: `قال X إن …`, `X said (that) …`, `…, the minister said.`,
`مشيرًا إلى أن …`, and `according to X`.
"""

from __future__ import annotations

import bisect

from newsenrich.nlp.quotes.cues import (
    AUXILIARIES,
    after_cue,
    evidence_from_phrase,
    speaker_of_cue,
    speaker_phrase,
)
from newsenrich.nlp.quotes.document import CLAUSE_PUNCT, QuoteDoc, Token, comma_groups, is_adverb
from newsenrich.nlp.quotes.marked import clean_span, make_quote
from newsenrich.nlp.quotes.phrases_ar import speaker_phrase_ar
from newsenrich.nlp.quotes.phrases_en import speaker_phrase_en
from newsenrich.nlp.text import normalize
from newsenrich.nlp.values import QuoteSpan, SpeakerEvidence

_MAX_SPEAKER_TOKENS = 16  # how far after an indirect cue its complementizer may stand


def _content_end(doc: QuoteDoc, content_start: int, sent_end: int) -> int:
    """Where reported content stops: the sentence end, or where a report of its own begins.

    `…، مشيراً إلى أن …`, `…, adding that …`, `…، ودعا …`: another cue after a
    comma closes the clause before it; so does a colon (speech follows it).
    """
    prev_end = content_start
    for t in doc.tokens_in(content_start, sent_end):
        gap = doc.gap(prev_end, t.start)
        if ":" in gap:
            return prev_end
        c2 = doc.cue(t)
        after_comma = any(ch in CLAUSE_PUNCT for ch in gap)
        if c2 is not None and after_comma and c2.kind in ("participle", "verb"):
            joined = normalize(t.text)[:1] in ("و", "ف") and not doc.en
            if c2.kind == "participle" or joined:
                return t.start
        prev_end = t.end
    return sent_end


def _trim_before(doc: QuoteDoc, cs: int, ce: int, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Reported content that runs into a quote already taken ends at the clause before it."""
    clash = [a for a, b in taken if a < ce and cs < b]
    if not clash:
        return cs, ce
    first = min(clash)
    if first <= cs:
        return None
    cut = max(doc.body.rfind(ch, cs, first) for ch in CLAUSE_PUNCT)
    if cut <= cs:
        return None
    cs2, ce2 = clean_span(doc, cs, cut)
    return (cs2, ce2) if len(doc.tokens_in(cs2, ce2)) >= 4 else None


def indirect_quotes(doc: QuoteDoc, used: set[int], taken: list[tuple[int, int]]) -> list[QuoteSpan]:
    """Reported speech without marks: cue, speaker, complementizer, content to the clause end."""
    lex = doc.lex
    out: list[QuoteSpan] = []
    for i, tok in enumerate(doc.tokens):
        cue = doc.cue(tok)
        if cue is None or cue.kind not in ("verb", "participle") or lex.is_according_to(tok.text):
            continue
        if tok.start in used or doc.in_quote(tok.start):
            continue
        sent = doc.sentence_of(tok.start)
        window = [t for t in doc.tokens[i + 1 : i + 1 + _MAX_SPEAKER_TOKENS] if t.end <= sent.end]
        comp_at = next((j for j, t in enumerate(window) if lex.is_complementizer(t.text)), None)
        if doc.en:
            # English is SVO: `X said (that) …`, `X told reporters that …`; a cue opening the
            # sentence is a passive (`Told afterward that …, Whitfield shook his head`).
            if not window or doc.gap(tok.end, window[0].start).strip():
                continue  # punctuation or a quote mark right after the cue
            if not doc.tokens_in(sent.start, tok.start) and cue.kind == "verb":
                continue
            first = window[0].text.lower()
            if first == "that":
                content_start, comp_at = window[0].end, 0
            elif normalize(tok.text) in lex.object_cues or cue.kind != "verb":
                if comp_at is None or comp_at > 4:
                    continue  # `told a news conference`: the object, not the report
                content_start = window[comp_at].end
            elif first in lex.speaker_stops or is_adverb(lex, window[0]):
                # `announced in January that …`, `said late Wednesday that …`
                if comp_at is None or comp_at > 6:
                    continue
                content_start = window[comp_at].end
            elif first in lex.pronouns and len(window) > 1 and lex.cue(window[1].text):
                continue
            else:
                content_start, comp_at = tok.end, None
        elif comp_at is not None:
            if ":" in doc.gap(tok.end, window[comp_at].start):
                continue  # `قال: إن …` is speech after a colon
            content_start = window[comp_at].end
        else:
            continue
        cs, ce = clean_span(doc, content_start, _content_end(doc, content_start, sent.end))
        if ce - cs < 3 or len(doc.tokens_in(cs, ce)) < 2:
            continue
        trimmed = _trim_before(doc, cs, ce, taken)
        if trimmed is None:
            continue
        cs, ce = trimmed
        limit = window[comp_at].start if comp_at is not None else tok.end
        ev = speaker_of_cue(doc, sent.start, tok, cue, limit)
        if ev.np == "anonymous":
            continue
        if doc.en and any(w.lower() in AUXILIARIES for w in (ev.name or "").split()):
            continue  # `The plan is ready …, said John Smith`: a report before the cue is no speaker
        out.append(make_quote("indirect", doc, cs, ce, tok.text, ev))
        taken.append((cs, ce))
    return out


def content_first(doc: QuoteDoc, used: set[int], taken: list[tuple[int, int]]) -> list[QuoteSpan]:
    """`…, the minister said.` / `…, said X.` / `…, the company said on Sunday, a day after …`.

    The report comes first and a comma group holding the attribution closes it
    (adjunct groups may follow it).
    """
    out: list[QuoteSpan] = []
    for sent in doc.sentences:
        toks = doc.tokens_in(sent.start, sent.end)
        k = bisect.bisect_left(doc._top_opens, sent.start)
        if len(toks) < 6 or (k < len(doc.top) and doc.top[k].open_mark < sent.end):
            continue  # a sentence with a quote in it is the marked rules' to read
        groups = comma_groups(doc, toks)
        for gi in range(len(groups) - 1, 0, -1):
            tail = groups[gi]
            cue_k = next(
                (k for k, t in enumerate(tail[:8]) if (c := doc.cue(t)) is not None and c.kind == "verb"),
                None,
            )
            if cue_k is None or tail[cue_k].start in used:
                continue
            cue_tok = tail[cue_k]
            cue = doc.cue(cue_tok)
            assert cue is not None
            rest = tail[cue_k + 1 :]
            if doc.en:
                if cue_k == 0:
                    after = after_cue(doc, cue_tok, sent.end)
                    if any(t.text.lower() in AUXILIARIES for t in after):
                        break  # `X, director of …, said the gang had operated …`: a clause, no speaker
                    np = speaker_phrase_en(doc, after)  # `…, said X.`
                else:
                    if rest and rest[0].text.lower() not in doc.lex.speaker_stops:
                        break  # `…, he said the …`: a report of its own, not an attribution
                    np = speaker_phrase_en(doc, tail[:cue_k])
            else:
                if cue_k != 0:
                    break
                np = speaker_phrase_ar(doc, after_cue(doc, cue_tok, sent.end))
            if np.np in (None, "anonymous"):
                break
            cs, ce = clean_span(doc, sent.start, groups[gi - 1][-1].end)
            if len(doc.tokens_in(cs, ce)) < 4 or any(a < ce and cs < b for a, b in taken):
                break
            used.add(cue_tok.start)
            taken.append((cs, ce))
            out.append(
                make_quote("indirect", doc, cs, ce, cue_tok.text, evidence_from_phrase(np, cue.gender))
            )
            break
    return out


def according_to_quotes(doc: QuoteDoc, taken: list[tuple[int, int]]) -> list[QuoteSpan]:
    """`…, according to X` / `بحسب X، …` / `…، حسبما أفادت X`: the source X reports the clause."""
    lex = doc.lex
    out: list[QuoteSpan] = []
    for i, tok in enumerate(doc.tokens):
        if not lex.is_according_to(tok.text):
            continue
        if doc.en and (i + 1 >= len(doc.tokens) or doc.tokens[i + 1].text.lower() != "to"):
            continue
        sent = doc.sentence_of(tok.start)
        rest = doc.tokens_in(tok.end, sent.end)
        if rest and (
            rest[0].text.lower() == "to" or lex.cue(rest[0].text) or normalize(rest[0].text) == "ما"
        ):
            rest = rest[1:]  # `according to X`, `حسبما أفادت X`, `بحسب ما قاله X`
        if rest and lex.cue(rest[0].text):
            rest = rest[1:]
        source: list[Token] = []
        for t in rest:
            if source and any(ch in CLAUSE_PUNCT for ch in doc.gap(source[-1].end, t.start)):
                break
            source.append(t)
        if not source:
            continue
        lead = doc.body[sent.start : tok.start]
        quoted_lead = any(s.start >= sent.start and s.end <= tok.start for s in doc.top)
        if lead.strip(" ،,") and len(doc.tokens_in(sent.start, tok.start)) >= 3:
            cs, ce = clean_span(doc, sent.start, tok.start)  # `clause, according to X`
        else:
            cs, ce = clean_span(doc, source[-1].end, sent.end)  # `بحسب X، clause`
            opener = next((w for w in lex.clause_openers if doc.body.startswith(w + " ", cs)), None)
            cs = cs + len(opener) + 1 if opener else cs  # `بحسب X، فإن …`
        if ce - cs < 3 or len(doc.tokens_in(cs, ce)) < 3:
            continue
        if any(a < ce and cs < b for a, b in taken) or (quoted_lead and cs == sent.start):
            continue
        np = speaker_phrase(doc, source)
        if np.np == "anonymous":
            continue
        region = (source[0].start, source[-1].end)
        name = np.name or doc.text_of(source)
        out.append(
            make_quote(
                "indirect",
                doc,
                cs,
                ce,
                tok.text if not doc.en else f"{tok.text} to",
                SpeakerEvidence("source", None, region, name, np=np.np, head=np.head),
            )
        )
    return out
