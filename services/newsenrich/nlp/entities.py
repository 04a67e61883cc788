"""Named entities: stanza NER mentions turned into one entity per real-world referent.

A raw NER model labels spans one sentence at a time, so the same person comes
out as `مارك روته` in one place, `روته` in another and is missed in a third.
Downstream users want "who is in this article": one entity with all its
mentions. The steps here are document-level and model-agnostic:

1. mentions from the model, with an attached proclitic (و، ف، ب، ل، ك) moved
   out of the span where the tokenizer shows the token really carries one;
2. a name the press wraps in «…» and the model tagged in part is widened to
   the whole «…» (the marks delimit the name better than a small model);
3. clustering: a mention whose name tokens are a run inside a longer name of
   a compatible label joins that entity (`روته` -> `مارك روته`);
4. labels by majority, the fullest name as canonical;
5. propagation: other occurrences of an entity's names in the document
   become mentions too, so one found mention rescues the ones the model missed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from newsenrich.nlp.pipeline import Annotated
from newsenrich.nlp.text import (
    PROCLITICS,
    is_arabic_word,
    name_tokens,
    normalize,
    normalize_with_offsets,
)

LABELS = ("PER", "ORG", "LOC", "MISC")
_SINGLE_PROCLITICS = {"و", "ف", "ب", "ل", "ك"}
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

    @property
    def tokens(self) -> tuple[str, ...]:
        return name_tokens(self.text)

    def overlaps(self, other: Mention) -> bool:
        return self.field == other.field and self.start < other.end and other.start < self.end


@dataclass
class Entity:
    mentions: list[Mention] = field(default_factory=list)

    @property
    def label(self) -> str:
        votes = Counter(m.label for m in self.mentions)
        best = max(votes.values())
        tied = [lab for lab, n in votes.items() if n == best]
        if len(tied) == 1:
            return tied[0]
        # On a tie, trust the mention with the most context: the longest name.
        longest = max(self.mentions, key=lambda m: (len(m.tokens), len(m.text)))
        return longest.label if longest.label in tied else sorted(tied)[0]

    @property
    def name(self) -> str:
        best = max(
            self.mentions,
            key=lambda m: (len(m.tokens), not m.text.startswith("لل"), m.field == "body", len(m.text)),
        )
        return best.text

    @property
    def token_forms(self) -> set[tuple[str, ...]]:
        return {m.tokens for m in self.mentions}


def segments_of(title: str | None, body: str) -> list[Segment]:
    """Title and body paragraphs, each with its offset, blank lines dropped."""
    out: list[Segment] = []
    if title and title.strip():
        out.append(Segment("title", 0, title))
    pos = 0
    for line in body.split("\n"):
        if line.strip():
            out.append(Segment("body", pos, line))
        pos += len(line) + 1
    return out


def _really_proclitic(rest: str, vocabulary: frozenset[str]) -> bool:
    """Trust a split-off proclitic only when the rest is a definite noun or a word of the article.

    A small MWT model also splits names that merely begin with such a letter
    (لبنان -> ل + بنان); the article itself tells the two cases apart.
    """
    rest_n = normalize(rest)
    return rest_n.startswith("ال") or rest_n in vocabulary


def article_vocabulary(*texts: str | None) -> frozenset[str]:
    return frozenset(normalize(w) for t in texts if t for w in re.findall(r"[\w\u064b-\u0652]+", t))


def mentions_from_stanza(
    segment: Segment, annotated: Annotated, vocabulary: frozenset[str] = frozenset()
) -> list[Mention]:
    """Model mentions of one annotated segment, in field offsets, proclitics moved out."""
    out: list[Mention] = []
    for ent in annotated.doc.ents:
        if ent.type not in LABELS:
            continue
        start, end = ent.start_char, ent.end_char
        first = ent.tokens[0]
        words = [w.text for w in first.words]
        if (
            len(words) > 1
            and words[0] in _SINGLE_PROCLITICS
            and first.text.startswith(words[0])
            and not (words[0] == "ل" and words[1].startswith("ال"))  # لل = ل + ال, keep it whole
            and end - start > len(words[0]) + 1
            and _really_proclitic(first.text[len(words[0]) :], vocabulary)
        ):
            start += len(words[0])
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
    out: list[Mention] = []
    for m in mentions:
        if m.label != "MISC":
            span = _enclosing_guillemets(fields[m.field], m.start, m.end)
            # Only a name tagged from its first word on (`«مارك» روته` -> `«مارك روته»`);
            # a place at the end of a quoted phrase (`«بعدم حماية واشنطن»`) stays a place.
            if span is not None and span[0] == m.start and span[1] != m.end:
                m = Mention(m.field, span[0], span[1], fields[m.field][span[0] : span[1]], m.label)
        if not any(o.overlaps(m) and (o.start, o.end) == (m.start, m.end) for o in out):
            out = [o for o in out if not (o.overlaps(m) and o.start >= m.start and o.end <= m.end)]
            if not any(o.overlaps(m) for o in out):
                out.append(m)
    return out


def _is_run_inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    if not short or len(short) >= len(long):
        return False
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _compatible(a: str, b: str) -> bool:
    return a == b or "MISC" in (a, b)


def cluster(mentions: Iterable[Mention]) -> list[Entity]:
    """Group mentions into entities: equal names, or a shorter name inside a longer one."""
    ordered = sorted(mentions, key=lambda m: (-len(m.tokens), m.field != "title", m.start))
    entities: list[Entity] = []
    for m in ordered:
        toks = m.tokens
        if not toks:
            continue
        # The same surface name twice in one article is one referent, whatever the labels say.
        home = next((e for e in entities if toks in e.token_forms), None)
        if home is None:
            candidates = [
                e
                for e in entities
                if _compatible(e.label, m.label)
                and any(_is_run_inside(toks, f) for f in e.token_forms)
                and all(len(t) >= 2 for t in toks)
            ]
            if candidates:
                # An ambiguous short form goes to the entity mentioned most.
                home = max(candidates, key=lambda e: len(e.mentions))
        if home is None:
            home = Entity()
            entities.append(home)
        home.mentions.append(m)
    return entities


def _name_pattern(tokens: tuple[str, ...], arabic: bool) -> re.Pattern[str]:
    """Regex for a name in running text, over the normalised text, proclitics allowed in Arabic."""
    body = r"\s+".join(re.escape(t) for t in tokens)
    if arabic:
        prefix = "(?:" + "|".join(PROCLITICS) + ")?"
        return re.compile(rf"(?<![\w]){prefix}(?:«)?({body})(?![\w])")
    return re.compile(rf"(?<![\w])({body})(?![\w])")


def _search_forms(token_forms: set[tuple[str, ...]], label: str) -> list[tuple[str, ...]]:
    """The names to look for, longest first; people also by surname (روته، De Vries)."""
    forms = set(token_forms)
    if label == "PER":
        forms |= {f[-1:] for f in token_forms if len(f) >= 2}
    return sorted({f for f in forms if f and sum(len(t) for t in f) >= 3}, key=len, reverse=True)


class _Fields:
    """The article's fields with their normalised forms, computed once per article."""

    def __init__(self, title: str | None, body: str):
        self.text = {"title": title or "", "body": body}
        self.normalized = {f: normalize_with_offsets(t) for f, t in self.text.items()}


