"""Quotes: direct, mixed and indirect reported speech, with the cue and evidence of the speaker.

Works on the article text alone (no model), so the quotes worker needs no
stanza pipeline and costs well under a millisecond per article. What it
cannot know without NER, *which entity* is speaking, it leaves as evidence:
the stretch of text where the speaker is named (`region`), a name guess, the
grammatical gender of the cue, and whether the speaker is elided. The
attribution step (`attribution.py`) turns that evidence into a speaker once
the entities are known.

Rules, in the order they decide:
* A quoted span preceded by a colon (`قال: «…»`, `X said: "…"`) or a short
  headline name and colon (`ترامب: «…»`) is direct speech.
* A span followed by a cue (`"…"، قالت X`, `"…," said X`, `"…," X said`) is direct.
* A span after a cue in the same sentence is direct; if a complementizer
  (أن/إن/that) and more words stand between cue and span, the span is a
  fragment quoted inside reported speech: mixed.
* Anything else in quote marks is a term or a name (Arabic press wraps names
  in «»): not a quote. Short spans need colon context to count.
* Reported speech without marks (`قال X إن …`, `X said (that) …`, participles
  such as `مشيرًا إلى أن …`) is indirect; the content runs to the sentence end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsenrich.nlp.lexicon import Cue, Lexicon
from newsenrich.nlp.text import normalize

_WORD = re.compile(r"[\w\u064b-\u0652\u0670\u0640'’-]+")
_SENTENCE_END = ".!?؟"
_PAIRS = {"«": "»", "“": "”", "‹": "›", "„": "“"}
_CLAUSE_PUNCT = ",،;؛"
_MIN_UNCUED_TOKENS = 3  # spans shorter than this are names or scare quotes without colon context
_MAX_SPEAKER_TOKENS = 16  # how far after an indirect cue its complementizer may stand


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass
class _Sentence:
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def quote_spans(par: str) -> list[tuple[int, int]]:
    """(open, close) indices of balanced quote marks in a paragraph, outermost first."""
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight_open: int | None = None
    for i, ch in enumerate(par):
        if stack and ch == _PAIRS[stack[-1][0]]:
            _, at = stack.pop()
            spans.append((at, i))
        elif ch in _PAIRS:
            stack.append((ch, i))
        elif ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                spans.append((straight_open, i))
                straight_open = None
    spans.sort(key=lambda s: (s[0], -s[1]))
    return spans


def _sentences(par: str, quoted: list[tuple[int, int]]) -> list[_Sentence]:
    """Sentence bounds, never splitting inside a quoted span."""
    inside = [False] * (len(par) + 1)
    for o, c in quoted:
        for i in range(o, c + 1):
            inside[i] = True
    out: list[_Sentence] = []
    start = 0
    for i, ch in enumerate(par):
        if ch in _SENTENCE_END and not inside[i] and (i + 1 == len(par) or par[i + 1].isspace()):
            out.append(_Sentence(start, i + 1))
            start = i + 1
    if start < len(par):
        out.append(_Sentence(start, len(par)))
    return out


def _speaker_region(tokens: list[Token], lex: Lexicon, stop_at_stops: bool = False) -> tuple[int, int] | None:
    """Span covering speaker-naming tokens: everything up to the end, or to the first stop word."""
    if not tokens:
        return None
    chosen = []
    for t in tokens:
        if stop_at_stops and lex.is_stop(t.text):
            break
        chosen.append(t)
    if not chosen:
        return None
    return chosen[0].start, chosen[-1].end


def _overlaps_any(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


def _is_definite(token: str) -> bool:
    return normalize(token).startswith("ال")


def _guess_in(tokens: list[Token], lex: Lexicon) -> str | None:
    words: list[str] = []
    after_role = False
    for t in tokens:
        if lex.is_stop(t.text) or lex.cue(t.text):
            break
        # After a role noun, its definite complements and adjectives (مديرة التسويق،
        # الخبيرة الاقتصادية، وزير الخارجية) belong to the role, not the name.
        if not words and (lex.is_role(t.text) or (after_role and _is_definite(t.text))):
            after_role = True
            continue
        words.append(t.text)
        if len(words) == 3:
            break
    return " ".join(words) or None


def _name_guess(tokens: list[Token], lex: Lexicon, text: str = "") -> str | None:
    """Best name from the tokens after a cue: roles skipped, stop at a stop word.

    A role with an appositive (`رئيسة قسم الأبحاث في الاتحاد، منى الشريف،`) names
    the person after the comma, so each comma-separated group gets a turn.
    """
    groups: list[list[Token]] = [[]]
    for prev, t in zip([None, *tokens[:-1]], tokens, strict=True):
        if prev is not None and text and any(ch in _CLAUSE_PUNCT for ch in text[prev.end : t.start]):
            groups.append([])
        groups[-1].append(t)
    for group in groups if text else [tokens]:
        guess = _guess_in(group, lex)
        if guess:
            return guess
    return _tail_name(tokens, lex, text) if lex.language == "ar" and text else None


def _tail_name(tokens: list[Token], lex: Lexicon, text: str) -> str | None:
    """The name closing an Arabic apposition: `المحلل في مؤسسة «X» مازن يوسف` -> مازن يوسف.

    Walks back from the end over tokens that are neither stop nor role words,
    up to a mark or punctuation; a run of only definite nouns is no name.
    """
    run: list[Token] = []
    for t in reversed(tokens):
        if run and any(not ch.isspace() for ch in text[t.end : run[0].start]):
            break
        if lex.is_stop(t.text) or lex.is_role(t.text) or lex.cue(t.text) or len(run) == 3:
            break
        run.insert(0, t)
    if not run or all(_is_definite(t.text) for t in run):
        return None
    return " ".join(t.text for t in run)


def _is_elided(after_cue: list[Token], lex: Lexicon) -> bool:
    """True when no name follows the cue: `وقال: …`, `وأشار إلى أن …`."""
    if not after_cue:
        return True
    first = after_cue[0].text
    return lex.is_stop(first) or normalize(first) in lex.complementizer_preps


def _evidence(
    kind: str, gender: str | None, region: tuple[int, int] | None, name: str | None, base: int
) -> dict[str, Any]:
    return {
        "kind": kind,
        "gender": gender,
        "region": [region[0] + base, region[1] + base] if region else None,
        "name": name,
    }


class _Paragraph:
    """One paragraph's tokens, sentences and quote spans, with the helpers the rules share."""

    def __init__(self, text: str, base: int, lex: Lexicon):
        self.text = text
        self.base = base
        self.lex = lex
        self.spans = quote_spans(text)
        self.tokens = tokenize(text)
        # «…» around one to four words marks a name or term, not speech: its words stay
        # visible to the speaker and cue rules.
        self.long_spans = [(o, c) for o, c in self.spans if len(_WORD.findall(text[o + 1 : c])) > 4]
        self.sentences = _sentences(text, self.spans)

    def sentence_of(self, pos: int) -> _Sentence:
        return next((s for s in self.sentences if s.start <= pos < s.end), self.sentences[-1])

    def tokens_in(self, start: int, end: int) -> list[Token]:
        return [t for t in self.tokens if t.start >= start and t.end <= end]

    def outside_quotes(self, tokens: list[Token]) -> list[Token]:
        return [t for t in tokens if not any(o < t.start and t.end <= c for o, c in self.long_spans)]

    def last_cue(self, tokens: list[Token]) -> tuple[Token, Cue] | None:
        for t in reversed(self.outside_quotes(tokens)):
            cue = self.lex.cue(t.text)
            if cue is not None:
                return t, cue
        return None

    def subject_evidence(self, cue_tok: Token, cue: Cue, limit: int) -> dict[str, Any]:
        """Who the cue at `cue_tok` says is speaking, looking up to `limit`."""
        lex = self.lex
        sent = self.sentence_of(cue_tok.start)
        if cue.kind == "participle":
            governor = self.last_cue(self.tokens_in(sent.start, cue_tok.start))
            if governor is not None and governor[1].kind == "verb":
                ev = self.subject_evidence(governor[0], governor[1], cue_tok.start)
                if ev["kind"] == "explicit":
                    ev["kind"] = "participle"
                return ev
            return _evidence("elided", cue.gender, None, None, self.base)
        if lex.language == "en":
            before = self.outside_quotes(self.tokens_in(sent.start, cue_tok.start))
            after = self.outside_quotes(self.tokens_in(cue_tok.end, limit))
            subject = before[-4:]
            if subject and lex.pronouns.get(normalize(subject[-1].text)):
                return _evidence("elided", lex.pronouns[normalize(subject[-1].text)], None, None, self.base)
            if subject:
                words = [t for t in subject if t.text[:1].isupper() or t.text.lower() == "the"]
                region = (words[0].start, words[-1].end) if words else (subject[0].start, subject[-1].end)
                name = " ".join(t.text for t in words if t.text.lower() != "the") or None
                return _evidence("explicit", cue.gender, region, name, self.base)
            # Inverted order: `said X`.
            region = _speaker_region(after, lex, stop_at_stops=True)
            return _evidence("explicit", cue.gender, region, _name_guess(after, lex, self.text), self.base)
        after = self.outside_quotes(self.tokens_in(cue_tok.end, limit))
        before = self.outside_quotes(self.tokens_in(sent.start, cue_tok.start))
        pre = (before[0].start + self.base, before[-1].end + self.base) if before else None
        if _is_elided(after, lex):
            ev = _evidence("elided", cue.gender, None, None, self.base)
        else:
            region = _speaker_region(after, lex)
            ev = _evidence("explicit", cue.gender, region, _name_guess(after, lex, self.text), self.base)
        # Subject before the verb (`وكان الوزير X قد أعلن …`, `X أكد أن …`).
        ev["pre_region"] = list(pre) if pre else None
        return ev


