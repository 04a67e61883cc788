"""Quotes: direct, mixed and indirect reported speech, with the cue and evidence of the speaker.

Works on the article text alone (no model), so the quotes worker needs no
stanza pipeline and costs about a millisecond per article. What it cannot
know without NER, *which entity* is speaking, it leaves as evidence: where
the speaker is named (`region`), a name guess, what kind of phrase names
them (`np`: a name, a pronoun, a group such as `police` or `الوزارة`, a role
such as `the professor`), the grammatical gender of the cue, and whether the
speaker is elided or carried over from the quote before. `attribution.py`
turns that evidence into a speaker once the entities are known.

A quoted span (paired by `quote_marks`) is speech when, in its sentence:

* an attribution follows it: `"…," X said`, `"…," said X`, `"…?" he asked`,
  `«…»، قال X`;
* a cue introduces it: `X said: "…"`, `X said, "…"`, `وقال X: «…»`,
  `وقال X «…»`, `قائلاً «…»`, `جاء في البيان: «…»`, or a short headline
  name and a colon (`ترامب: «…»`);
* it is a fragment inside reported speech (`X said that … "…"`,
  `described it as "…"`): a *mixed* quote;
* it is a whole sentence with no attribution of its own: it continues the
  quote before it (`"…," she said. "…"`, a paragraph that is only a quote,
  later paragraphs of a long quote) and takes its speaker.

Anything else in quote marks is a name, a title or a scare quote. Speech
after a cue and a colon with no marks (`وأضاف: نحن …`, `He added: We …`) is
a direct quote running to the end of its paragraph. Reported speech without
marks (`قال X إن …`, `X said (that) …`, `…, the minister said.`,
`مشيرًا إلى أن …`, `according to X`) is indirect.

A quote whose speaker is an anonymous person (`a source said`, `قال مصدر`)
with no organisation named is dropped: nobody in the article said it.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass
from typing import Any

from newsenrich.nlp.lexicon import Cue, Lexicon
from newsenrich.nlp.quote_marks import QuotedSpan, quoted_spans
from newsenrich.nlp.text import NAME_HEADS, normalize

_WORD = re.compile(r"[\w\u064b-\u0652\u0670\u0640]+(?:['’.\-][\w\u064b-\u0652]+)*")
_SENTENCE_END = ".!?؟"
_CLAUSE_PUNCT = ",،;؛"
_DASHES = "-–—"
_ABBREVIATIONS = frozenset(
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
_MAX_NP_TOKENS = 14  # `"…," NC State forward Jalen Price, who …, said` reaches this far
_MAX_SPEAKER_TOKENS = 16  # how far after an indirect cue its complementizer may stand
_CLAUSE_BREAKERS_EN = frozenset(
    [
        "and",
        "but",
        "or",
        "because",
        "while",
        "when",
        "if",
        "although",
        "though",
        "so",
        "then",
        "as",
        "after",
        "before",
        "since",
        "until",
        "which",
        "who",
        "that",
        "where",
        "what",
        "how",
        "why",
    ]
)
_RELATIVES = frozenset({"الذي", "التي", "الذين", "اللذين", "اللتين", "who", "which"})
_AUXILIARIES = frozenset(
    [
        "has",
        "have",
        "had",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "also",
        "would",
        "will",
        "did",
        "does",
        "do",
    ]
)
_DETERMINERS_EN = frozenset(
    ["the", "a", "an", "his", "her", "their", "its", "our", "this", "that", "these", "those"]
)
_PREPOSITIONS_EN = frozenset(["at", "of", "for", "from", "with", "in", "on", "to", "by"])
_BRIDGES = frozenset({"of", "for", "and", "&"})  # inside a name: `Ministry of Energy`, `Burton and Nick`
_NAME_PARTICLES = frozenset(
    [
        "de",
        "da",
        "del",
        "della",
        "di",
        "du",
        "van",
        "von",
        "der",
        "den",
        "bin",
        "ibn",
        "al",
        "el",
        "la",
        "le",
        "mc",
        "st.",
    ]
)


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    return [Token(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _evidence(
    kind: str,
    gender: str | None = None,
    region: tuple[int, int] | None = None,
    name: str | None = None,
    *,
    np: str | None = None,
    head: str | None = None,
    of: str | None = None,
    qualifier: str | None = None,
    pre_region: tuple[int, int] | None = None,
) -> dict[str, Any]:
    ev: dict[str, Any] = {
        "kind": kind,
        "gender": gender,
        "region": list(region) if region else None,
        "name": name,
    }
    if np is not None:
        ev["np"] = np
    if head is not None:
        ev["head"] = head
    if of is not None:
        ev["of"] = of
    if qualifier is not None:
        ev["qualifier"] = qualifier
    if pre_region is not None:
        ev["pre_region"] = list(pre_region)
    return ev


class _Doc:
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
            if merged and any(s.open_mark < merged[-1][1] and s.close_mark >= ln[0] for s in across):
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

    def _split(self, unit: tuple[int, int]) -> list[_Sentence]:
        """Sentence bounds inside a unit, never inside a quote, never after `Mr.` or `U.S.`."""
        start, end = unit
        out: list[_Sentence] = []
        cur = start
        for i in range(start, end):
            ch = self.body[i]
            if ch not in _SENTENCE_END or self._inside_top(i):
                continue
            nxt = self.body[i + 1] if i + 1 < end else " "
            if not nxt.isspace():
                continue
            if ch == ".":
                m = re.search(r"([\w.]+)$", self.body[cur:i])
                word = m.group(1).lower() if m else ""
                if word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                    continue
            out.append(_Sentence(cur, i + 1))
            cur = i + 1
        if self.body[cur:end].strip():
            out.append(_Sentence(cur, end))
        elif out:
            out[-1] = _Sentence(out[-1].start, end)
        return out or [_Sentence(start, end)]

    def sentence_of(self, pos: int) -> _Sentence:
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


# --- speaker phrases -------------------------------------------------------------------


def _comma_groups(doc: _Doc, tokens: list[Token]) -> list[list[Token]]:
    groups: list[list[Token]] = [[]]
    for prev, t in zip([None, *tokens[:-1]], tokens, strict=False):
        if prev is None or not any(ch in _CLAUSE_PUNCT for ch in doc.gap(prev.end, t.start)):
            pass
        elif doc.gap(prev.end, t.start) == "," and prev.text[-1:].isdigit() and t.text[:1].isdigit():
            pass  # `£40,000`: a thousands separator, not a clause break
        else:
            groups.append([])
        groups[-1].append(t)
    return [g for g in groups if g]


def _adverb(lex: Lexicon, t: Token) -> bool:
    """`quietly`, `also`, `later`: words between a speaker and the cue that name nobody."""
    return t.text in lex.manner_words or (t.text.islower() and t.text.endswith("ly") and len(t.text) > 4)


def _cap(t: Token) -> bool:
    return t.text[:1].isupper()


def _strip_possessive(s: str) -> str:
    return re.sub(r"['’]s$|['’]$", "", s)


def _name_run_en(doc: _Doc, group: list[Token]) -> list[Token] | None:
    """The last run of capitalised tokens in `group` that is a name, role words cut from its front."""
    lex = doc.lex
    runs: list[list[Token]] = []
    cur: list[Token] = []
    for t in group:
        low = t.text.lower()
        if _cap(t) or (cur and (low in _NAME_PARTICLES or low in _BRIDGES)):
            cur.append(t)
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    for run in reversed(runs):
        while run and (run[-1].text.lower() in _NAME_PARTICLES or run[-1].text.lower() in _BRIDGES):
            run = run[:-1]
        # `Emergency Management Minister Kelly Grant`, `State Sen. Rachel Moreno`: the name
        # follows the last role word of the run.
        k = 0
        for j, t in enumerate(run[:-1]):
            low = t.text.lower().rstrip(".")
            if low in lex.role_words or low in _DETERMINERS_EN:
                k = j + 1
        name = [t for t in run[k:] if t.text.lower() not in _DETERMINERS_EN]
        if name and not all(normalize(_strip_possessive(t.text)) in lex.group_nouns for t in name):
            if len(name) == 1 and lex.pronouns.get(name[0].text.lower(), "?") != "?":
                continue
            return name
    return None


def _np_en(doc: _Doc, tokens: list[Token]) -> dict[str, Any]:
    """What an English speaker phrase is: a name, a pronoun, a group, a role, anonymous, or a nominal."""
    lex = doc.lex
    tokens = [t for t in tokens if not _adverb(lex, t)]
    if not tokens:
        return {"np": None}
    groups = _comma_groups(doc, tokens)
    g0 = groups[0]
    region = (g0[0].start, g0[-1].end)
    first = g0[0].text.lower()
    if len(g0) == 1 and first in lex.pronouns:
        return {"np": "pronoun", "name": g0[0].text, "gender": lex.pronouns[first], "region": region}
    # The head noun: the first group, anonymous or role word after determiners and modifiers.
    head_at = next(
        (
            k
            for k, t in enumerate(g0)
            if normalize(_strip_possessive(t.text))
            in lex.group_nouns | lex.anonymous_nouns | lex.statement_nouns
            and not _cap(t)
        ),
        None,
    )
    name = _name_run_en(doc, g0)
    if name and len(name) == 1 and g0[0].text.lower() == "the" and re.search(r"(?:wo)?m[ae]n$", name[0].text):
        # `the Dutchman said`: a demonym is a description of someone the article named.
        return {"np": "role", "head": name[0].text.lower(), "region": region}
    if name and (head_at is None or name[0].start > g0[head_at].end):
        # `Voltaris chief executive Angela Brooks`: a name after the head noun is the person.
        return {"np": "name", "name": " ".join(_strip_possessive(t.text) for t in name), "region": region}
    name = _name_run_en(doc, g0 if head_at is None else g0[:head_at])
    apposition = len(groups) > 1 and _name_group(doc, groups[1])
    if head_at is not None and apposition and (nm := _name_run_en(doc, groups[1])):
        # `Delta Bank's chief analyst, Ben Ortiz,`: the apposition names the person.
        return {"np": "name", "name": " ".join(t.text for t in nm), "region": (nm[0].start, nm[-1].end)}
    if head_at is not None:
        head = normalize(_strip_possessive(g0[head_at].text))
        rest = g0[head_at + 1 :] + [t for g in groups[1:2] for t in g]
        org = None
        if rest and rest[0].text.lower() in _PREPOSITIONS_EN:
            org = _name_run_en(doc, rest[1:])
        if head in lex.statement_nouns and head not in lex.group_nouns:
            return {"np": "statement", "head": head, "region": region}
        if head in lex.group_nouns:
            mods = [t for t in g0[:head_at] if t.text.lower() not in _DETERMINERS_EN]
            named = any(_cap(t) for t in mods)  # `The Russian government`, `Richmond police`
            text = doc.text_of([*mods, g0[head_at]]) if named else None
            return {"np": "group", "head": head, "name": text, "region": region}
        inner = _name_run_en(doc, g0[:head_at])
        if inner and re.search(r"-(based|born|area|led)$", inner[-1].text.lower()):
            inner = None  # `a Singapore-based trader`: where the person is, not who they speak for
        org_tokens = org or inner
        if org_tokens:
            return {
                "np": "org_of",
                "name": " ".join(t.text for t in org_tokens),
                "head": head,
                "region": region,
            }
        if g0[0].text.lower() in {"the", "this", "that"} and head in lex.role_words:
            return {"np": "role", "head": head, "region": region}
        if len(groups) > 1 and (nm := _name_run_en(doc, groups[1])):
            return {"np": "name", "name": " ".join(t.text for t in nm), "region": (nm[0].start, nm[-1].end)}
        return {"np": "anonymous", "head": head, "region": region}
    if name:
        return {"np": "name", "name": " ".join(_strip_possessive(t.text) for t in name), "region": region}
    low = [t.text.lower() for t in g0]
    roles = [w for w in low if w in lex.role_words and w not in _DETERMINERS_EN]
    if roles and low[0] in {"the", "this", "that"}:
        if len(groups) > 1 and (nm := _name_run_en(doc, groups[1])):
            return {"np": "name", "name": " ".join(t.text for t in nm), "region": (nm[0].start, nm[-1].end)}
        return {"np": "role", "head": roles[-1], "region": region}
    if low[0] in {"a", "an"} and roles:
        return {"np": "anonymous", "head": roles[-1], "region": region}
    if len(g0) <= 4:
        return {"np": "nominal", "name": doc.text_of(g0), "region": region}
    return {"np": None}


def _is_definite(token: str) -> bool:
    return normalize(token).startswith("ال")


_NAME_TAILS = frozenset(normalize(w) for w in ("الدين", "الله", "الرحمن", "الإسلام", "الحق", "العابدين"))


def _construct_role(doc: _Doc, group: list[Token]) -> bool:
    """The group opens with an indefinite noun in construct, then a name: `استشاري الأمراض المعدية فيصل`.

    Only when a name follows the definite words: `محمود الفقي في …` and `عبد الله`,
    `نور الدين`, `أبو العلا` are names themselves.
    """
    if len(group) < 3:
        return False
    a, b = normalize(group[0].text), normalize(group[1].text)
    if _is_definite(a) or not _is_definite(b) or a in NAME_HEADS or b in _NAME_TAILS or len(a) <= 2:
        return False
    k = 2
    while k < len(group) and _is_definite(group[k].text):
        k += 1
    return k < len(group) and not doc.is_stop(group[k]) and not _is_definite(group[k].text)


def _group_name(doc: _Doc, group: list[Token]) -> list[Token] | None:
    """The name in one comma group of an Arabic speaker phrase, role nouns and their complements skipped."""
    lex = doc.lex
    words: list[Token] = []
    after_role = False
    for k, t in enumerate(group):
        if words and normalize(words[-1].text) in NAME_HEADS and not lex.cue(t.text):
            words.append(t)  # `أبو علي`, `أم حسن`: a kunya's second word is a name, whatever it spells
            continue
        if doc.is_stop(t) or lex.cue(t.text) or lex.is_in(t.text, lex.manner_words | lex.speech_nouns):
            break
        if lex.pronoun(t.text) or lex.suffix_of(t.text):
            break  # `بدرية وهي ترتب`, `بيده`: a pronoun, free or attached, is never part of a name
        if lex.is_in(t.text, lex.group_nouns) and not (after_role and not words):
            break  # `مؤسسة …`, `شركة …` head an organisation's name; `محافظ البنك` is a role
        if re.match("^(?:و|ف)?(?:بال|لل|كال)", normalize(t.text)) and words:
            break  # `سمير حداد بالقرار`: a prepositional phrase ends the name
        if not words and (lex.is_role(t.text) or (after_role and _is_definite(t.text))):
            after_role = True
            continue
        if k == 0 and _construct_role(doc, group):
            after_role = True  # `استشاري الأمراض المعدية فيصل المطيري`: a role in construct
            continue
        words.append(t)
        if len(words) == 4:
            break
    # `الإسباني خافيير مورينو`: a leading nisba adjective describes the person, it is not the name.
    while len(words) > 1 and _is_definite(words[0].text) and not _is_definite(words[1].text):
        words = words[1:]
    if words and not all(_is_definite(t.text) for t in words):
        return words
    if words and len(words) <= 2 and not any(_common_noun(lex, t.text) for t in words):
        return words  # a surname with the article: `قالت الشريف`
    return None


def _role_phrase(doc: _Doc, group: list[Token]) -> bool:
    """A comma group that describes a person (`رئيسة قسم الأبحاث`, `استشاري الأمراض المعدية`)."""
    first = group[0]
    if doc.lex.is_role(first.text):
        return True
    if len(group) < 2:
        return False
    a, b = normalize(first.text), normalize(group[1].text)
    return (
        not _is_definite(a)
        and _is_definite(b)
        and a not in NAME_HEADS
        and b not in _NAME_TAILS
        and len(group) > 2
    )


def _name_in_ar(doc: _Doc, tokens: list[Token]) -> list[Token] | None:
    """The name in an Arabic speaker phrase (the tokens after a VSO cue).

    `وزير المالية أحمد الشوابكة` -> أحمد الشوابكة. A role phrase followed by a
    comma group is the press's apposition (`رئيسة قسم الأبحاث في الاتحاد، منى
    الشريف،`, `رئيس مجلس إدارة شركة «…»، طارق الهنائي،`): the group after it is
    the name. A name closing a long description (`المحلل في مؤسسة «X» مازن
    يوسف`) is found from the end.
    """
    lex = doc.lex
    groups = _comma_groups(doc, tokens)
    if (
        len(groups) >= 2
        and _role_phrase(doc, groups[0])
        and len(groups[1]) <= 4
        and normalize(groups[1][0].text) not in {"وهو", "وهي", "وهم", "هو", "هي"}
    ):
        name = _group_name(doc, groups[1])
        if not name and len(groups[1]) >= 2 and groups[1][0].text.endswith("ي") and doc.is_stop(groups[1][0]):
            # `مدير الدار، علي الخفاجي،`: an apposition never opens with a preposition, so a
            # name spelled like one once ى and ي are folded (علي / على) is the name.
            name = [groups[1][0], *(_group_name(doc, groups[1][1:]) or [])]
        if name:
            return name
    for group in groups:
        name = _group_name(doc, group)
        if name:
            return name
    first = groups[0] if groups else tokens
    run: list[Token] = []
    for t in reversed(first):
        if run and any(not ch.isspace() for ch in doc.gap(t.end, run[0].start)):
            break
        if doc.is_stop(t) and run:
            # `الوزير … عقده اليوم في عمّان`: the object of a preposition is a time or a
            # place, never the one speaking.
            return None
        if doc.is_stop(t) or lex.is_role(t.text) or lex.cue(t.text) or len(run) == 4:
            break
        if lex.is_in(t.text, lex.group_nouns) or re.match("^(?:و|ف)?(?:بال|لل|كال)", normalize(t.text)):
            break  # `بالصبر`, `للشركة`: a prepositional phrase, not a name
        if lex.pronoun(t.text) or lex.suffix_of(t.text):
            break
        run.insert(0, t)
    if run and not all(_is_definite(t.text) for t in run):
        return run
    return None


def _common_noun(lex: Lexicon, token: str) -> bool:
    words = lex.role_words | lex.group_nouns | lex.statement_nouns | lex.anonymous_nouns | lex.speech_nouns
    return lex.is_role(token) or lex.is_in(token, words | lex.manner_words) or lex.is_stop(token)


def _organisation_of(doc: _Doc, tokens: list[Token]) -> Token | None:
    """The group noun a person phrase belongs to: `مسؤول رفيع في الوزارة`, `والي البنك`.

    Only in construct (right after the person noun) or after في/من/لدى/ب; a
    noun with ل is whom the person spoke to (`لوكالة فرانس برس`), not theirs.
    """
    lex = doc.lex
    for k, t in enumerate(tokens[1:], 1):
        n = normalize(t.text)
        if not lex.is_in(t.text, lex.group_nouns):
            continue
        if n.startswith("ل") and not n.startswith("ال"):
            continue
        prev = normalize(tokens[k - 1].text)
        if k == 1 or prev in {"في", "من", "لدى", "داخل"} or (n.startswith("ب") and not n.startswith("ال")):
            return t
    return None


def _np_ar(doc: _Doc, tokens: list[Token]) -> dict[str, Any]:
    """What an Arabic speaker phrase (after a VSO cue) is."""
    lex = doc.lex
    if not tokens:
        return {"np": None}
    first = tokens[0]
    region = (first.start, tokens[-1].end)
    if lex.is_in(first.text, lex.manner_words | lex.speech_nouns | lex.masdars) or doc.is_stop(first):
        return {"np": None}
    n0 = normalize(first.text)
    if n0.startswith("لل") or (n0.startswith("ل") and len(tokens) == 1 and lex.is_role(n0[1:])):
        return {"np": None}  # `وقال للمحافظ`: whom it was said to; the speaker is the sentence's subject
    honorific = lex.honorific(first.text)
    if honorific is not None:
        # `وقال سموه`, `وأكدت معاليها`: the dignitary the article named with that honorific.
        return {"np": "pronoun", "name": first.text, "gender": honorific[1], "head": honorific[0]}
    if lex.pronoun(first.text):
        # `ويضيف وهو يشير بيده`: a circumstantial clause about the one already speaking.
        return {"np": "pronoun", "name": None, "gender": lex.pronoun(first.text)}
    norm = [normalize(t.text) for t in tokens]
    if norm[0] in lex.anonymous_nouns:
        org = _organisation_of(doc, tokens)
        if org is not None:
            return {"np": "group", "head": normalize(org.text), "region": region}
        return {"np": "anonymous", "head": norm[0], "region": region}
    if lex.is_in(first.text, lex.group_nouns):
        # `هيئة الطرق والمواصلات`, `المكتب الوطني للكهرباء`: a group noun with its complement is
        # the organisation's own name; `الوزارة` alone stands for one named elsewhere.
        named: list[Token] = [first]
        for t in tokens[1:]:
            if doc.is_stop(t) or any(ch in _CLAUSE_PUNCT + "()" for ch in doc.gap(named[-1].end, t.start)):
                break
            named.append(t)
        text = doc.text_of(named) if len(named) > 1 else None
        return {"np": "group", "head": norm[0], "name": text, "region": region}
    if norm[0] in lex.statement_nouns:
        return {"np": "statement", "head": norm[0], "region": region}
    name = _name_in_ar(doc, tokens)
    if name:
        return {"np": "name", "name": " ".join(t.text for t in name), "region": region}
    if lex.is_role(first.text):
        # A role and no name: the person the article gave that role (رئيس الحكومة، سعد …),
        # else the organisation it belongs to when one is named (والي البنك -> the bank).
        # An honorific before the role is its title: the role is the noun after it
        # (`سعادة المدير العام للصندوق` is the director).
        while len(tokens) > 1 and lex.honorific_host(norm[0]) and lex.is_role(tokens[1].text):
            tokens, norm = tokens[1:], norm[1:]
        org = _organisation_of(doc, tokens)
        # `الوزير السوري` after two ministers were introduced: the nisba adjective tells them apart.
        nisba = (
            norm[1] if len(norm) > 1 and norm[1].startswith("ال") and norm[1].endswith(("ي", "يه")) else ""
        )
        return {
            "np": "role",
            "head": norm[0],
            "of": normalize(org.text) if org else None,
            "qualifier": nisba if nisba and not _common_noun(lex, tokens[1].text) else None,
            "region": region,
        }
    return {"np": None}


def _np(doc: _Doc, tokens: list[Token]) -> dict[str, Any]:
    return _np_en(doc, tokens) if doc.en else _np_ar(doc, tokens)


def _breaks(prev: Token, gap: str) -> bool:
    """A sentence ends in `gap` after `prev` (not the dot of `Cpl.` or `Mr.`)."""
    if not any(ch in _SENTENCE_END for ch in gap):
        return False
    return not (gap.startswith(".") and prev.text.lower() in _ABBREVIATIONS)


def _after_cue(doc: _Doc, cue_tok: Token, limit: int) -> list[Token]:
    """Tokens naming the speaker after a cue, up to a colon, a sentence end or the limit.

    English stops at the first stop word (`said Smith on Tuesday`); Arabic keeps
    the whole clause, whose comma groups and final name the name finder reads
    (`قال المحلل في مؤسسة «X» مازن حداد`).
    """
    out: list[Token] = []
    prev_end = cue_tok.end
    for t in doc.tokens_in(cue_tok.end, limit):
        gap = doc.gap(prev_end, t.start)
        if ":" in gap or (_breaks(out[-1], gap) if out else any(ch in _SENTENCE_END for ch in gap)):
            break
        if doc.lex.is_complementizer(t.text):
            break
        if out and not doc.en and doc.lex.pronoun(t.text):
            break  # `يقول الحبيب وهو يفرغ …`: the circumstantial clause is about the speaker
        stop = doc.en and doc.is_stop(t) and t.text.lower() not in {"the", "a", "an"}
        if stop and (out or not doc.lex.is_in(t.text, doc.lex.manner_words)):
            break
        out.append(t)
        prev_end = t.end
    return out


def _name_group(doc: _Doc, group: list[Token]) -> bool:
    """`Professor Helen Marsh`, `David Ross`: a comma group that is a name, not an apposition."""
    return bool(group) and _cap(group[0]) and _cap(group[-1]) and group[0].text.lower() not in _DETERMINERS_EN


def _before_cue(doc: _Doc, start: int, cue_tok: Token) -> list[Token]:
    """The subject before an English cue, an apposition or relative clause before the cue skipped.

    `David Ross, chief economist at Acme Bank, said` -> David Ross;
    `Al-Shamsi, who has followed OPEC for two decades, added` -> Al-Shamsi.
    """
    toks = doc.tokens_in(start, cue_tok.start)
    while toks and (toks[-1].text.lower() in _AUXILIARIES or _adverb(doc.lex, toks[-1])):
        toks = toks[:-1]  # `has insisted`, `had earlier said`
    if toks and toks[-1].text.lower() in {"and", "but"}:
        return []  # `X conceded …, but said …`: the subject of the clause before
    toks = [t for t in toks if not _adverb(doc.lex, t)]
    if not toks:
        return []
    groups = _comma_groups(doc, toks)
    subject = groups[-1]
    comma_before_cue = any(ch in _CLAUSE_PUNCT for ch in doc.gap(toks[-1].end, cue_tok.start))
    if len(groups) >= 2 and comma_before_cue and not _name_group(doc, subject):
        subject = groups[-2]  # `David Ross, chief economist at Acme Bank, said`
    # Within the subject's group, cut at a clause boundary (`;`, `:`, a quote mark, a clause word).
    cut = 0
    for k in range(len(subject)):
        gap = doc.gap(subject[k - 1].end if k else start, subject[k].start)
        if any(ch in gap for ch in ';:"“”«»'):
            cut = k
        if subject[k].text.lower() in _CLAUSE_BREAKERS_EN and k < len(subject) - 1:
            cut = k + 1
    return subject[cut:]


def _speaker_of_cue(doc: _Doc, sent_start: int, cue_tok: Token, cue: Cue, limit: int) -> dict[str, Any]:
    """Evidence of who speaks through the cue at `cue_tok`, looking no further than `limit`."""
    lex = doc.lex
    if cue.kind in ("participle", "masdar"):
        gov_tokens = doc.tokens_in(sent_start, cue_tok.start)
        # `نقلت الوكالة عن الوزير قوله:`: the one quoted is after عن.
        an = next(
            (k for k in range(len(gov_tokens) - 1, -1, -1) if normalize(gov_tokens[k].text) == "عن"), None
        )
        quoting = an is not None and any(
            doc.lex.is_in(t.text, doc.lex.quoting_verbs) for t in gov_tokens[:an]
        )
        if cue.kind == "masdar" and quoting and not doc.en:
            np = _np_ar(doc, gov_tokens[an + 1 :])
            if np["np"] is not None:
                return _from_np(np, cue.gender)
        # The governing verb: the nearest one that names its subject (`وأشار كمال …، ودعا
        # المواطنين … قائلاً:` is كمال speaking: دعا's noun is its object).
        first_ev = None
        limit = cue_tok.start
        for k in range(len(gov_tokens) - 1, -1, -1):
            c = doc.cue(gov_tokens[k])
            if c is None or c.kind != "verb":
                continue
            ev = _speaker_of_cue(doc, sent_start, gov_tokens[k], c, limit)
            limit = gov_tokens[k].start
            if ev["kind"] == "explicit":
                ev["kind"] = "participle"
            first_ev = first_ev or ev
            if ev.get("np") not in (None, "role"):
                return ev
        if first_ev is not None:
            return first_ev
        if not doc.en and len(gov_tokens) >= 2 and normalize(gov_tokens[0].text)[:1] in ("و", "ف"):
            # `وعبّر X عن … بالقول:`, `ورحّب X … بقوله:`: the subject of the verb opening the sentence.
            np = _np_ar(doc, _after_cue(doc, gov_tokens[0], cue_tok.start))
            if np["np"] is not None:
                ev = _from_np(np, cue.gender)
                if ev["kind"] == "explicit":
                    ev["kind"] = "participle"
                return ev
        return _evidence("elided", cue.gender, pre_region=_pre(gov_tokens))
    if cue.kind == "statement":
        # `وجاء في بيان صادر عن أرامكو:` -> أرامكو; `ومما جاء فيه:` -> the statement's author.
        after = doc.tokens_in(cue_tok.end, limit)
        src = next((k for k, t in enumerate(after) if normalize(t.text) in {"عن", "من"}), None)
        if src is not None and src + 1 < len(after):
            toks = _after_cue(doc, after[src], limit)
            toks = _comma_groups(doc, toks)[0] if toks else toks
            if toks:
                return _evidence(
                    "explicit", None, (toks[0].start, toks[-1].end), doc.text_of(toks), np="group"
                )
        return _evidence("elided", None, np="statement")
    before_all = doc.tokens_in(sent_start, cue_tok.start)
    if before_all and normalize(before_all[-1].text) in _RELATIVES:
        # `…، أنس الحموي، الذي وصف …`, `Paul Martin, who said …`: the antecedent speaks.
        groups = _comma_groups(doc, before_all[:-1])
        if groups:
            np = _np(doc, groups[-1]) if doc.en else _np_ar(doc, groups[-1])
            if np["np"] not in (None, "anonymous"):
                return _from_np(np, cue.gender)
    if doc.en:
        subject = _before_cue(doc, sent_start, cue_tok)
        if subject:
            np = _np_en(doc, subject)
            if np["np"] is not None:
                return _from_np(np, cue.gender)
        after = _after_cue(doc, cue_tok, limit)
        np = _np_en(doc, after)
        if np["np"] is not None and not (
            normalize(cue_tok.text) in lex.object_cues and np["np"] == "pronoun"
        ):
            return _from_np(np, cue.gender)
        return _evidence("elided", cue.gender)
    after = _after_cue(doc, cue_tok, limit)
    if after and normalize(after[0].text) in lex.complementizer_preps:
        after = []
    while (
        after
        and normalize(after[-1].text) in lex.complementizer_preps
        and not (len(after) > 1 and normalize(after[-2].text) in NAME_HEADS)  # `أبو علي`, not على
    ):
        after = after[:-1]  # `وأشار X إلى أن`
    before = doc.tokens_in(sent_start, cue_tok.start)
    pre = (before[0].start, before[-1].end) if before else None
    np = _np_ar(doc, after)
    if np["np"] is None and before:
        # `نفى X وجود …، وقال:`: the subject of the report earlier in the sentence.
        first = before[0]
        prev_cue = next(
            (
                (k, c)
                for k in range(len(before) - 1, -1, -1)
                if (c := doc.cue(before[k])) and c.kind == "verb"
            ),
            None,
        )
        del first
        starter = before[prev_cue[0]] if prev_cue else None
        if starter is not None:
            sub = _np_ar(doc, _after_cue(doc, starter, cue_tok.start))
            if sub["np"] == "name":
                ev = _from_np(sub, cue.gender)
                ev["kind"] = "participle"
                ev["pre_region"] = list(pre) if pre else None
                return ev
    if np["np"] is None:
        subject = _clause_subject(doc, before, cue)
        if subject:
            ev = _evidence(
                "participle", cue.gender, (subject[0].start, subject[-1].end), doc.text_of(subject)
            )
            ev["np"] = "name"
            ev["pre_region"] = list(pre) if pre else None
            return ev
        return _evidence("elided", cue.gender, pre_region=pre)
    ev = _from_np(np, cue.gender)
    if pre:
        ev["pre_region"] = list(pre)
    return ev


