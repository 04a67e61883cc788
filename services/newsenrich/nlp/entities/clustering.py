"""One entity per referent: a mention whose name tokens are a run inside a longer name of a
compatible label joins that entity (`روته` -> `مارك روته`), and an acronym joins the name it
abbreviates. Labels are voted by the mentions; the fullest name is canonical.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache

from newsenrich.nlp.entities.mentions import Mention
from newsenrich.nlp.text import (
    normalize,
)


@dataclass
class Cluster:
    """Mentions taken for one referent while clustering; its label and name are voted by them."""

    mentions: list[Mention] = field(default_factory=list)

    fixed_label: str | None = None  # settled by evidence (a gazetteer place, a news agency)

    @property
    def label(self) -> str:
        if self.fixed_label:
            return self.fixed_label
        if len(self.mentions) == 1:  # most clusters, asked for their label many times per article
            return self.mentions[0].label
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
PLACE_KINDS = frozenset(
    normalize(w)
    for w in (
        *("مدينة", "المدينة", "إمارة", "امارة", "دولة", "جمهورية", "مملكة", "المملكة", "ولاية", "محافظة"),
        *("مديرية", "مديريتا", "مديريتي", "بلدة", "قرية", "إقليم", "قضاء"),
        *("city", "state", "republic", "kingdom", "province", "emirate", "of", "the"),
    )
)


# Heads of facility names (`ميناء صيدا القديم`, `مستشفى أسيوط العام`): places of their own.
FACILITY_HEADS = ("ميناء", "مطار", "محطة", "ساحة", "ملعب", "مستشفى", "شارع", "جسر", "ميدان", "مخيم")


_FACILITY_HEAD_WORDS = frozenset(normalize(w) for w in FACILITY_HEADS)


def _place_inside_another_name(
    toks: tuple[str, ...], form: tuple[str, ...], is_place: Callable[[str], bool]
) -> bool:
    """`دبي` inside `مدينة دبي الأكاديمية` (a district), Nevada inside `University of Nevada`:
    a known place is not the longer name it stands in, unless that name only says what kind of
    place it is (`مدينة دبي`, `New York City`) or is itself a known name of the place."""
    if form[0] in _FACILITY_HEAD_WORDS and toks[0] != form[0]:
        return True  # `أسيوط` is not `مستشفى أسيوط العام`, known place or not
    core = tuple(t for t in toks if t not in PLACE_KINDS)
    if not core or not is_place(" ".join(core)) or is_place(" ".join(form)):
        return False
    return tuple(t for t in form if t not in PLACE_KINDS) != core


def cluster(mentions: Iterable[Mention], is_place: Callable[[str], bool] = lambda _: True) -> list[Cluster]:
    """Group mentions into entities: equal names, spelling variants, a shorter name inside a longer one."""
    ordered = sorted(mentions, key=lambda m: (-len(m.tokens), m.field != "title", m.start))
    entities: list[Cluster] = []
    # Every relation below holds only between names that share a word, so each mention is
    # compared with the entities that have one of its words, not with all of them: the
    # work grows with the article, not with its square. (Creation order is kept, so the
    # first match is the one a scan of every entity would find.)
    by_form: dict[tuple[str, ...], Cluster] = {}
    by_word: dict[str, dict[int, Cluster]] = {}
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
            home = Cluster()
            rank[id(home)] = len(entities)
            entities.append(home)
        home.mentions.append(m)
        by_form.setdefault(toks, home)
        for t in toks:
            by_word.setdefault(t, {})[id(home)] = home
    return entities


FUNCTION_WORDS = frozenset({"of", "the", "and", "for", "de", "&", "on", "in", "du", "des", "la", "le"})


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
        if w in FUNCTION_WORDS and fit(i, j + 1):
            return True
        return any(
            i + k <= len(acr) and acr[i : i + k] == w[:k] and fit(i + k, j + 1) for k in range(1, len(w) + 1)
        )

    return any(fit(0, start) for start in range(min(2, len(ws))))


def _is_acronym(text: str) -> bool:
    core = text.replace(".", "")
    return 2 <= len(core) <= 7 and core.isalpha() and core.isupper()


def merge_acronyms(entities: list[Cluster], fields: dict[str, str]) -> list[Cluster]:
    """An acronym and its expansion are one entity: `(UKHSA)` after the name, or matching initials.

    The press introduces an acronym in brackets right after the full name, in
    either script (`المكتب الوطني للكهرباء (ONEE)`); later mentions use it alone.
    """
    by_mention = {(m.field, m.start): e for e in entities for m in e.mentions}
    merged: dict[int, Cluster] = {}
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
    return _merge(entities, merged)


# `محمد الزين، المعروف بين زملائه بـ"أبو علي"`, `Ali Hassan, known as Abu Ali`: the press gives
# a person's or a body's other name once, right after the name; later it uses either. Each
# cue with what may stand between it and the other name: a few words (`بين زملائه`), then the
# preposition that introduces the name (`بـ`, `باسم`, `as`) and an opening mark. A body
# `ممثلة في` an office speaks through it: the office is named as the body.
_ALIAS_CUES = (
    (
        re.compile(r"\s*[،,]?\s*و?(?:المعروف|المعروفة|الملقب|الملقبة|المكنى|المكناة|الشهير|الشهيرة)"),
        re.compile(r"(?:\s+[\u0621-\u064a]+){0,3}\s+(?:بـ?|باسم|بلقب|بكنية)\s*[\"«“']?"),
    ),
    (
        re.compile(r"\s*,?\s*(?:also\s+|better\s+)?(?:known|nicknamed|dubbed)\b"),
        re.compile(r"\s+(?:as\s+)?[\"“']?"),
    ),
    (
        re.compile(r"\s*[،,]?\s*(?:ممثلة|ممثلا|ممثلاً|ممثلةً)"),
        re.compile(r"\s+(?:في|بـ?)\s*"),
    ),
)


_ALIAS_STEMS = ("المعروف", "الملقب", "المكن", "الشهير", "ممثل", "known", "nicknamed", "dubbed")


def _alias_start(text: str, end: int) -> tuple[int, re.Pattern[str]] | None:
    """Where the words after a name at `end` open an alias cue, and what may follow the cue."""
    for cue, between in _ALIAS_CUES:
        if found := cue.match(text, end):
            return found.end(), between
    return None


def merge_known_as(entities: list[Cluster], fields: dict[str, str]) -> list[Cluster]:
    """The name given after `known as` (`المعروف بـ`, `الملقب`, `nicknamed`) is the same referent,
    and so is the office a body is `ممثلة في` (represented by)."""
    if not any(stem in text for text in fields.values() for stem in _ALIAS_STEMS):
        return entities  # no cue in the article: no mention to look behind
    starts: dict[str, list[tuple[int, Cluster]]] = {}
    for e in entities:
        for m in e.mentions:
            starts.setdefault(m.field, []).append((m.start, e))
    merged: dict[int, Cluster] = {}
    for e in entities:
        if e.label not in ("PER", "ORG"):
            continue
        for m in e.mentions:
            text = fields[m.field]
            cue = _alias_start(text, m.end)
            if cue is None:
                continue
            cue_end, between = cue
            after = [(at, o) for at, o in starts[m.field] if cue_end < at <= cue_end + 40]
            if not after:
                continue
            at, other = min(after, key=lambda x: x[0])
            if (
                between.fullmatch(text, cue_end, at)
                and other is not e
                and other.label in (e.label, "MISC")
                and id(e) not in merged
                and other not in merged.values()
            ):
                merged[id(other)] = e
    return _merge(entities, merged)


def _merge(entities: list[Cluster], merged: dict[int, Cluster]) -> list[Cluster]:
    """`entities` with each one `merged` names folded into the one it names (which keeps its label)."""
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
