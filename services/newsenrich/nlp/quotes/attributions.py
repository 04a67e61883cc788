"""What makes a quoted span speech: an attribution after it (`"…," X said`, `«…»، قال X`), a
cue before it (`X said: "…"`, `وقال X «…»`), or a fragment inside reported speech (mixed).
"""

from __future__ import annotations

import re
from dataclasses import replace

from newsenrich.nlp.lexicon import Cue, Lexicon
from newsenrich.nlp.quote_marks import QuotedSpan
from newsenrich.nlp.quotes.cues import (
    CLAUSE_BREAKERS_EN,
    after_cue,
    breaks_phrase,
    evidence_from_phrase,
    speaker_of_cue,
    speaker_phrase,
)
from newsenrich.nlp.quotes.document import (
    CLAUSE_PUNCT,
    DASHES,
    SENTENCE_END,
    QuoteDoc,
    Token,
    comma_groups,
    ends_clause,
    is_capitalised,
)
from newsenrich.nlp.quotes.phrases_en import NAME_PARTICLES, speaker_phrase_en
from newsenrich.nlp.text import normalize
from newsenrich.nlp.values import SpeakerEvidence

_MAX_NP_TOKENS = 14  # `"…," NC State forward Jalen Price, who …, said` reaches this far


def title_like(doc: QuoteDoc, tokens: list[Token]) -> bool:
    """`"One Hundred Years of Solitude"`: every content word capitalised, a title or a name."""
    if not doc.en or not tokens:
        return False
    if re.match(r"\s*[?!]", doc.body[tokens[-1].end :]):
        return False  # `"Where?"`: a question or an exclamation is speech
    content = [
        t
        for t in tokens
        if t.text.lower() not in NAME_PARTICLES | {"of", "and", "the", "a", "an", "in", "on", "for", "to"}
    ]
    return bool(content) and all(is_capitalised(t) for t in content)


def _fragment_ok(doc: QuoteDoc, q: QuotedSpan, content: list[Token]) -> bool:
    """A quoted fragment inside reported speech, not a name or a title in marks."""
    if title_like(doc, content):
        return False
    tail = doc.body[(q.close_mark if q.close_mark is not None else q.end) + 1 :][:3]
    at_clause_end = not tail.strip() or tail.strip()[0] in CLAUSE_PUNCT + SENTENCE_END
    if doc.body[q.open_mark] in "«‹":
        return len(content) > 4 or (len(content) >= 2 and at_clause_end)
    return len(content) >= 2 or at_clause_end