def _verb_gender(token: str) -> str | None:
    """The gender a verb's person prefix marks (تقف, تقلّب: she; يقف: he), if it looks like one."""
    n = normalize(token).lstrip("وف") if len(token) > 3 else normalize(token)
    if n.startswith("ال") or len(n) < 3:
        return None
    return {"ت": "f", "ي": "m"}.get(n[:1])


def _clause_subject(doc: _Doc, before: list[Token], cue: Cue) -> list[Token] | None:
    """The subject named earlier in the cue's sentence, for `…، وتقول:` with no name after it.

    Two shapes of Arabic news: a topic (`أما سناء، وهي …، فقالت:`) and a clause that
    opens with a verb agreeing with the cue, its subject right after it (`في السوق، تقف
    أم محمد خلف فرشتها …، وتقول:`). The subject is a kunya or one indefinite word
    that is no common noun the lexicon knows; a definite word (`تمسح العرق`) is an object.
    """
    lex = doc.lex
    groups = _comma_groups(doc, before)
    if len(groups) >= 2 and normalize(groups[0][0].text) == "اما" and 2 <= len(groups[0]) <= 4:
        name = _group_name(doc, groups[0][1:])
        if name:
            return name
    for group in groups:
        if len(group) < 2 or cue.gender is None or _verb_gender(group[0].text) != cue.gender:
            continue
        if lex.cue(group[0].text):
            continue
        second = group[1]
        if normalize(second.text) in NAME_HEADS and len(group) > 2:
            return [second, group[2]]  # `تقف أم محمد`
        n = normalize(second.text)
        if (
            n.startswith("ال")
            or len(n) < 3
            or not second.text.isalpha()
            or _common_noun(lex, second.text)
            or lex.cue(second.text)
            or lex.pronoun(second.text)
            or lex.suffix_of(second.text)
            or _verb_gender(second.text) is not None  # `تعيد تقول`: a verb after a verb
        ):
            continue
        return [second]
    return None


