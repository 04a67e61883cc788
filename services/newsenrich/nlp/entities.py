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

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from newsenrich.nlp.pipeline import Annotated
from newsenrich.nlp.text import (
    INVISIBLE,
    JOINED_HEADS,
    PROCLITICS,
    is_arabic_word,
    name_tokens,
    normalize,
    normalize_with_offsets,
    without_article,
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
    vote: bool = True  # an acronym or a propagated occurrence does not vote on the label

    @property
    def tokens(self) -> tuple[str, ...]:
        return name_tokens(self.text)

    def overlaps(self, other: Mention) -> bool:
        return self.field == other.field and self.start < other.end and other.start < self.end


@dataclass
class Entity:
    mentions: list[Mention] = field(default_factory=list)

    fixed_label: str | None = None  # settled by evidence (a gazetteer place, a news agency)

    @property
    def label(self) -> str:
        if self.fixed_label:
            return self.fixed_label
        voters = [m for m in self.mentions if m.vote] or self.mentions
        votes = Counter(m.label for m in voters)
        best = max(votes.values())
        tied = [lab for lab, n in votes.items() if n == best]
        if len(tied) == 1:
            return tied[0]
        # On a tie, trust the mention with the most context: the longest name.
        longest = max(voters, key=lambda m: (len(m.tokens), len(m.text)))
        return longest.label if longest.label in tied else sorted(tied)[0]

    @property
    def name(self) -> str:
        best = max(
            [m for m in self.mentions if m.vote] or self.mentions,
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
        first = ent.tokens[0].text
        if (
            len(first) > 2
            and first[0] in _SINGLE_PROCLITICS
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
    kept = _Kept()
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


class _Kept:
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


def _is_run_inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    if not short or len(short) >= len(long):
        return False
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _compatible(a: str, b: str) -> bool:
    return a == b or "MISC" in (a, b)


def _skeleton(token: str) -> str:
    """A Latin token without vowels after its first letter and without doubled letters.

    `mohamed`, `mohammed`, `muhammad` -> `mhmd`: transliterations of one name.
    Arabic tokens are left as they are (their spelling variants fold in `normalize`).
    """
    if not token.isascii() or not token.isalpha():
        return token
    core = token[0] + re.sub("[aeiouy]", "", token[1:])
    return re.sub(r"(.)\1+", r"\1", core)


def _variant_of(toks: tuple[str, ...], form: tuple[str, ...]) -> bool:
    """Two spellings of one multi-word name: `Mohamed Haddad` / `Mohammed Haddad`."""
    if len(toks) < 2 or len(toks) != len(form) or toks == form:
        return False
    pairs = list(zip(toks, form, strict=True))
    differ = [(a, b) for a, b in pairs if a != b]
    return len(differ) < len(pairs) and all(
        _skeleton(a) == _skeleton(b) and min(len(a), len(b)) >= 5 for a, b in differ
    )


def _surname_of(
    toks: tuple[str, ...], form: tuple[str, ...], a: str, b: str, is_place: Callable[[str], bool]
) -> bool:
    """`Whitfield` is `Dana Whitfield` even when the tagger labelled one of them otherwise.

    Only a person's name and its last words, one side labelled PER, and the
    short form no known place: a country stays apart from the organisation
    named after it (Romania, National Bank of Romania), Washington the city
    from George Washington.
    """
    if len(toks) >= len(form) or form[-len(toks) :] != toks or "PER" not in (a, b) or a == b:
        return False
    return b == "PER" or not is_place(" ".join(toks))


def _short_for_org(
    toks: tuple[str, ...], form: tuple[str, ...], a: str, b: str, is_place: Callable[[str], bool]
) -> bool:
    """`Voltaris` is `Voltaris Energy` even when tagged a person; `Abu Dhabi` stays a place."""
    return (
        a == "ORG"
        and b in ("PER", "ORG", "MISC")
        and len(toks) < len(form)
        and form[: len(toks)] == toks
        and not is_place(" ".join(toks))
    )


# Words that name a place's kind: `مدينة دبي` and `New York City` are Dubai and New York.
_PLACE_KINDS = frozenset(
    normalize(w)
    for w in (
        *("مدينة", "المدينة", "إمارة", "امارة", "دولة", "جمهورية", "مملكة", "المملكة", "ولاية", "محافظة"),
        *("مديرية", "مديريتا", "مديريتي", "بلدة", "قرية", "إقليم", "قضاء"),
        *("city", "state", "republic", "kingdom", "province", "emirate", "of", "the"),
    )
)


# Heads of facility names (`ميناء صيدا القديم`, `مستشفى أسيوط العام`): places of their own.
_FACILITY_HEADS = ("ميناء", "مطار", "محطة", "ساحة", "ملعب", "مستشفى", "شارع", "جسر", "ميدان", "مخيم")
_FACILITY_HEAD_WORDS = frozenset(normalize(w) for w in _FACILITY_HEADS)


def _place_inside_another_name(
    toks: tuple[str, ...], form: tuple[str, ...], is_place: Callable[[str], bool]
) -> bool:
    """`دبي` inside `مدينة دبي الأكاديمية` (a district), Nevada inside `University of Nevada`:
    a known place is not the longer name it stands in, unless that name only says what kind of
    place it is (`مدينة دبي`, `New York City`) or is itself a known name of the place."""
    if form[0] in _FACILITY_HEAD_WORDS and toks[0] != form[0]:
        return True  # `أسيوط` is not `مستشفى أسيوط العام`, known place or not
    core = tuple(t for t in toks if t not in _PLACE_KINDS)
    if not core or not is_place(" ".join(core)) or is_place(" ".join(form)):
        return False
    return tuple(t for t in form if t not in _PLACE_KINDS) != core


def cluster(mentions: Iterable[Mention], is_place: Callable[[str], bool] = lambda _: True) -> list[Entity]:
    """Group mentions into entities: equal names, spelling variants, a shorter name inside a longer one."""
    ordered = sorted(mentions, key=lambda m: (-len(m.tokens), m.field != "title", m.start))
    entities: list[Entity] = []
    # Every relation below holds only between names that share a word, so each mention is
    # compared with the entities that have one of its words, not with all of them: the
    # work grows with the article, not with its square. (Creation order is kept, so the
    # first match is the one a scan of every entity would find.)
    by_form: dict[tuple[str, ...], Entity] = {}
    by_word: dict[str, dict[int, Entity]] = {}
    rank: dict[int, int] = {}
    for m in ordered:
        toks = m.tokens
        if not toks:
            continue
        # The same surface name twice in one article is one referent, whatever the labels say.
        home = by_form.get(toks)
        near = {i: e for t in toks for i, e in by_word.get(t, {}).items()}
        sharing = sorted(near.values(), key=lambda e: rank[id(e)])
        if home is None:
            home = next((e for e in sharing if any(_variant_of(toks, f) for f in e.token_forms)), None)
        if home is None:
            candidates = [
                e
                for e in sharing
                if all(len(t) >= 2 for t in toks)
                and any(
                    (
                        _compatible(e.label, m.label)
                        and _is_run_inside(toks, f)
                        and not _place_inside_another_name(toks, f, is_place)
                    )
                    or _surname_of(toks, f, e.label, m.label, is_place)
                    or _short_for_org(toks, f, e.label, m.label, is_place)
                    for f in e.token_forms
                )
            ]
            if candidates:
                # An ambiguous short form goes to the entity mentioned most.
                home = max(candidates, key=lambda e: len(e.mentions))
                if any(_short_for_org(toks, f, home.label, m.label, is_place) for f in home.token_forms):
                    m.vote = False  # `Voltaris` for `Voltaris Energy`: the organisation's label stands
                elif m.label == "PER" and home.label != "PER" and not _compatible(home.label, m.label):
                    home.fixed_label = "PER"  # `Whitfield` said it: `Dana Whitfield` is a person
        if home is None:
            home = Entity()
            rank[id(home)] = len(entities)
            entities.append(home)
        home.mentions.append(m)
        by_form.setdefault(toks, home)
        for t in toks:
            by_word.setdefault(t, {})[id(home)] = home
    return entities


_FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "de", "&", "on", "in", "du", "des", "la", "le"})


def _initials_match(acronym: str, words: list[str]) -> bool:
    """`IMF` / International Monetary Fund, `UKHSA` / UK Health Security Agency, `DOE` / Department of Energy.

    Every content word gives the first one or more of its letters, a function
    word gives its first letter or nothing, and leading words may be skipped
    (`U.S. Department of Energy` -> DOE).
    """
    acr = acronym.lower()
    ws = [w.lower().replace(".", "") for w in words if w.strip(".")]

    @cache
    def fit(i: int, j: int) -> bool:
        if j == len(ws):
            return i == len(acr)
        w = ws[j]
        if w in _FUNCTION_WORDS and fit(i, j + 1):
            return True
        return any(
            i + k <= len(acr) and acr[i : i + k] == w[:k] and fit(i + k, j + 1) for k in range(1, len(w) + 1)
        )

    return any(fit(0, start) for start in range(min(2, len(ws))))


def _is_acronym(text: str) -> bool:
    core = text.replace(".", "")
    return 2 <= len(core) <= 7 and core.isalpha() and core.isupper()


def merge_acronyms(entities: list[Entity], fields: dict[str, str]) -> list[Entity]:
    """An acronym and its expansion are one entity: `(UKHSA)` after the name, or matching initials.

    The press introduces an acronym in brackets right after the full name, in
    either script (`المكتب الوطني للكهرباء (ONEE)`); later mentions use it alone.
    """
    by_mention = {(m.field, m.start): e for e in entities for m in e.mentions}
    merged: dict[int, Entity] = {}
    for e in entities:
        for m in e.mentions:
            text = fields[m.field]
            after = re.match(r"\s*\(\s*([^()\s]{2,12})\s*\)", text[m.end :])
            if not after or len(m.tokens) < 2:
                continue  # an expansion has words to abbreviate: `NAIROBI (Reuters)` is a dateline
            start = m.end + after.start(1)
            other = by_mention.get((m.field, start))
            if (
                other is not None
                and other is not e
                and len(other.mentions)
                and len(e.token_forms)
                and other not in merged.values()
            ):
                merged[id(other)] = e
    for e in entities:
        if id(e) in merged or not _is_acronym(e.name):
            continue
        long = [
            x
            for x in entities
            if x is not e
            and id(x) not in merged
            and len(x.name.split()) >= 2
            and _initials_match(e.name, x.name.split())
        ]
        if len(long) == 1:
            merged[id(e)] = long[0]
    out = []
    for e in entities:
        target = merged.get(id(e))
        if target is None:
            out.append(e)
            continue
        while id(target) in merged:
            target = merged[id(target)]
        for m in e.mentions:
            m.vote = False  # the expansion's label and name win
            target.mentions.append(m)
    return out


def _is_word_char(ch: str) -> bool:
    """What the regex `\\w` matches in a str: letters, digits and the underscore."""
    return ch.isalnum() or ch == "_"


def _segments(token: str) -> tuple[str, str]:
    """`عبدالمهدي` -> (`عبد`, `المهدي`): name_tokens joins the two spellings, the text may not."""
    for head in JOINED_HEADS:
        if token.startswith(head) and len(token) > len(head):
            return head, token[len(head) :]
    return token, ""


def _match_at(segs: list[tuple[str, str]], text: str, q: int) -> int | None:
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
    segs = [_segments(t) for t in form]
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


@lru_cache(maxsize=2)
def _fields_of(title: str | None, body: str) -> _Fields:
    """One `_Fields` per article however many speakers the join adds or widens (read only)."""
    return _Fields(title, body)


class _Taken:
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


def _claim_occurrences(
    forms: list[tuple[str, ...]], label: str, fields: _Fields, taken: _Taken
) -> list[Mention]:
    """Occurrences of `forms` that no mention in `taken` covers yet; each found one is taken."""
    found: list[Mention] = []
    for form in forms:
        arabic = all(is_arabic_word(t) for t in form)
        for fname, (norm_text, index) in fields.normalized.items():
            text = fields.text[fname]
            for a, b in _occurrences(form, norm_text, arabic):
                s, t = index[a], index[b - 1] + 1
                cand = Mention(fname, s, t, text[s:t], label)
                if not taken.overlaps(cand):
                    found.append(cand)
                    taken.add(cand)
    return found


def propagate(entities: list[Entity], fields: _Fields) -> None:
    """Add unlabelled occurrences of each entity's names as mentions of it."""
    taken = _Taken(m for e in entities for m in e.mentions)
    for e in entities:
        if e.label != "MISC":
            e.mentions += _claim_occurrences(_search_forms(e.token_forms, e.label), e.label, fields, taken)


_NO_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE))