def right_attribution(doc: QuoteDoc, q: QuotedSpan, limit: int) -> tuple[Token, Cue, SpeakerEvidence] | None:
    """`"…," X said` / `"…," said X` / `«…»، قال X`: the cue and speaker after the quote."""
    if q.close_mark is None:
        return None
    after = doc.tokens_in(q.close_mark + 1, limit)
    if not after:
        return None
    gap = doc.gap(q.close_mark + 1, after[0].start)
    if any(ch in gap for ch in SENTENCE_END + ":;؛") or any(ch in gap for ch in '"“”«»'):
        return None
    content_end = doc.body[q.start : q.end].rstrip()
    closes = bool(re.search("[,،?!؟…" + re.escape(DASHES) + r"]\s*$", content_end)) or bool(
        re.search("[,،" + re.escape(DASHES) + "]", gap)
    )
    lex = doc.lex
    opens_sentence = not doc.tokens_in(doc.sentence_of(q.open_mark).start, q.open_mark)
    if lex.is_according_to(after[0].text):
        # `”…“، بحسب ما قاله المتحدث …، فلان،` / `"…," according to X`: the source said it; but
        # `اتهم الوزير المعارضة «…»، حسبما أفادت الوكالة`: the agency reports what the minister said.
        if not opens_sentence:
            return None
        rest = after[1:]
        while rest and (normalize(rest[0].text) in {"ما", "to"} or _cue_with_pronoun(lex, rest[0].text)):
            rest = rest[1:]
        np = speaker_phrase(doc, rest if not doc.en else comma_groups(doc, rest)[0] if rest else [])
        if np.np in (None, "anonymous"):
            return None
        ev = replace(evidence_from_phrase(np, None), kind="source")
        return after[0], Cue(normalize(after[0].text), "verb", None), ev
    c0 = doc.cue(after[0], after_quote=True)
    if c0 is not None and c0.kind in ("verb", "after") and (closes or doc.en):
        np_tokens = after_cue(doc, after[0], limit)
        np = speaker_phrase(doc, np_tokens)
        if np.np is not None:
            return after[0], c0, evidence_from_phrase(np, c0.gender)
        if not doc.en:
            return after[0], c0, SpeakerEvidence("elided", c0.gender)
    if not doc.en:
        return None
    if not closes:
        return _closing_attribution(doc, q, after, limit)
    for k in range(1, min(len(after), _MAX_NP_TOKENS + 1)):
        t = after[k]
        g = doc.gap(after[k - 1].end, t.start)
        if any(ch in g for ch in ':;"“”') or breaks_phrase(after[k - 1], g):
            return None
        if after[k - 1].text.lower() in CLAUSE_BREAKERS_EN - {"who", "that"} and k - 1 == 0:
            return None
        c = doc.cue(t, after_quote=True)
        if c is None or c.kind not in ("verb", "after"):
            if after[k - 1].text.lower() in {"and", "but"} and k - 1 > 0:
                return None
            continue
        np_tokens = after[:k]
        # `"…," Anna Ramirez, who …, told …`: drop a relative clause from the subject.
        groups = comma_groups(doc, np_tokens)
        if len(groups) > 1 and groups[-1][0].text.lower() in {"who", "which"}:
            np_tokens = [t2 for grp in groups[:-1] for t2 in grp]
        np = speaker_phrase_en(doc, np_tokens)
        if np.np is None:
            return None
        return t, c, evidence_from_phrase(np, c.gender)
    return _any_verb_attribution(doc, after, limit)


def _any_verb_attribution(
    doc: QuoteDoc, after: list[Token], limit: int
) -> tuple[Token, Cue, SpeakerEvidence] | None:
    """`"Why did he say that?" Mason pushed further.`: a name or pronoun and a verb right after a quote.

    The press attributes with any verb there (pressed, pushed, laughed, joked), so
    a short clause of a name or pronoun and a past-tense or present verb that
    ends the sentence is the attribution.
    """
    if len(after) < 2:
        return None
    rest = doc.tokens_in(after[0].start, limit)
    name_len = next((k for k, t in enumerate(rest) if not is_capitalised(t)), len(rest))
    if not 1 <= name_len <= 3 or name_len >= len(rest):
        return None
    verb = rest[name_len]
    if not re.fullmatch(r"[a-z]+(?:ed|s)", verb.text) or len(rest) - name_len > 4:
        return None
    np = speaker_phrase_en(doc, rest[:name_len])
    if np.np not in ("name", "pronoun"):
        return None
    return verb, Cue(verb.text.lower(), "after", None), evidence_from_phrase(np, None)


def _closing_attribution(
    doc: QuoteDoc, q: QuotedSpan, after: list[Token], limit: int
) -> tuple[Token, Cue, SpeakerEvidence] | None:
    """`"I've talked to the president" about that tweet, Spicer said.`: the sentence's closing attribution.

    Only for a quote that opens its sentence; the attribution is the last comma
    group and names a speaker with a cue.
    """
    if doc.tokens_in(doc.sentence_of(q.open_mark).start, q.open_mark):
        return None
    groups = comma_groups(doc, after)
    if len(groups) < 2:
        return None
    tail = groups[-1]
    if len(tail) > 6:
        return None
    k = next(
        (
            j
            for j, t in enumerate(tail)
            if (c := doc.cue(t, after_quote=True)) and c.kind in ("verb", "after")
        ),
        None,
    )
    if k is None:
        return None
    cue = doc.cue(tail[k], after_quote=True)
    assert cue is not None
    np = speaker_phrase_en(doc, tail[:k] if k else after_cue(doc, tail[k], limit))
    if np.np in (None, "anonymous"):
        return None
    return tail[k], cue, evidence_from_phrase(np, cue.gender)