def _pre(tokens: list[Token]) -> tuple[int, int] | None:
    return (tokens[0].start, tokens[-1].end) if tokens else None


def _from_np(np: dict[str, Any], gender: str | None) -> dict[str, Any]:
    kind = np["np"]
    if kind == "pronoun":
        g = np.get("gender")
        g = g if g in ("m", "f") else gender
        return _evidence("elided", g, np="pronoun", name=np.get("name"), head=np.get("head"))
    return _evidence(
        "explicit",
        gender,
        np.get("region"),
        np.get("name"),
        np=kind,
        head=np.get("head"),
        of=np.get("of"),
        qualifier=np.get("qualifier"),
    )


# --- quoted speech ---------------------------------------------------------------------


def _title_like(doc: _Doc, tokens: list[Token]) -> bool:
    """`"One Hundred Years of Solitude"`: every content word capitalised, a title or a name."""
    if not doc.en or not tokens:
        return False
    if re.match(r"\s*[?!]", doc.body[tokens[-1].end :]):
        return False  # `"Where?"`: a question or an exclamation is speech
    content = [
        t
        for t in tokens
        if t.text.lower() not in _NAME_PARTICLES | {"of", "and", "the", "a", "an", "in", "on", "for", "to"}
    ]
    return bool(content) and all(_cap(t) for t in content)