def _ends_clause(text: str, close: int) -> bool:
    rest = text[close + 1 :].lstrip()
    return not rest or rest[0] in _CLAUSE_PUNCT + _SENTENCE_END + ":"


def _clean_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in _CLAUSE_PUNCT):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _CLAUSE_PUNCT + ".:"):
        end -= 1
    return start, end


def _direct_and_mixed(p: _Paragraph) -> tuple[list[dict[str, Any]], set[int]]:
    """Quotes in marks; also the positions of cue tokens they used."""
    lex = p.lex
    out: list[dict[str, Any]] = []
    used_cues: set[int] = set()
    taken: list[tuple[int, int]] = []
    for o, c in p.spans:
        if any(to <= o and c <= tc for to, tc in taken):
            continue  # a name in «» inside a quote already taken
        cs, ce = _clean_span(p.text, o + 1, c)
        content = p.tokens_in(cs, ce)
        if not content:
            continue
        sent = p.sentence_of(o)
        before_tokens = p.outside_quotes(p.tokens_in(sent.start, o))
        before_text = p.text[sent.start : o].rstrip()
        # `قال: إن «…»`: a complementizer between colon and quote still reads as a colon intro.
        bt = before_text
        if (
            before_tokens
            and lex.is_complementizer(before_tokens[-1].text)
            and bt.endswith(before_tokens[-1].text)
        ):
            bt = bt[: -len(before_tokens[-1].text)].rstrip()
        colon = bt.endswith(":")
        cue_b = p.last_cue(before_tokens)
        after = p.tokens_in(c + 1, sent.end)
        gap = p.text[c + 1 : after[0].start] if after else ""
        closes_clause = bool(re.search(r"[,،]", p.text[max(o, c - 2) : c] + gap))
        cue_a = None
        if closes_clause:
            # `"…"، قال X` / `"…," said X` / `"…," X said`; English names run long before
            # the verb (`"…," ECB President Christine Lagarde told …`).
            reach = 6 if lex.language == "en" else 3
            for n, t in enumerate(after[:reach]):
                prev = after[n - 1].text if n else ""
                if n and lex.language == "en" and not (prev[:1].isupper() or normalize(prev) in lex.pronouns):
                    break
                if lex.is_according_to(t.text):
                    break  # `«…»، حسبما أفادت X`: X sources the report, it did not say the words
                cue = lex.cue(t.text)
                if cue is not None and cue.kind == "verb":
                    cue_a = (t, cue)
                    break
        kind: str | None = None
        limit = o
        evidence: dict[str, Any] | None = None
        cue_text: str | None = None
        if colon and cue_b is None and 0 < len(before_tokens) <= 4:
            kind = "direct"  # headline form: `Name: «…»`
            region = (before_tokens[0].start, before_tokens[-1].end)
            name = _name_guess(before_tokens, lex, p.text)
            evidence = _evidence("explicit", None, region, name, p.base)
        elif colon and cue_b is not None:
            kind = "direct"
        elif cue_a is not None:
            kind = "direct"
            t, cue = cue_a
            used_cues.add(t.start)
            cue_text = t.text
            if lex.language == "en" and after and after[0] is not t:
                name_toks = [x for x in after if x.end <= t.start]
                pronoun = lex.pronouns.get(normalize(name_toks[-1].text))
                if len(name_toks) == 1 and pronoun:  # `"…," he said`
                    evidence = _evidence("elided", pronoun, None, None, p.base)
                else:
                    region = (name_toks[0].start, name_toks[-1].end)
                    name = " ".join(x.text for x in name_toks)
                    evidence = _evidence("explicit", cue.gender, region, name, p.base)
            else:
                # `"…"، قال X …`: the speaker follows the cue, up to the end of the sentence.
                rest = p.tokens_in(t.end, sent.end)
                if lex.language == "en" and rest and lex.pronouns.get(normalize(rest[0].text)):
                    evidence = _evidence("elided", lex.pronouns[normalize(rest[0].text)], None, None, p.base)
                else:
                    region = _speaker_region(rest, lex)
                    evidence = _evidence(
                        "explicit", cue.gender, region, _name_guess(rest, lex, p.text), p.base
                    )
        elif cue_b is not None:
            cue_tok, _ = cue_b
            between = p.outside_quotes(p.tokens_in(cue_tok.end, o))
            comp_at = next((i for i, t in enumerate(between) if lex.is_complementizer(t.text)), None)
            reported = comp_at is not None and comp_at < len(between) - 1
            # English reports without `that`: `she said the council would remain "data dependent"`.
            reported_en = lex.language == "en" and comp_at is None and len(between) >= 3
            if reported or reported_en:
                if reported:
                    limit = between[comp_at].start
                # A fragment inside reported speech. «…» around a few words is how the press
                # marks a name (`أن «البنك الدولي» يعمل`), so those need more words or to close
                # the clause; one word in plain quotes only at the end of a clause.
                tail = p.text[c + 1 : c + 3]
                at_clause_end = not tail.strip() or tail.strip()[0] in _CLAUSE_PUNCT + _SENTENCE_END
                if p.text[o] == "«":
                    fragment = len(content) > 4 or (len(content) >= 2 and at_clause_end)
                else:
                    fragment = len(content) >= 2 or at_clause_end
                if fragment:
                    kind = "mixed"
            elif len(content) >= _MIN_UNCUED_TOKENS and _ends_clause(p.text, c):
                # Speech closes its clause; a report title or a name in marks
                # runs on into the sentence (`تحت عنوان «…» من تباطؤ`).
                kind = "direct"
        if kind is None:
            continue
        if evidence is None and cue_b is not None:
            cue_tok, cue = cue_b
            used_cues.add(cue_tok.start)
            cue_text = cue_tok.text
            evidence = p.subject_evidence(cue_tok, cue, limit)
        taken.append((o, c))
        out.append(
            {
                "kind": kind,
                "text": p.text[cs:ce],
                "start": p.base + cs,
                "end": p.base + ce,
                "cue": cue_text,
                "evidence": evidence,
            }
        )
    return out, used_cues