def _contract(e: Entity, eid: str) -> dict[str, Any]:
    ms = sorted(e.mentions, key=lambda m: (m.field != "title", m.start))
    return {
        "id": eid,
        "name": e.name.translate(_NO_INVISIBLE).strip() or e.name,  # mentions keep the text as written
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


def _trim(m: Mention, fields: dict[str, str], start_cut: int = 0, end_cut: int = 0) -> Mention:
    s, e = m.start + start_cut, m.end - end_cut
    return Mention(m.field, s, e, fields[m.field][s:e], m.label, m.vote)


def clean_mentions(
    mentions: list[Mention], fields: dict[str, str], lang: str, vocabulary: frozenset[str] = frozenset()
) -> list[Mention]:
    """Spans as names, not as the tagger cut them; and no names that are not names.

    * `Obama's` -> Obama; `… قائلاً`, `… ليقول`: a cue the span ran into is cut off;
    * `وأوروبا` -> أوروبا when the rest is a word of the article or a known place;
    * `شلبي وكريم سعفان` -> شلبي, كريم سعفان: names listed with و are separate people;
    * month and weekday names, pronouns, role words alone (`Health Minister`),
      cue words (`Told`) and, in English, words with no capital are dropped.
    """
    from newsenrich.nlp import gazetteer, lexicon

    lex = lexicon.load(lang)
    gaz = gazetteer.load(lang)
    if lang == "en":
        mentions = _english_compounds(mentions, fields, gaz.is_place)
    out: list[Mention] = []
    for m in mentions:
        open_at = m.text.find("(")
        if open_at > 0 and ")" not in m.text[open_at:]:
            # `الأمم المتحدة للطفولة (يونيسف`: the bracket opens an alias, not part of the name.
            m = _trim(m, fields, end_cut=len(m.text) - len(m.text[:open_at].rstrip()))
        words = list(re.finditer(r"\S+", m.text))
        if not words:
            continue
        last = words[-1].group()
        poss = re.search(r"['’]s?$", last)
        if poss and lang == "en" and len(last) > len(poss.group()) + 1:
            m = _trim(m, fields, end_cut=len(poss.group()))
            words = list(re.finditer(r"\S+", m.text))
        while len(words) > 1 and (
            _runs_into_cue(words[-1].group(), lex, lang) or (lang == "en" and _rank(words[-1].group(), lex))
        ):  # `RCMP Cpl.`: a rank after an organisation's name is no part of it
            m = _trim(m, fields, end_cut=len(m.text) - words[-2].end())
            words = words[:-1]
        first = words[0].group()
        if lang == "ar" and len(words) >= 1 and first[:1] in _SINGLE_PROCLITICS and len(first) > 3:
            rest = first[1:]
            if (
                normalize(rest) in vocabulary
                or normalize(rest) in _HEAD_WORDS  # `لوكالة أنباء الإمارات`: an institution's head noun
                or gaz.is_place(rest)
                or gaz.is_place(m.text[1:])
            ):
                m = _trim(m, fields, start_cut=1)
                words = list(re.finditer(r"\S+", m.text))
        pieces = [m]
        if lang == "ar" and m.label == "PER" and len(words) >= 2:
            pieces = _split_listed_names(m, words, fields, vocabulary)
        for piece in pieces:
            if not _vetoed(piece, lang, lex, gaz):
                out.append(piece)
    return out


_POSSESSIVE = re.compile(r"['’]s\s+(?=[A-Z])")
_OF = re.compile(r"\s+of\s+(?=[A-Z])")


def _english_compounds(
    mentions: list[Mention], fields: dict[str, str], is_place: Callable[[str], bool]
) -> list[Mention]:
    """Two names the tagger ran together, apart again.

    * `Nairobi's Mathare`, `Kenya's Ministry of Health`: a known place's possession is a
      name of its own, and the place is mentioned too;
    * `Cody Ray Mercer of Mesa`: a person from a place, when the article calls the person by
      that last name elsewhere (`Mercer`), whatever label the tagger gave the whole.
    """
    surnames = {m.tokens[-1] for m in mentions if m.label == "PER" and len(m.tokens) == 1}
    out: list[Mention] = []
    for m in mentions:
        poss = _POSSESSIVE.search(m.text)
        of = _OF.search(m.text)
        if poss and is_place(m.text[: poss.start()]):
            place = _trim(m, fields, end_cut=len(m.text) - poss.start())
            out.append(Mention(place.field, place.start, place.end, place.text, "LOC"))
            out.append(_trim(m, fields, start_cut=poss.end()))
        elif of and len(who := name_tokens(m.text[: of.start()])) >= 2 and who[-1] in surnames:
            person = _trim(m, fields, end_cut=len(m.text) - of.start())
            out.append(Mention(person.field, person.start, person.end, person.text, "PER"))
        else:
            out.append(m)
    return out


def _rank(word: str, lex) -> bool:
    """An abbreviated title or rank: `Cpl.`, `Sgt.`, `Dr.`."""
    return word.endswith(".") and normalize(word.rstrip(".")) in lex.role_words


def _runs_into_cue(word: str, lex, lang: str) -> bool:
    """`… قائلاً`, `… ليقول`: the span ran on into the cue (a capitalised `States` is a name)."""
    if lang == "en" and not word.islower():
        return False
    return lex.cue(word) is not None or lex.is_complementizer(word)


def headline_case(title: str | None) -> bool:
    """An English title in headline case (`Nevada Aquifer Stuns Biologists`): every word looks like a name.

    Its entities are found by propagation from the body instead.
    """
    if not title:
        return False
    words = [
        w
        for w in re.findall(r"[A-Za-z][\w'’-]*", title)
        if w.lower() not in _FUNCTION_WORDS | {"a", "an", "to", "at", "by", "as"}
    ]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _split_listed_names(
    m: Mention, words, fields: dict[str, str], vocabulary: frozenset[str]
) -> list[Mention]:
    """`زيدان وحسن وعلي` -> three people: a و-word that is itself a word of the article starts a name."""
    cuts = [0]
    for w in words[1:]:
        t = w.group()
        if t[:1] == "و" and len(t) > 3 and normalize(t[1:]) in vocabulary:
            cuts.append(w.start())
    if len(cuts) == 1:
        return [m]
    out = []
    bounds = [*cuts, len(m.text)]
    for a, b in itertools.pairwise(bounds):
        seg = m.text[a:b].rstrip()
        lead = 1 if a else 0  # the و of every name after the first
        if len(seg) - lead >= 2:
            s = m.start + a + lead
            out.append(
                Mention(
                    m.field,
                    s,
                    m.start + a + len(seg),
                    fields[m.field][s : m.start + a + len(seg)],
                    m.label,
                    m.vote,
                )
            )
    return out


def _vetoed(m: Mention, lang: str, lex, gaz) -> bool:
    toks = m.tokens
    if not toks:
        return True
    if gaz.is_calendar(m.text):
        return True  # أيار/مايو, Monday, January
    if m.label != "PER" and gaz.is_currency(m.text):
        return True  # الريال السعودي, the US dollar
    if all(t in lex.role_words or t in lex.pronouns or t in lex.group_nouns for t in toks):
        return True  # `Health Minister`, `Board`, `She`
    if len(toks) == 1 and lex.cue(m.text) is not None:
        return True  # `Told` opening a sentence
    if all(t in lex.function_words for t in toks):
        return True  # `Several`, `In`, `Meanwhile` opening a sentence
    if lang == "ar":
        words = m.text.split()
        if any(lex.suffix_of(w) or lex.pronoun(w) for w in words):
            return True  # `سموه`, `بيدها`, `لعيالنا`: a word that owns something is no name
        if any(t in lex.function_words for t in toks):
            return True  # `حنا اللي …`, `… ما بيخون`: dialect speech the tagger took for a name
        if lex.is_according_to(words[0]) or lex.is_complementizer(words[-1]):
            return True  # `حسب ما`, `… أن`: a source marker or a complementizer is no name
    return lang == "en" and not any(ch.isupper() for ch in m.text)


_IN_MARKS = re.compile(r"«([^«»\n]{2,40})»")
_WORD_BEFORE = re.compile(r"([\w\u064b-\u0652]+)\W{0,3}$")


def outlet_entities(entities: list[Entity], fields: _Fields, lang: str) -> list[Entity]:
    """News outlets named in «»: after the kind of outlet (`صحيفة «الصباح»`, `قناة «صدى البلد»`)
    or as whom a statement was given to (`في تصريح خاص لـ«اليوم 24»`); the same name in marks
    elsewhere (a byline's `«الوطن»`) is that outlet too. Only occurrences in marks count:
    outlets are often named with common words (اليوم، الوطن، الصباح) that the text also uses
    as words. A tagger's mention inside the marks gives way; an entity of the same name
    becomes the organisation.
    """
    from newsenrich.nlp import lexicon

    lex = lexicon.load(lang)
    if lang != "ar" or not lex.outlet_nouns:
        return entities
    named: set[tuple[str, ...]] = set()
    spans: list[tuple[str, int, int]] = []
    for fname, text in fields.text.items():
        for m in _IN_MARKS.finditer(text):
            if len(m.group(1).split()) > 4:
                continue
            spans.append((fname, m.start(1), m.end(1)))
            before = text[max(0, m.start() - 40) : m.start()]
            word = _WORD_BEFORE.search(before)
            prev = word.group(1) if word else ""
            lead = before[: word.start()] if word else before
            given_to = prev in ("ل", "لـ") or before.rstrip().endswith(("لـ", " ل"))
            if lex.is_in(prev, lex.outlet_nouns) or (
                given_to and any(lex.is_in(w, lex.interview_nouns) for w in lead.split()[-3:])
            ):
                named.add(name_tokens(m.group(1)))
    if not named:
        return entities
    found = [
        Mention(f, s, t, fields.text[f][s:t], "ORG")
        for f, s, t in spans
        if name_tokens(fields.text[f][s:t]) in named
    ]
    return _as_organisations(entities, found)


def _as_organisations(entities: list[Entity], found: list[Mention]) -> list[Entity]:
    """Each span of `found` a mention of the organisation of its name (one entity per name,
    its label fixed); a tagger's mention overlapping it gives way, and an entity left with
    none is dropped."""
    for m in found:
        home = next((e for e in entities if m.tokens in e.token_forms), None)
        for e in entities:
            e.mentions = [x for x in e.mentions if not x.overlaps(m)]
        entities = [e for e in entities if e.mentions or e is home]
        if home is None:
            home = Entity([])
            entities.append(home)
        home.mentions.append(m)
        home.fixed_label = "ORG"
    return entities


_DATELINE_CUT = re.compile(r"\s*[-–—/()]+\s*")


def dateline_outlets(entities: list[Entity], fields: _Fields, lang: str) -> list[Entity]:
    """The outlet or agency of an Arabic dateline or byline, at the top of the body: `الرياض
    (رويترز) -`, `مسقط في 9 مارس /العُمانية/`, `بغداد/ شفق نيوز-`, `الدار البيضاء - اليوم 24`,
    `عدن الغد / خاص`, `الوكيل الإخباري - قالت …`, a line that a known wire closes (`بريدة 12
    صفر 1447 هـ … واس`).

    The first line's head (up to the dash that opens the story, or the whole line when it is
    a short byline) is cut at dashes, slashes and brackets. The outlet is a piece in brackets or
    slashes, a piece after the place of a byline, or a head of two or more words that is no
    place; never a known place, a date, `خاص`, nor a reporter's byline (`كتب - …`).
    """
    from newsenrich.nlp import gazetteer, lexicon

    if lang != "ar":
        return entities
    gaz, lex = gazetteer.load(lang), lexicon.load(lang)
    body = fields.text["body"]
    start = len(body) - len(body.lstrip())
    line_end = body.find("\n", start)
    line = body[start : line_end if line_end >= 0 else len(body)]
    words = list(re.finditer(r"\S+", line))
    for n in (3, 2, 1):  # `بريدة 12 صفر 1447 هـ الموافق 06 أغسطس 2025 م واس`: the wire closes the line
        tail = [w.group() for w in words[-n:]]
        if (
            len(words) > n
            and all(w.isalpha() for w in tail)  # a sentence's `(وام).` is the acronym rule's
            and name_tokens(" ".join(tail)) in lex.news_agencies
        ):
            a, b = start + words[-n].start(), start + words[-1].end()
            return _as_organisations(entities, [Mention("body", a, b, body[a:b], "ORG")])
    first_piece = _DATELINE_CUT.split(line.strip(), maxsplit=1)[0]
    byline = (
        len(line.split()) <= 6
        and bool(_DATELINE_CUT.search(line))
        and not line.rstrip().endswith((".", "؟", "!", "،", ":"))  # a sentence is no byline
        and len(first_piece.split()) <= 3
    )
    if byline:
        head = line
    else:
        dash = re.search(r"\s[-–—]\s|[-–—]\s|\s[-–—]", line[:80])
        closed = re.match(r".{0,80}[/)]", line)  # `مسقط في 9 مارس /العُمانية/ أعلن …`: no dash
        if dash is None and closed is None:
            return entities
        head = line[: dash.start()] if dash is not None else closed.group() if closed else ""
    pieces: list[tuple[int, str]] = []
    pos = 0
    for piece in _DATELINE_CUT.split(head):
        piece = piece.strip().strip('«»"')
        at = line.find(piece, pos) if piece else -1
        if at >= 0:
            pieces.append((at, piece))
            pos = at + len(piece)
    if any(normalize(p) in {normalize("كتب"), normalize("كتبت"), normalize("بقلم")} for _, p in pieces):
        return entities  # a reporter's byline: the name after it is a person
    found: list[Mention] = []
    for k, (at, piece) in enumerate(pieces):
        toks = piece.split()
        if not 1 <= len(toks) <= 3 or gaz.is_place(piece) or normalize(piece) == normalize("خاص"):
            continue
        marked = (at > 0 and line[at - 1] in "(/") or line[at - 2 : at].strip() in ("(", "/")
        named_after_place = byline and k > 0  # `الدار البيضاء - اليوم 24`: a paper called "today"
        if any(ch.isdigit() for ch in toks[0]) or " في " in f" {piece} ":
            continue  # a date, `مسقط في 9 مارس`
        if not named_after_place and (any(gaz.is_calendar(t) for t in toks) or lex.is_stop(toks[0])):
            continue
        if lex.cue(toks[0]):
            continue
        if not (marked or named_after_place or (k == 0 and len(toks) >= 2)):
            continue  # `فاس – يعيش …`: the head of a story is its place, known or not
        found.append(Mention("body", start + at, start + at + len(piece), piece, "ORG"))
    return _as_organisations(entities, found)


def merge_agencies(entities: list[Entity], lang: str) -> list[Entity]:
    """One news agency, one entity, whichever of its names the article uses (أ ف ب, فرانس برس)."""
    from newsenrich.nlp import lexicon

    agencies = lexicon.load(lang).news_agencies
    home: dict[int, Entity] = {}
    out: list[Entity] = []
    for e in entities:
        group = next((agencies[f] for f in e.token_forms if f in agencies), None)
        if group is None or group not in home:
            out.append(e)
            if group is not None:
                home[group] = e
            continue
        home[group].mentions.extend(e.mentions)
    return out


def _nisba_place(token: str, is_place: Callable[[str], bool]) -> str | None:
    """The place an Arabic relational adjective names: المصري -> مصر, الأمريكية -> أمريكا, الروسي -> روسيا."""
    base = token[2:] if token.startswith("ال") else token
    for ending in ("يه", "ي"):
        if not base.endswith(ending) or len(base) - len(ending) < 3:
            continue
        stem = base[: -len(ending)]
        for place in (stem, "ال" + stem, stem + "ا", stem + "يا", "ال" + stem + "يه"):
            if is_place(place):
                return place
    return None


def _org_key(form: tuple[str, ...], is_place: Callable[[str], bool]) -> tuple[str, ...]:
    """An Arabic organisation's name with the article dropped and a country's adjective read as
    the country: منتخب مصر and المنتخب المصري, حكومة المغرب and الحكومة المغربية meet."""
    out = []
    for i, t in enumerate(form):
        if i and t in _PLACE_KINDS and i + 1 < len(form):
            continue  # هيئة مياه ولاية الخرطوم and هيئة مياه الخرطوم: the kind of place says nothing
        place = (_nisba_place(t, is_place) or (t if is_place(t) else None)) if i else None
        if place is not None:
            out.append("@" + place.removeprefix("ال"))
        else:
            out.append(without_article(t))
    return tuple(out)


_BANK_HEADS = frozenset({"بنك", "مصرف"})
_UNNAMED = ""  # `the central bank`, its country not said


def _central_bank(key: tuple[str, ...]) -> str | None:
    """A central bank named for its country (بنك المغرب, مصرف لبنان) or called `the central bank`
    (البنك المركزي, optionally with its country's adjective): the country, or _UNNAMED; None if no
    central bank."""
    if not key or key[0] not in _BANK_HEADS:
        return None
    rest = [t for t in key[1:] if t != "مركزي"]
    if len(rest) == 1 and rest[0].startswith("@"):
        return rest[0]
    if not rest and "مركزي" in key[1:]:
        return _UNNAMED
    return None


def merge_arabic_org_forms(entities: list[Entity], is_place: Callable[[str], bool]) -> list[Entity]:
    """One organisation across the ways Arabic names it after a country.

    A country's adjective for the country (المنتخب المصري, منتخب مصر), and `the
    central bank` for the one bank named after a country in the article (البنك
    المركزي, بنك المغرب). Two banks of different countries, or two unnamed
    against two named, stay apart: the rule merges only what is unambiguous.
    """
    keyed: dict[tuple[str, ...], Entity] = {}
    out: list[Entity] = []
    for e in entities:
        keys = {_org_key(f, is_place) for f in e.token_forms} if e.label == "ORG" else set()
        home = next((keyed[k] for k in keys if k in keyed), None)
        if home is not None and home is not e:
            home.mentions.extend(e.mentions)
            for k in keys:
                keyed.setdefault(k, home)
            continue
        out.append(e)
        for k in keys:
            keyed.setdefault(k, e)
    banks: dict[str, list[Entity]] = {}
    for e in out:
        if e.label != "ORG":
            continue
        for country in {_central_bank(_org_key(f, is_place)) for f in e.token_forms} - {None}:
            banks.setdefault(country, []).append(e)
    named = {c: es for c, es in banks.items() if c != _UNNAMED}
    if len(named) == 1 and _UNNAMED in banks:
        [(_, [home, *more])] = named.items()
        for e in [*more, *banks[_UNNAMED]]:
            if e is not home and e in out:
                home.mentions.extend(e.mentions)
                out.remove(e)
    return out


# The word that says what kind of thing a name names. English puts it last (Northumbria Police,
# Smith Creek, Kelowna General Hospital), Arabic first (مستشفى, ملعب). Facilities count as
# places, as OntoNotes' FAC does in the eval convention.
_ORG_LAST = frozenset(
    {
        *("police", "council", "ministry", "department", "agency", "authority", "commission", "committee"),
        *("corporation", "inc", "ltd", "plc", "llc", "group", "party", "association", "union", "institute"),
        *("university", "college", "forces", "army", "navy", "court", "bank", "fund", "foundation", "trust"),
    }
)
_PLACE_LAST = frozenset(
    {
        *("creek", "river", "valley", "lake", "mountain", "mountains", "island", "islands", "bay", "beach"),
        *("hospital", "airport", "stadium", "arena", "bridge", "street", "road", "avenue", "square"),
    }
)
_PLACE_FIRST = frozenset(normalize(w) for w in ("مستشفى", "مطار", "ملعب", "جسر", "شارع", "ميدان", "ميناء"))


def _kind_word_label(e: Entity, lang: str) -> str | None:
    """The label a name's kind word gives it, if it has one."""
    longest = max((f for f in e.token_forms if f), key=len, default=())
    if len(longest) < 2:
        return None
    if lang == "en":
        last = longest[-1].lower()
        return "ORG" if last in _ORG_LAST else "LOC" if last in _PLACE_LAST else None
    first = longest[0]
    for p in ("", *PROCLITICS):
        if first.startswith(p) and first[len(p) :] in _PLACE_FIRST:
            return "LOC"
    return None


def settle_labels(entities: list[Entity], lang: str) -> None:
    """Evidence beats a tagger's vote: a known place is a place, a news agency an organisation.

    An organisation whose every name is a known place is the place: a city or a country
    named alone (a capital standing for its government is still the place in news NER).
    """
    from newsenrich.nlp import gazetteer, lexicon

    gaz = gazetteer.load(lang)
    agencies = lexicon.load(lang).news_agencies
    for e in entities:
        forms = e.token_forms
        if any(f in agencies for f in forms):
            e.fixed_label = "ORG"
        elif e.label in ("PER", "MISC") and any(gaz.is_place(" ".join(f)) for f in forms):
            e.fixed_label = "LOC"
        elif e.label == "ORG" and all(gaz.is_place(" ".join(f)) for f in forms):
            # `بغداد`, `القاهرة`, a dateline's `BUCHAREST`: nothing but a known place's name
            e.fixed_label = "LOC"
        elif (kind := _kind_word_label(e, lang)) is not None and kind != e.label:
            e.fixed_label = kind


# Gazetteer names that are mostly common nouns in running Arabic: `the city` (Medina), `the east`,
# `the average` (the Mediterranean), `the countryside` (the Rif).
_COMMON_NOUN_PLACES = frozenset(name_tokens(w) for w in ("المدينة", "الشرق", "المتوسط", "الريف"))


def gazetteer_mentions(entities: list[Entity], fields: _Fields, lang: str) -> list[Entity]:
    """Places (and, from the corpora's gazetteer, multi-word organisations) the tagger missed.

    A place inside a longer name (`شارع الإمارات`, `University of Nevada`) is not
    a place of its own: only occurrences outside every mention count, and in
    English only capitalised ones not run into another capitalised word. A
    place name right after a name is its adjective (`«أرامكو» السعودية`).
    """
    from newsenrich.nlp import gazetteer

    gaz = gazetteer.load(lang)
    index = _Taken(m for e in entities for m in e.mentions)
    ends = {(m.field, m.end) for e in entities for m in e.mentions}
    known = {f for e in entities for f in e.token_forms}
    words = {normalize(w) for t in fields.text.values() for w in re.findall(r"[\w\u064b-\u0652]+", t)}
    vocab = words | {w[len(p) :] for w in words for p in PROCLITICS if w.startswith(p)}
    added: list[Entity] = []
    # The names that start with a word of the article, longest first (a longer name claims its
    # occurrences before a place inside it), in a fixed order from run to run.
    names = sorted(
        (x for w in vocab for x in gaz.by_first_word.get(w, ())), key=lambda x: (-len(x[0]), x[0], x[1])
    )
    for name, label in names:
        if name in known or all(t in gaz.calendar for t in name):
            continue
        if name in _COMMON_NOUN_PLACES:
            continue  # the tagger may still find them; the gazetteer alone does not
        found = []
        trial = _Taken()  # the name's own occurrences, kept only if they pass the tests below
        for m in _claim_occurrences([name], label, fields, _Overlay(index, trial)):
            text = fields.text[m.field]
            if _free_place(m, text, lang) and not _after_a_name(m, ends):
                m.vote = True
                found.append(m)
        if found:
            for m in found:
                index.add(m)
                ends.add((m.field, m.end))
            added.append(Entity(found))
    return added


class _Overlay(_Taken):
    """`base` read-only, with what is claimed added to `extra` only."""

    def __init__(self, base: _Taken, extra: _Taken):
        self.base, self.extra = base, extra

    def add(self, m: Mention) -> None:
        self.extra.add(m)

    def overlaps(self, m: Mention) -> bool:
        return self.base.overlaps(m) or self.extra.overlaps(m)


def _after_a_name(m: Mention, ends: set[tuple[str, int]]) -> bool:
    """The occurrence follows another mention with only a space or a closing mark between."""
    return any((m.field, m.start - gap) in ends for gap in (0, 1, 2))


def _free_place(m: Mention, text: str, lang: str) -> bool:
    if lang != "en":
        before = text[max(0, m.start - 12) : m.start].split()
        return not (before and normalize(before[-1]) in _PLACE_HEADS)
    if not m.text[:1].isupper() or re.match(r"\s+[A-Z]", text[m.end :]):
        return False  # `Jordan Smith`: the place name runs on into a longer name
    before = re.search(r"([A-Z][\w.]*)\s+$", text[: m.start])
    if before is None:
        return True
    lead = text[: before.start()].rstrip()
    return not lead or lead[-1] in '.!?"“”:\n—-'  # `In Manchester`: a sentence's first word is no name


_PLACE_HEADS = frozenset(
    normalize(w)
    for w in (
        "شارع",
        "مدينة",
        "منطقة",
        "حي",
        "ميناء",
        "مطار",
        "جامعة",
        "بنك",
        "مصرف",
        "مستشفى",
        "ملعب",
        "جسر",
    )
)


# Heads of Arabic organisation names in the construct state: وزارة العمل, صندوق النقد الدولي,
# محكمة النقض, هيئة الطرق والمواصلات, برنامج الأغذية العالمي. Each is an institution only
# with a definite complement after it, so the pattern needs one; a head written definite
# (الهيئة العامة للإحصاء) needs an adjective and a لـ complement, since `الوزارة` alone refers
# back and `قالت الهيئة للصحافيين` is the authority telling journalists.
_ORG_HEADS = (
    "وزارة",
    "هيئة",
    "محكمة",
    "صندوق",
    "منظمة",
    "برنامج",
    "مفوضية",
    "مديرية",
    "وكالة",
    "بلدية",
    "ائتلاف",
    "كتلة",
    "مندوبية",
    "أمانة",
    "ديوان",
    "دائرة",
    "جهاز",
    "مرصد",
    "نقابة",
    "جمعية",
    "تعاونية",
    "غرفة",
)
_HEAD_WORDS = frozenset(normalize(h) for h in _ORG_HEADS)
_DEF = r"(?:[وب]?ال|لل)[\u0621-\u064a\u064b-\u0652]+"
_ARABIC_ORG = re.compile(
    r"(?<![\u0621-\u064a])(?:و|ف|ب|ل|وب|ول)?"
    rf"((?:{'|'.join(_ORG_HEADS)})(?:\s+{_DEF}){{1,7}}"
    rf"|ال(?:{'|'.join(_ORG_HEADS)})(?:\s+ال[\u0621-\u064a]+){{1,2}}(?:\s+لل[\u0621-\u064a]+)(?:\s+{_DEF}){{0,3}})"
    r"(?![\u0621-\u064a])"
)
# `و` and one word, a place coordinated with the name's last complement.
_COORDINATED = re.compile(r"\s+و([\u0621-\u064a]+)(?![\u0621-\u064a])")
# `و`, an indefinite noun and its definite complement, continuing a list of complements
# (`الزراعية والسمكية وموارد المياه`).
_COORDINATED_CONSTRUCT = re.compile(rf"\s+(و(?!ال)[\u0621-\u064a]+)\s+{_DEF}(?![\u0621-\u064a])")
# Words that start a description of the institution rather than continue its name.
_AFFILIATED = frozenset(normalize(w) for w in ("التابع", "التابعة", "التابعين", "التابعتين", "التابعان"))
# Definite words that end a name rather than belong to it: time, and `the said`, `the new`.
_NOT_IN_ORG_NAMES = frozenset(
    normalize(w)
    for w in (
        "الماضي",
        "المقبل",
        "الحالي",
        "الجاري",
        "اليوم",
        "الجديد",
        "الجديدة",
        "المذكور",
        "المذكورة",
        "الأخير",
        "الأخيرة",
    )
)


def _coordinated_end(text: str, end: int, words: list[re.Match[str]], is_place: Callable[[str], bool]) -> int:
    """Where an institution's name ends once a coordinated place or construct after `end` is in."""
    if (more := _COORDINATED.match(text, end)) and is_place(more.group(1)):
        return more.end()
    if (
        (more := _COORDINATED_CONSTRUCT.match(text, end))
        and any(w.group().startswith("وال") for w in words)  # a list of complements is open
        and more.group(1) not in _ORG_HEADS  # وزارة, وكالة: the و is the word's own
        and more.group(1)[1:] not in _ORG_HEADS  # و + a head: a second institution
    ):
        return more.end()
    return end


def _replace_inside(kept: _Kept, cand: Mention, at_most: int | None = None) -> None:
    """Keep `cand` in place of the mentions inside it; not if one runs past it, is it, or more
    than `at_most` lie inside (the tagger saw several names there)."""
    inside = kept.overlapping(cand)
    if at_most is not None and len(inside) > at_most:
        return
    if any(
        o.start < cand.start or o.end > cand.end or (o.start, o.end) == (cand.start, cand.end) for o in inside
    ):
        return
    for o in inside:
        kept.remove(o)
    kept.add(cand)


def arabic_org_mentions(
    fields: dict[str, str],
    taken: list[Mention],
    calendar: frozenset[str],
    is_place: Callable[[str], bool] = lambda _: False,
) -> list[Mention]:
    """`taken` with the Arabic organisations named by an institution's head noun and its complement.

    The tagger misses many long Arabic institution names, or stops inside them
    (`مديرية الأمن` of `مديرية الأمن العام`, `الإحصاء` of `الجهاز المركزي للتعبئة العامة
    والإحصاء`); their shape is regular: a head noun in the construct state followed by
    definite words, and a coordinated place (`الهيئة الملكية للجبيل وينبع`). Such a name
    replaces the tagger's mentions that lie inside it, unless the tagger saw two names there
    (`برنامج الأغذية العالمي` and `الأمم المتحدة`); one the tagger's span runs past is left
    to the tagger.
    """
    kept = _Kept(taken)
    for fname, text in fields.items():
        pos = 0
        while (hit := _ARABIC_ORG.search(text, pos)) is not None:
            pos = hit.end()
            words = list(re.finditer(r"\S+", hit.group(1)))
            for i, w in enumerate(words[1:], 1):  # `… للتخطيط والهيئة العامة …`: a second institution
                if w.group().startswith("و") and w.group()[1:].removeprefix("ال") in _ORG_HEADS:
                    pos = hit.start(1) + w.start()  # the second one is looked for again from here
                    del words[i:]
                    break
            for i, w in enumerate(words[1:], 1):  # `التابع للأمم المتحدة`: what follows describes it
                if normalize(w.group()) in _AFFILIATED:
                    del words[i:]
                    break
            while len(words) > 1 and (
                normalize(words[-1].group()) in _NOT_IN_ORG_NAMES or normalize(words[-1].group()) in calendar
            ):
                words.pop()
            if len(words) < 2:
                continue
            start, end = hit.start(1), hit.start(1) + words[-1].end()
            end = _coordinated_end(text, end, words, is_place)
            _replace_inside(kept, Mention(fname, start, end, text[start:end], "ORG"), at_most=1)
    return kept.in_order()


# Facilities named after a place, a person or an institution (`ميناء صيدا القديم`, `مستشفى
# أسيوط العام`, `ساحة الأمم المتحدة`, `محطة تحويل الرمثا`): places of their own, not mentions
# of the name inside them. Only a head noun whose complement is a name the article has (or a
# known place) makes one: `محطة الوقود` and `شارع صار بحر` name nothing.
_FACILITY_HEAD = re.compile(rf"(?<![\u0621-\u064a])(?:و|ف|ب|ل|وب|ول)?({'|'.join(_FACILITY_HEADS)})\s+")
_INSTITUTION_HEAD = re.compile(rf"(?<![\u0621-\u064a])(?:و|ف|ب|ل|وب|ول)?({'|'.join(_ORG_HEADS)})\s+")
_WORD = re.compile(r"([\u0621-\u064a\u064b-\u0652]+)\s+")
# Adjectives a facility's name ends with: a nisba (`المركزي`) or one of age, size and scope.
_NAME_ADJECTIVE = re.compile(
    r"\s+(ال[\u0621-\u064a]+(?:ي|ية)|القديم|القديمة|الجديد|الجديدة|العام|الكبير|الكبرى)(?![\u0621-\u064a])"
)


def arabic_facility_mentions(
    fields: dict[str, str],
    taken: list[Mention],
    calendar: frozenset[str],
    is_place: Callable[[str], bool],
    particles: frozenset[str] = frozenset(),
) -> list[Mention]:
    """`taken` with the facilities (places) and institutions named after a name it holds.

    A facility's head, one word, then a name the article has or a known place: `محطة تحويل
    الرمثا`, `ميناء صيدا القديم`. An institution's head, up to two words, then such a name:
    `أمانة عمّان الكبرى`, `مديرية زراعة البصرة`, `هيئة مياه ولاية الخرطوم`. No word between
    may be one of `particles` (`محطة في مدينة دبي`: a station somewhere, not a station's name).
    """
    kept = _Kept(taken)
    for head, label, between in ((_FACILITY_HEAD, "LOC", 1), (_INSTITUTION_HEAD, "ORG", 2)):
        for fname, text in fields.items():
            for hit in head.finditer(text):
                start, at = hit.start(1), hit.end()
                name_end = _name_at(kept, fname, text, at, is_place)
                tagged = [
                    o.end for o in kept.overlapping(Mention(fname, start, at, "", label)) if o.start == start
                ]
                if name_end is None and tagged and max(tagged) > at:
                    name_end = max(tagged)  # the tagger found the name: only an adjective may be missing
                for _ in range(between):
                    word = _WORD.match(text, at)
                    if name_end is not None or word is None:
                        break
                    if word.group(1).startswith("ال") or normalize(word.group(1)) in particles:
                        break
                    at = word.end()
                    name_end = _name_at(kept, fname, text, at, is_place)
                if name_end is None:
                    continue
                if (adj := _NAME_ADJECTIVE.match(text, name_end)) and normalize(adj.group(1)) not in calendar:
                    after = _WORD.match(text + " ", adj.end() + 1)
                    if not (after and normalize(after.group(1)) in _NOT_IN_ORG_NAMES):  # `العام الماضي`
                        name_end = adj.end()
                _replace_inside(kept, Mention(fname, start, name_end, text[start:name_end], label))
    return kept.in_order()


def _name_at(kept: _Kept, fname: str, text: str, at: int, is_place: Callable[[str], bool]) -> int | None:
    """The end of the name that starts at `at`: a mention that starts there, or a known place."""
    probe = Mention(fname, at, at + 1, text[at : at + 1], "LOC")
    starting = [o for o in kept.overlapping(probe) if o.start == at]
    if starting:
        return max(o.end for o in starting)
    if (word := _WORD.match(text + " ", at)) and is_place(word.group(1)):
        return at + len(word.group(1))
    return None


# Two or more places after a dual or plural of an administrative noun: `محافظتي درعا والسويداء`,
# `منطقتي السيدة زينب والمطرية`, `محافظات جنوب الشرقية والوسطى وظفار`. The noun says what the
# coordinated words are, however unknown the towns.
_PLACES_OF_KIND = re.compile(
    r"(?<![\u0621-\u064a])(?:و|ف|ب|ل|وب|ول)?"
    r"(?:محافظت[اي]|منطقت[اي]|مدينت[اي]|ولايت[اي]|مديريت[اي]|بلدت[اي]|قريت[اي]|محافظات|ولايات|مديريات)\s+"
)
_ITEM = re.compile(r"([\u0621-\u064a]+(?:\s+[\u0621-\u064a]+){0,2}?)(?=\s+و[\u0621-\u064a]|،\s*)")
# First words of two-word place names (`الشيخ عثمان`, `ريف دمشق`, `جنوب الشرقية`).
_TOPONYM_HEADS = frozenset(
    normalize(w)
    for w in (
        *("الشيخ", "السيدة", "سيدي", "أبو", "أم", "عين", "بئر", "جبل", "ريف", "وادي", "دير", "تل"),
        *("كفر", "بني", "رأس", "جنوب", "شمال", "شرق", "غرب", "سوق", "حي", "باب"),
    )
)


def arabic_places_of_kind(
    fields: dict[str, str], taken: list[Mention], stops: frozenset[str]
) -> list[Mention]:
    """`taken` with the places listed after a dual or plural administrative noun, as places."""
    kept = _Kept(taken)
    for fname, text in fields.items():
        for hit in _PLACES_OF_KIND.finditer(text):
            items: list[tuple[int, int]] = []
            at = hit.end()
            while (item := _ITEM.match(text, at)) is not None:  # every item before the last
                items.append((item.start(1), item.end(1)))
                rest = text[item.end(1) :]
                at = (
                    item.end(1)
                    + len(rest)
                    - len(rest.lstrip("، "))
                    + (1 if rest.lstrip("، ").startswith("و") else 0)
                )
            if not items:
                continue
            last = re.match(r"([\u0621-\u064a]+)(?:\s+([\u0621-\u064a]+))?", text[at:])
            if last is None:
                continue
            end = at + last.end(1)
            if last.group(2) and normalize(last.group(1)) in _TOPONYM_HEADS:
                end = at + last.end(2)
            items.append((at, end))
            for s, e in items:
                words = [normalize(w) for w in text[s:e].split()]
                if any(w in stops for w in words):
                    break  # `محافظات الثلاث بدأت`: not a list of names
                cand = Mention(fname, s, e, text[s:e], "LOC")
                if not kept.overlapping(cand):
                    kept.add(cand)
    return kept.in_order()


def build_entities(
    mentions: list[Mention],
    title: str | None,
    body: str,
    roles: frozenset[str] = frozenset(),
    lang: str | None = None,
) -> list[dict[str, Any]]:
    """The `entities` array of the contract, from raw model mentions of one article."""
    fields = _fields_of(title, body)
    if lang is not None:
        mentions = clean_mentions(mentions, fields.text, lang, article_vocabulary(title, body))
    if lang == "ar":
        from newsenrich.nlp import gazetteer, lexicon

        gaz = gazetteer.load(lang)
        mentions = arabic_org_mentions(fields.text, mentions, gaz.calendar, gaz.is_place)
        stops = lexicon.load(lang).speaker_stops  # prepositions, conjunctions, time words
        mentions = arabic_places_of_kind(fields.text, mentions, stops | gaz.calendar)
        mentions = arabic_facility_mentions(fields.text, mentions, gaz.calendar, gaz.is_place, stops)
    widened = widen_to_guillemets(trim_roles(mentions, roles), fields.text)
    if lang is not None:
        from newsenrich.nlp import gazetteer

        entities = cluster(widened, gazetteer.load(lang).is_place)
    else:
        entities = cluster(widened)
    propagate(entities, fields)
    if lang is not None:
        # After propagation: `لصندوق الاستثمارات العامة (PIF)` is often an occurrence the tagger missed.
        entities = merge_acronyms(entities, fields.text)
    if lang is not None:
        entities += gazetteer_mentions(entities, fields, lang)
        entities = outlet_entities(entities, fields, lang)
        entities = dateline_outlets(entities, fields, lang)
        entities = merge_agencies(entities, lang)
        if lang == "ar":
            entities = merge_arabic_org_forms(entities, gazetteer.load(lang).is_place)
        settle_labels(entities, lang)
    entities.sort(key=lambda e: min((m.field != "title", m.start) for m in e.mentions))
    return [_contract(e, f"E{i}") for i, e in enumerate(entities, 1)]


def add_entity(
    existing: list[dict[str, Any]], name: str, label: str, title: str | None, body: str
) -> dict[str, Any] | None:
    """A new contract entity for `name` with all its free occurrences, or None if it never occurs free."""
    fields = _fields_of(title, body)
    taken = [
        Mention(m.get("field", "body"), m["start"], m["end"], m["text"], e["label"])
        for e in existing
        for m in e["mentions"]
    ]
    mentions = _claim_occurrences(_search_forms({name_tokens(name)}, label), label, fields, _Taken(taken))
    return _contract(Entity(mentions), f"E{len(existing) + 1}") if mentions else None


def widen_entity(
    entity: dict[str, Any], fuller: str, title: str | None, body: str, others: list[dict[str, Any]]
) -> bool:
    """Give a contract entity the fuller name a speaker phrase uses (`مينون` -> `بريا مينون`).

    Each occurrence of the fuller name replaces the entity's shorter mentions
    inside it; returns whether any did.
    """
    fields = _fields_of(title, body)
    taken = [
        Mention(m.get("field", "body"), m["start"], m["end"], m["text"], e["label"])
        for e in others
        if e is not entity
        for m in e["mentions"]
    ]
    found = _claim_occurrences([name_tokens(fuller)], entity["label"], fields, _Taken(taken))
    if not found:
        return False
    keep = [
        m
        for m in entity["mentions"]
        if not any(
            f.field == m.get("field", "body") and f.start <= m["start"] and m["end"] <= f.end for f in found
        )
    ]
    new = [{"start": f.start, "end": f.end, "text": f.text, "field": f.field} for f in found]
    entity["mentions"] = sorted(keep + new, key=lambda m: (m["field"] != "title", m["start"]))
    entity["name"] = found[0].text
    return True