def _fragment_ok(doc: _Doc, q: QuotedSpan, content: list[Token]) -> bool:
    """A quoted fragment inside reported speech, not a name or a title in marks."""
    if _title_like(doc, content):
        return False
    tail = doc.body[(q.close_mark if q.close_mark is not None else q.end) + 1 :][:3]
    at_clause_end = not tail.strip() or tail.strip()[0] in _CLAUSE_PUNCT + _SENTENCE_END
    if doc.body[q.open_mark] in "«‹":
        return len(content) > 4 or (len(content) >= 2 and at_clause_end)
    return len(content) >= 2 or at_clause_end


def _right_attribution(doc: _Doc, q: QuotedSpan, limit: int) -> tuple[Token, Cue, dict[str, Any]] | None:
    """`"…," X said` / `"…," said X` / `«…»، قال X`: the cue and speaker after the quote."""
    if q.close_mark is None:
        return None
    after = doc.tokens_in(q.close_mark + 1, limit)
    if not after:
        return None
    gap = doc.gap(q.close_mark + 1, after[0].start)
    if any(ch in gap for ch in _SENTENCE_END + ":;؛") or any(ch in gap for ch in '"“”«»'):
        return None
    content_end = doc.body[q.start : q.end].rstrip()
    closes = bool(re.search("[,،?!؟…" + re.escape(_DASHES) + r"]\s*$", content_end)) or bool(
        re.search("[,،" + re.escape(_DASHES) + "]", gap)
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
        np = _np(doc, rest if not doc.en else _comma_groups(doc, rest)[0] if rest else [])
        if np["np"] in (None, "anonymous"):
            return None
        ev = _from_np(np, None)
        ev["kind"] = "source"
        return after[0], Cue(normalize(after[0].text), "verb", None), ev
    c0 = doc.cue(after[0], after_quote=True)
    if c0 is not None and c0.kind in ("verb", "after") and (closes or doc.en):
        np_tokens = _after_cue(doc, after[0], limit)
        np = _np(doc, np_tokens)
        if np["np"] is not None:
            return after[0], c0, _from_np(np, c0.gender)
        if not doc.en:
            return after[0], c0, _evidence("elided", c0.gender)
    if not doc.en:
        return None
    if not closes:
        return _closing_attribution(doc, q, after, limit)
    for k in range(1, min(len(after), _MAX_NP_TOKENS + 1)):
        t = after[k]
        g = doc.gap(after[k - 1].end, t.start)
        if any(ch in g for ch in ':;"“”') or _breaks(after[k - 1], g):
            return None
        if after[k - 1].text.lower() in _CLAUSE_BREAKERS_EN - {"who", "that"} and k - 1 == 0:
            return None
        c = doc.cue(t, after_quote=True)
        if c is None or c.kind not in ("verb", "after"):
            if after[k - 1].text.lower() in {"and", "but"} and k - 1 > 0:
                return None
            continue
        np_tokens = after[:k]
        # `"…," Anna Ramirez, who …, told …`: drop a relative clause from the subject.
        groups = _comma_groups(doc, np_tokens)
        if len(groups) > 1 and groups[-1][0].text.lower() in {"who", "which"}:
            np_tokens = [t2 for grp in groups[:-1] for t2 in grp]
        np = _np_en(doc, np_tokens)
        if np["np"] is None:
            return None
        return t, c, _from_np(np, c.gender)
    return _any_verb_attribution(doc, after, limit)


def _any_verb_attribution(
    doc: _Doc, after: list[Token], limit: int
) -> tuple[Token, Cue, dict[str, Any]] | None:
    """`"Why did he say that?" Mason pushed further.`: a name or pronoun and a verb right after a quote.

    The press attributes with any verb there (pressed, pushed, laughed, joked), so
    a short clause of a name or pronoun and a past-tense or present verb that
    ends the sentence is the attribution.
    """
    if len(after) < 2:
        return None
    rest = doc.tokens_in(after[0].start, limit)
    name_len = next((k for k, t in enumerate(rest) if not _cap(t)), len(rest))
    if not 1 <= name_len <= 3 or name_len >= len(rest):
        return None
    verb = rest[name_len]
    if not re.fullmatch(r"[a-z]+(?:ed|s)", verb.text) or len(rest) - name_len > 4:
        return None
    np = _np_en(doc, rest[:name_len])
    if np["np"] not in ("name", "pronoun"):
        return None
    return verb, Cue(verb.text.lower(), "after", None), _from_np(np, None)


def _closing_attribution(
    doc: _Doc, q: QuotedSpan, after: list[Token], limit: int
) -> tuple[Token, Cue, dict[str, Any]] | None:
    """`"I've talked to the president" about that tweet, Spicer said.`: the sentence's closing attribution.

    Only for a quote that opens its sentence; the attribution is the last comma
    group and names a speaker with a cue.
    """
    if doc.tokens_in(doc.sentence_of(q.open_mark).start, q.open_mark):
        return None
    groups = _comma_groups(doc, after)
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
    np = _np_en(doc, tail[:k] if k else _after_cue(doc, tail[k], limit))
    if np["np"] in (None, "anonymous"):
        return None
    return tail[k], cue, _from_np(np, cue.gender)


def _cue_with_pronoun(lex: Lexicon, token: str) -> bool:
    """`قاله`, `أفادت`: a cue, possibly with an object pronoun attached."""
    if lex.cue(token):
        return True
    n = normalize(token)
    return any(n.endswith(p) and lex.cue(n[: -len(p)]) for p in ("ه", "ها", "هم"))


def _left_attribution(
    doc: _Doc, q: QuotedSpan, lstart: int, content: list[Token]
) -> tuple[str, Token | None, dict[str, Any] | None] | None:
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
                _speaker_of_cue(doc, doc.sentence_of(q.open_mark).start, ltoks[k], cue, q.open_mark),
            )
        if 0 < len(ltoks) <= 4:
            np = _np(doc, ltoks)
            name = np.get("name") or doc.text_of(ltoks)
            return (
                "direct",
                None,
                _evidence("explicit", None, (ltoks[0].start, ltoks[-1].end), name, np=np.get("np") or "name"),
            )
        if len(content) >= 5 and ltoks:
            return (
                "direct",
                None,
                _evidence("explicit", None, (ltoks[0].start, ltoks[-1].end), None, np="region"),
            )
        return None
    if found is not None:
        k, cue = found
        between = ltoks[k + 1 :]
        comp = next((j for j, t in enumerate(between) if lex.is_complementizer(t.text)), None)
        tail_gap = doc.body[(between[-1].end if between else ltoks[k].end) : q.open_mark]
        if comp is None and not any(ch in tail_gap for ch in _SENTENCE_END):
            if (
                doc.en
                and len(between) <= 3
                and (not between or normalize(ltoks[k].text) in lex.object_cues or len(between) <= 1)
            ):
                # `Burton said, "…"`, `He told everyone, "…"`, `, he said, "…"`
                return (
                    "direct",
                    ltoks[k],
                    _speaker_of_cue(doc, doc.sentence_of(q.open_mark).start, ltoks[k], cue, q.open_mark),
                )
            if not doc.en and len(between) <= 12 and len(content) >= 3 and _ends_clause(doc, q):
                return (
                    "direct",
                    ltoks[k],
                    _speaker_of_cue(doc, doc.sentence_of(q.open_mark).start, ltoks[k], cue, q.open_mark),
                )
        reported = (comp is not None and comp < len(between) - 1) or (
            comp is None and doc.en and len(between) >= 2
        )
        if (reported or (comp is not None and not doc.en)) and _fragment_ok(doc, q, content):
            limit = between[comp].start if comp is not None else q.open_mark
            return (
                "mixed",
                ltoks[k],
                _speaker_of_cue(doc, doc.sentence_of(q.open_mark).start, ltoks[k], cue, limit),
            )
        return None
    if describing is not None and _fragment_ok(doc, q, content):
        t = ltoks[describing]
        ev = _speaker_of_cue(
            doc, doc.sentence_of(q.open_mark).start, t, Cue(normalize(t.text), "verb", None), q.open_mark
        )
        return "mixed", t, ev
    return None