def _cue_with_pronoun(lex: Lexicon, token: str) -> bool:
    """`قاله`, `أفادت`: a cue, possibly with an object pronoun attached."""
    if lex.cue(token):
        return True
    n = normalize(token)
    return any(n.endswith(p) and lex.cue(n[: -len(p)]) for p in ("ه", "ها", "هم"))


def left_attribution(
    doc: QuoteDoc, q: QuotedSpan, lstart: int, content: list[Token]
) -> tuple[str, Token | None, SpeakerEvidence | None] | None:
    """(kind, cue token, evidence) when the text before the quote introduces it."""
    lex = doc.lex
    left = doc.body[lstart : q.open_mark]
    ltoks = doc.tokens_in(lstart, q.open_mark)
    bare = left.rstrip()
    if ltoks and lex.is_complementizer(ltoks[-1].text) and bare.endswith(":"):
        pass
    colon = bare.endswith(":")
    if not colon and ltoks and lex.is_complementizer(ltoks[-1].text):
        pre = doc.body[lstart : ltoks[-1].start].rstrip()
        colon = pre.endswith(":")  # `قال: إن «…»`
    # `إن: «…»`, `أن الوزير: «…»`: a complementizer before the colon still introduces speech;
    # `to say 'Drink me,'` introduces it as well as `said` does.
    found = doc.last_cue(ltoks, infinitive=True)
    describing = next(
        (k for k in range(len(ltoks) - 1, -1, -1) if lex.is_in(ltoks[k].text, lex.describing_verbs)), None
    )
    if colon:
        if found is not None:
            k, cue = found
            return (
                "direct",
                ltoks[k],
                speaker_of_cue(doc, doc.sentence_of(q.open_mark).start, ltoks[k], cue, q.open_mark),
            )
        if 0 < len(ltoks) <= 4:
            np = speaker_phrase(doc, ltoks)
            name = np.name or doc.text_of(ltoks)
            return (
                "direct",
                None,
                SpeakerEvidence("explicit", None, (ltoks[0].start, ltoks[-1].end), name, np=np.np or "name"),
            )
        if len(content) >= 5 and ltoks:
            return (
                "direct",
                None,
                SpeakerEvidence("explicit", None, (ltoks[0].start, ltoks[-1].end), None, np="region"),
            )
        return None
    if found is not None:
        k, cue = found
        between = ltoks[k + 1 :]
        comp = next((j for j, t in enumerate(between) if lex.is_complementizer(t.text)), None)
        tail_gap = doc.body[(between[-1].end if between else ltoks[k].end) : q.open_mark]
        if comp is None and not any(ch in tail_gap for ch in SENTENCE_END):
            if (
                doc.en
                and len(between) <= 3
                and (not between or normalize(ltoks[k].text) in lex.object_cues or len(between) <= 1)
            ):
                # `Burton said, "…"`, `He told everyone, "…"`, `, he said, "…"`
                return (
                    "direct",
                    ltoks[k],
                    speaker_of_cue(doc, doc.sentence_of(q.open_mark).start, ltoks[k], cue, q.open_mark),
                )
            if not doc.en and len(between) <= 12 and len(content) >= 3 and ends_clause(doc, q):
                return (
                    "direct",
                    ltoks[k],
                    speaker_of_cue(doc, doc.sentence_of(q.open_mark).start, ltoks[k], cue, q.open_mark),
                )
        reported = (comp is not None and comp < len(between) - 1) or (
            comp is None and doc.en and len(between) >= 2
        )
        if (reported or (comp is not None and not doc.en)) and _fragment_ok(doc, q, content):
            limit = between[comp].start if comp is not None else q.open_mark
            return (
                "mixed",
                ltoks[k],
                speaker_of_cue(doc, doc.sentence_of(q.open_mark).start, ltoks[k], cue, limit),
            )
        return None
    if describing is not None and _fragment_ok(doc, q, content):
        t = ltoks[describing]
        ev = speaker_of_cue(
            doc, doc.sentence_of(q.open_mark).start, t, Cue(normalize(t.text), "verb", None), q.open_mark
        )
        return "mixed", t, ev
    return None