def _indirect(p: _Paragraph, used_cues: set[int], quoted: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """Reported speech without marks: cue, optional speaker, complementizer, content."""
    lex = p.lex
    out: list[dict[str, Any]] = []
    for i, tok in enumerate(p.tokens):
        if tok.start in used_cues or any(o < tok.start < c for o, c in p.spans):
            continue
        cue = lex.cue(tok.text)
        if cue is None or lex.is_according_to(tok.text):
            continue
        sent = p.sentence_of(tok.start)
        # Speakers come with long descriptions (`الخبير المصرفي في «بنك …» وليد سليمان إلى أن`).
        window = [t for t in p.tokens[i + 1 : i + 1 + _MAX_SPEAKER_TOKENS] if t.end <= sent.end]
        comp_at = next((j for j, t in enumerate(window) if lex.is_complementizer(t.text)), None)
        if comp_at is not None:
            content_start = window[comp_at].end
        elif lex.language == "en" and window and window[0].text.lower() not in lex.speaker_stops:
            # `X said it had …`: English reports without `that`; the clause follows the cue.
            if p.text[tok.end : window[0].start].strip():
                continue  # punctuation or a quote mark right after the cue
            if normalize(tok.text) in lex.object_cues:
                continue  # `told a news conference`: the object, not the report
            content_start = tok.end
        else:
            continue
        # Content runs to the end of the sentence, or to a participle clause that starts a new report.
        end = sent.end
        for t in p.tokens_in(content_start, sent.end):
            c2 = lex.cue(t.text)
            if (
                c2 is not None
                and c2.kind == "participle"
                and re.search(r"[,،]\s*$", p.text[content_start : t.start])
            ):
                end = t.start
                break
        cs, ce = _clean_span(p.text, content_start, end)
        if ce - cs < 3:
            continue
        if _overlaps_any(quoted, p.base + cs, p.base + ce):
            continue  # the report carries a quoted fragment: it is already a mixed quote
        evidence = p.subject_evidence(tok, cue, window[comp_at].start if comp_at is not None else tok.end)
        out.append(
            {
                "kind": "indirect",
                "text": p.text[cs:ce],
                "start": p.base + cs,
                "end": p.base + ce,
                "cue": tok.text,
                "evidence": evidence,
            }
        )
    return out


def _according_to(p: _Paragraph, quoted: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """`…, according to X` / `بحسب X، …` / `…، حسبما أفادت X`: the source X reports the clause."""
    lex = p.lex
    out: list[dict[str, Any]] = []
    for i, tok in enumerate(p.tokens):
        if not lex.is_according_to(tok.text):
            continue
        if lex.language == "en" and (i + 1 >= len(p.tokens) or p.tokens[i + 1].text.lower() != "to"):
            continue
        sent = p.sentence_of(tok.start)
        rest = [t for t in p.tokens[i + 1 :] if t.end <= sent.end]
        if rest and (rest[0].text.lower() == "to" or lex.cue(rest[0].text)):
            rest = rest[1:]  # `according to X`, `حسبما أفادت X`
        # The source runs to the next clause break.
        source: list[Token] = []
        for t in rest:
            if source and any(ch in _CLAUSE_PUNCT for ch in p.text[source[-1].end : t.start]):
                break
            source.append(t)
        if not source:
            continue
        lead = p.text[sent.start : tok.start]
        if lead.strip(" ،,") and len(p.tokens_in(sent.start, tok.start)) >= 3:
            cs, ce = _clean_span(p.text, sent.start, tok.start)  # `clause, according to X`
        else:
            cs, ce = _clean_span(p.text, source[-1].end, sent.end)  # `بحسب X، clause`
            opener = next((w for w in lex.clause_openers if p.text.startswith(w + " ", cs)), None)
            cs = cs + len(opener) + 1 if opener else cs  # `بحسب X، فإن …`
        if ce - cs < 3 or len(p.tokens_in(cs, ce)) < 3:
            continue
        if _overlaps_any(quoted, p.base + cs, p.base + ce):
            continue
        region = (source[0].start, source[-1].end)
        out.append(
            {
                "kind": "indirect",
                "text": p.text[cs:ce],
                "start": p.base + cs,
                "end": p.base + ce,
                "cue": tok.text if lex.language != "en" else f"{tok.text} to",
                "evidence": _evidence("source", None, region, _name_guess(source, lex, p.text), p.base),
            }
        )
    return out


def extract_quotes(body: str, lex: Lexicon) -> list[dict[str, Any]]:
    """Quote candidates in `body` (offsets into body), each with speaker evidence, in text order."""
    out: list[dict[str, Any]] = []
    pos = 0
    for line in body.split("\n"):
        if line.strip():
            p = _Paragraph(line, pos, lex)
            direct, used = _direct_and_mixed(p)
            quoted = [(q["start"], q["end"]) for q in direct]
            out.extend(direct)
            indirect = _indirect(p, used, quoted)
            out.extend(indirect)
            taken = quoted + [(q["start"], q["end"]) for q in indirect]
            out.extend(_according_to(p, taken))
        pos += len(line) + 1
    out.sort(key=lambda q: q["start"])
    return out