def _ends_clause(doc: _Doc, q: QuotedSpan) -> bool:
    """Speech closes its clause; a name or title in marks runs on into the sentence."""
    end = q.close_mark if q.close_mark is not None else q.end
    rest = doc.body[end + 1 :].lstrip(" \t")
    return not rest or rest[0] in _CLAUSE_PUNCT + _SENTENCE_END + ":\n" + _DASHES or rest[0] in '"“”«»'


def _standalone(doc: _Doc, q: QuotedSpan, lstart: int, sent: _Sentence) -> bool:
    """The quote is a sentence of its own: nothing of the sentence before it, nothing after."""
    if doc.tokens_in(lstart, q.open_mark):
        return False
    end = q.close_mark if q.close_mark is not None else q.end
    rest = doc.tokens_in(end + 1, sent.end)
    return not rest


def _free_speech(doc: _Doc, q: QuotedSpan, lstart: int, content: list[Token]) -> bool:
    """A sentence-initial quote that reads as speech though no cue names it.

    `"I said that Jones' cow was better," but then he rebutted`, `I was
    shocked--"My cow is better!"`: a clause of three words or more that opens
    its sentence (or follows a dash) and ends as speech ends, in `, . ! ?`.
    """
    if len(content) < 3:
        return False
    lead = doc.body[lstart : q.open_mark]
    if doc.tokens_in(lstart, q.open_mark) and not lead.rstrip().endswith(tuple(_DASHES)):
        return False
    inner = doc.body[q.start : q.end].rstrip()
    return inner[-1:] in ",.!?؟…،"