def _claim_occurrences(
    forms: list[tuple[str, ...]], label: str, fields: _Fields, taken: list[Mention]
) -> list[Mention]:
    """Occurrences of `forms` that no mention in `taken` covers yet; each found one is taken."""
    found: list[Mention] = []
    for form in forms:
        pattern = _name_pattern(form, all(is_arabic_word(t) for t in form))
        for fname, (norm_text, index) in fields.normalized.items():
            text = fields.text[fname]
            for hit in pattern.finditer(norm_text):
                s, t = index[hit.start(1)], index[hit.end(1) - 1] + 1
                cand = Mention(fname, s, t, text[s:t], label)
                if not any(o.overlaps(cand) for o in taken):
                    found.append(cand)
                    taken.append(cand)
    return found


def propagate(entities: list[Entity], fields: _Fields) -> None:
    """Add unlabelled occurrences of each entity's names as mentions of it."""
    taken = [m for e in entities for m in e.mentions]
    for e in entities:
        if e.label != "MISC":
            e.mentions += _claim_occurrences(_search_forms(e.token_forms, e.label), e.label, fields, taken)


def _contract(e: Entity, eid: str) -> dict[str, Any]:
    ms = sorted(e.mentions, key=lambda m: (m.field != "title", m.start))
    return {
        "id": eid,
        "name": e.name,
        "label": e.label,
        "mentions": [{"start": m.start, "end": m.end, "text": m.text, "field": m.field} for m in ms],
    }


def trim_roles(mentions: list[Mention], roles: frozenset[str]) -> list[Mention]:
    """Titles and roles are not names: `Prime Minister Marco Bellini` -> `Marco Bellini`.

    Leading role words, and in Arabic leading definite words (`الأميركي دونالد`),
    are cut from person mentions that have a name left after them.
    """
    out = []
    for m in mentions:
        if m.label == "PER":
            words = list(re.finditer(r"\S+", m.text))
            cut = 0
            while cut < len(words) - 1:
                w = normalize(words[cut].group().strip('«»"“”'))
                if w in roles or (is_arabic_word(w) and w.startswith("ال")):
                    cut += 1
                else:
                    break
            # `ECB President Christine Lagarde`: a role word among the first words, a name after it.
            for k in range(min(3, len(words) - 2), cut, -1):
                if normalize(words[k - 1].group()) in roles:
                    cut = k
                    break
            if cut:
                start = m.start + words[cut].start()
                m = Mention(m.field, start, m.end, m.text[words[cut].start() :], m.label)
        out.append(m)
    return out


def build_entities(
    mentions: list[Mention], title: str | None, body: str, roles: frozenset[str] = frozenset()
) -> list[dict[str, Any]]:
    """The `entities` array of the contract, from raw model mentions of one article."""
    fields = _Fields(title, body)
    widened = widen_to_guillemets(trim_roles(mentions, roles), fields.text)
    entities = cluster(widened)
    propagate(entities, fields)
    entities.sort(key=lambda e: min((m.field != "title", m.start) for m in e.mentions))
    return [_contract(e, f"E{i}") for i, e in enumerate(entities, 1)]


def add_entity(
    existing: list[dict[str, Any]], name: str, label: str, title: str | None, body: str
) -> dict[str, Any] | None:
    """A new contract entity for `name` with all its free occurrences, or None if it never occurs free."""
    fields = _Fields(title, body)
    taken = [
        Mention(m.get("field", "body"), m["start"], m["end"], m["text"], e["label"])
        for e in existing
        for m in e["mentions"]
    ]
    mentions = _claim_occurrences(_search_forms({name_tokens(name)}, label), label, fields, taken)
    return _contract(Entity(mentions), f"E{len(existing) + 1}") if mentions else None