def _content_tokens(doc: _Doc, q: QuotedSpan) -> list[Token]:
    return doc.tokens_in(q.start, q.end)


def _clean(doc: _Doc, start: int, end: int) -> tuple[int, int]:
    body = doc.body
    while start < end and (body[start].isspace() or body[start] in _CLAUSE_PUNCT):
        start += 1
    while end > start and (body[end - 1].isspace() or body[end - 1] in _CLAUSE_PUNCT + ".:"):
        end -= 1
    return start, end


def _quote(
    kind: str, doc: _Doc, start: int, end: int, cue: str | None, ev: dict[str, Any] | None
) -> dict[str, Any]:
    s, e = _clean(doc, start, end)
    return {"kind": kind, "text": doc.body[s:e], "start": s, "end": e, "cue": cue, "evidence": ev}


def _marked(doc: _Doc, taken: list[tuple[int, int]]) -> tuple[list[dict[str, Any]], set[int]]:
    """Quotes in marks, in text order; and the cue tokens they used."""
    out: list[dict[str, Any]] = []
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
        ev: dict[str, Any] | None = None
        if q.continues:
            kind, ev = "direct", _evidence("continued")
        elif (right := _right_attribution(doc, q, limit)) is not None:
            kind, cue_tok, ev = "direct", right[0], right[2]
        elif (left := _left_attribution(doc, q, lstart, content)) is not None:
            kind, cue_tok, ev = left
        elif (_standalone(doc, q, lstart, sent) or _free_speech(doc, q, lstart, content)) and not _title_like(
            doc, content
        ):
            prev_speech = out[-1] if out else None
            same_unit = prev_speech is not None and doc.unit_of(prev_speech["start"]) == unit
            prev_unit = last_speech_unit is not None and _adjacent_units(doc, last_speech_unit, unit)
            if same_unit or prev_unit:
                kind, ev = "direct", _evidence("continued")
            else:
                kind, ev = "direct", _evidence("elided")
        if kind is None:
            continue
        if ev is not None and ev.get("np") == "anonymous":
            continue  # `a source said`, `قال مصدر`: nobody the article names
        if cue_tok is not None:
            used.add(cue_tok.start)
        last_close_in_sentence[sent.start] = close
        last_speech_unit = unit
        out.append(_quote(kind, doc, q.start, q.end, cue_tok.text if cue_tok else None, ev))
    return out, used


def _speechlike(doc: _Doc, q: QuotedSpan) -> bool:
    """Could be speech (long, or introduced by a colon), as opposed to a name in marks."""
    if len(doc.tokens_in(q.start, q.end)) > 4:
        return True
    return doc.body[max(0, q.open_mark - 40) : q.open_mark].rstrip().endswith(":")


def _adjacent_units(doc: _Doc, a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Unit `b` is `a` or the unit right after it."""
    if a == b:
        return True
    ia = doc.units.index(a) if a in doc.units else -2
    return ia + 1 < len(doc.units) and doc.units[ia + 1] == b


def _colon_speech(doc: _Doc) -> tuple[list[dict[str, Any]], set[int]]:
    """`وأضاف: نحن …`, `قائلاً: …`, `He added: We …`: speech after a cue and a colon, no marks."""
    out: list[dict[str, Any]] = []
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
        ev = _speaker_of_cue(doc, sent.start, ltoks[k], cue, i)
        if ev.get("np") == "anonymous":
            continue
        used.add(ltoks[k].start)
        out.append(_quote("direct", doc, i + 1, unit[1], ltoks[k].text, ev))
    return out, used


# --- indirect speech -------------------------------------------------------------------


def _content_end(doc: _Doc, content_start: int, sent_end: int) -> int:
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
        after_comma = any(ch in _CLAUSE_PUNCT for ch in gap)
        if c2 is not None and after_comma and c2.kind in ("participle", "verb"):
            joined = normalize(t.text)[:1] in ("و", "ف") and not doc.en
            if c2.kind == "participle" or joined:
                return t.start
        prev_end = t.end
    return sent_end


def _trim_before(doc: _Doc, cs: int, ce: int, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """Reported content that runs into a quote already taken ends at the clause before it."""
    clash = [a for a, b in taken if a < ce and cs < b]
    if not clash:
        return cs, ce
    first = min(clash)
    if first <= cs:
        return None
    cut = max(doc.body.rfind(ch, cs, first) for ch in _CLAUSE_PUNCT)
    if cut <= cs:
        return None
    cs2, ce2 = _clean(doc, cs, cut)
    return (cs2, ce2) if len(doc.tokens_in(cs2, ce2)) >= 4 else None


def _indirect(doc: _Doc, used: set[int], taken: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """Reported speech without marks: cue, speaker, complementizer, content to the clause end."""
    lex = doc.lex
    out: list[dict[str, Any]] = []
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
            elif first in lex.speaker_stops or _adverb(lex, window[0]):
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
        cs, ce = _clean(doc, content_start, _content_end(doc, content_start, sent.end))
        if ce - cs < 3 or len(doc.tokens_in(cs, ce)) < 2:
            continue
        trimmed = _trim_before(doc, cs, ce, taken)
        if trimmed is None:
            continue
        cs, ce = trimmed
        limit = window[comp_at].start if comp_at is not None else tok.end
        ev = _speaker_of_cue(doc, sent.start, tok, cue, limit)
        if ev.get("np") == "anonymous":
            continue
        if doc.en and any(w.lower() in _AUXILIARIES for w in (ev.get("name") or "").split()):
            continue  # `The plan is ready …, said John Smith`: a report before the cue is no speaker
        out.append(_quote("indirect", doc, cs, ce, tok.text, ev))
        taken.append((cs, ce))
    return out


def _content_first(doc: _Doc, used: set[int], taken: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """`…, the minister said.` / `…, said X.` / `…, the company said on Sunday, a day after …`.

    The report comes first and a comma group holding the attribution closes it
    (adjunct groups may follow it).
    """
    out: list[dict[str, Any]] = []
    for sent in doc.sentences:
        toks = doc.tokens_in(sent.start, sent.end)
        k = bisect.bisect_left(doc._top_opens, sent.start)
        if len(toks) < 6 or (k < len(doc.top) and doc.top[k].open_mark < sent.end):
            continue  # a sentence with a quote in it is the marked rules' to read
        groups = _comma_groups(doc, toks)
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
                    after = _after_cue(doc, cue_tok, sent.end)
                    if any(t.text.lower() in _AUXILIARIES for t in after):
                        break  # `X, director of …, said the gang had operated …`: a clause, no speaker
                    np = _np_en(doc, after)  # `…, said X.`
                else:
                    if rest and rest[0].text.lower() not in doc.lex.speaker_stops:
                        break  # `…, he said the …`: a report of its own, not an attribution
                    np = _np_en(doc, tail[:cue_k])
            else:
                if cue_k != 0:
                    break
                np = _np_ar(doc, _after_cue(doc, cue_tok, sent.end))
            if np["np"] in (None, "anonymous"):
                break
            cs, ce = _clean(doc, sent.start, groups[gi - 1][-1].end)
            if len(doc.tokens_in(cs, ce)) < 4 or any(a < ce and cs < b for a, b in taken):
                break
            used.add(cue_tok.start)
            taken.append((cs, ce))
            out.append(_quote("indirect", doc, cs, ce, cue_tok.text, _from_np(np, cue.gender)))
            break
    return out


def _according_to(doc: _Doc, taken: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """`…, according to X` / `بحسب X، …` / `…، حسبما أفادت X`: the source X reports the clause."""
    lex = doc.lex
    out: list[dict[str, Any]] = []
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
            if source and any(ch in _CLAUSE_PUNCT for ch in doc.gap(source[-1].end, t.start)):
                break
            source.append(t)
        if not source:
            continue
        lead = doc.body[sent.start : tok.start]
        quoted_lead = any(s.start >= sent.start and s.end <= tok.start for s in doc.top)
        if lead.strip(" ،,") and len(doc.tokens_in(sent.start, tok.start)) >= 3:
            cs, ce = _clean(doc, sent.start, tok.start)  # `clause, according to X`
        else:
            cs, ce = _clean(doc, source[-1].end, sent.end)  # `بحسب X، clause`
            opener = next((w for w in lex.clause_openers if doc.body.startswith(w + " ", cs)), None)
            cs = cs + len(opener) + 1 if opener else cs  # `بحسب X، فإن …`
        if ce - cs < 3 or len(doc.tokens_in(cs, ce)) < 3:
            continue
        if any(a < ce and cs < b for a, b in taken) or (quoted_lead and cs == sent.start):
            continue
        np = _np(doc, source)
        if np["np"] == "anonymous":
            continue
        region = (source[0].start, source[-1].end)
        name = np.get("name") or doc.text_of(source)
        out.append(
            _quote(
                "indirect",
                doc,
                cs,
                ce,
                tok.text if not doc.en else f"{tok.text} to",
                _evidence("source", None, region, name, np=np.get("np"), head=np.get("head")),
            )
        )
    return out


def extract_quotes(body: str, lex: Lexicon) -> list[dict[str, Any]]:
    """Quote candidates in `body` (offsets into body), each with speaker evidence, in text order."""
    doc = _Doc(body, lex)
    if not doc.tokens:
        return []
    colon, used = _colon_speech(doc)
    taken = [(q["start"], q["end"]) for q in colon]
    marked, used_marked = _marked(doc, taken)
    used |= used_marked
    out = colon + marked
    taken = [(q["start"], q["end"]) for q in out]
    out += _indirect(doc, used, taken)
    out += _content_first(doc, used, taken)
    out += _according_to(doc, taken)
    out.sort(key=lambda q: q["start"])
    return [q for q in out if q["text"]]
