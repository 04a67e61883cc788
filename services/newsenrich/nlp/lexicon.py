"""Per-language reporting cues, loaded from the JSON data files in `lexicons/`.

Adding a language means adding `lexicons/<code>.json` (and tests): the quote
rules read only this object, never a word list of their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources
from typing import Any

import orjson

from newsenrich.nlp.text import name_tokens, normalize


@dataclass(frozen=True)
class Cue:
    form: str  # the cue without proclitic, normalised
    # "verb" (قال, said), "participle" (قائلاً, adding), "masdar" (بقوله, بالقول: the
    # subject is the governing verb's), "statement" (جاء في البيان), "after" (a verb
    # that reports speech only right after a quote: `"…," the statement read`)
    kind: str
    gender: str | None  # "m" | "f" | None (plural or unknown)


@dataclass(frozen=True)
class Lexicon:
    language: str
    proclitics: tuple[str, ...]
    verbs: dict[str, str | None]
    participles: dict[str, str | None]
    marked_verbs: dict[str, str | None]  # verbs told apart from a common word by a diacritic (بيّن, not بين)
    masdars: frozenset[str]
    statement_verbs: frozenset[str]
    statement_nouns: frozenset[str]
    after_verbs: frozenset[str]  # speech verbs only right after a quote (`"…," the statement read`)
    describing_verbs: frozenset[str]  # `described X as "…"`, `وصف X بأنه «…»`: a quoted fragment follows
    quoting_verbs: frozenset[str]  # `نقلت … عن X قوله`: the speaker follows عن
    manner_words: frozenset[str]  # `وأضاف بحرقة:`, `he said quietly`: never a speaker
    speech_nouns: frozenset[str]  # `وختم كلمته بالقول:`: the speech itself, never a speaker
    anonymous_nouns: frozenset[str]  # `a source`, `مصدر`: nobody the article names
    group_nouns: frozenset[str]  # `police`, `الوزارة`: an organisation named elsewhere in the article
    office_nouns: frozenset[str]  # `المركز الإعلامي`, `press office`: a part that speaks for its organisation
    outlet_nouns: frozenset[str]  # `صحيفة «الصباح»`: the kind of outlet a name in marks follows
    interview_nouns: frozenset[str]  # `في تصريح خاص لـ«اليوم 24»`: a statement given to an outlet
    # `حسب ما أوردته «شوف تي في»`: what an outlet published, the verb as ما's relative clause
    published_verbs: frozenset[str]
    # wires the press cites, each name form -> its agency: organisations whatever a tagger says,
    # and one entity across forms (أ ف ب, فرانس برس)
    news_agencies: dict[tuple[str, ...], int]
    complementizers: frozenset[str]
    complementizer_preps: frozenset[str]
    according_to: frozenset[str]
    speaker_stops: frozenset[str]
    role_words: frozenset[str]
    pronouns: dict[str, str]
    pronoun_suffixes: dict[str, str | None]  # attached pronouns (بيده = بيد + ه) and their gender
    honorific_nouns: frozenset[str]  # forms of address before a dignitary's name (سمو، معالي)
    function_words: frozenset[str]  # closed-class words never part of a name (احنا، اللي، مش)
    object_cues: frozenset[str]  # cues whose next words are an object, not the report (told, asked)
    clause_openers: tuple[str, ...]  # particles that open the reported clause after a source (فإن)
    version: str

    def forms(self, token: str) -> tuple[str, ...]:
        """`token` normalised, and without each proclitic it may carry (وقال -> قال)."""
        return _forms(token, self.proclitics)

    def cue(self, token: str, *, after_quote: bool = False) -> Cue | None:
        """The reporting cue `token` is (with a proclitic allowed), or None.

        Verbs are tried on every form first, so `وردّ` is و + ردّ (replied).
        Answers are cached per language: the rules ask about every token.
        """
        return _cue(self.language, token, after_quote)

    def _cue(self, token: str, after_quote: bool) -> Cue | None:
        raw = token.lstrip("وف") if token[:1] in "وف" and len(token) > 3 else token
        if raw in self.marked_verbs or token in self.marked_verbs:
            return Cue(normalize(raw), "verb", self.marked_verbs.get(raw, self.marked_verbs.get(token)))
        forms = self.forms(token)
        tables: list[tuple[str, dict[str, str | None] | frozenset[str]]] = [
            ("verb", self.verbs),
            ("participle", self.participles),
            ("masdar", self.masdars),
            ("statement", self.statement_verbs),
        ]
        if after_quote:
            tables.append(("after", self.after_verbs))
        for kind, table in tables:
            for form in forms:
                if form in table:
                    gender = table[form] if isinstance(table, dict) else None
                    return Cue(form, kind, gender)
        return None

    def is_in(self, token: str, words: frozenset[str]) -> bool:
        """`token`, with or without a proclitic, is one of `words`."""
        return any(f in words for f in self.forms(token))

    def is_according_to(self, token: str) -> bool:
        """`بحسب`, `وبحسب`, `according`: a marker that names the source of a report.

        The quote rules ask it of every word of every article: the answer is kept per word."""
        memo = self._according_to_memo
        found = memo.get(token)
        if found is None:
            if len(memo) >= _MEMO_WORDS:
                memo.clear()
            found = memo[token] = normalize(token) in self._according_to_written
        return found

    @cached_property
    def _according_to_memo(self) -> dict[str, bool]:
        return {}

    @cached_property
    def _according_to_written(self) -> frozenset[str]:
        """The markers as written, with or without a proclitic: the quote rules ask of every word."""
        return frozenset(p + a for a in self.according_to for p in ("", *self.proclitics))

    def is_complementizer(self, token: str) -> bool:
        return normalize(token) in self.complementizers

    def is_stop(self, token: str) -> bool:
        t = normalize(token)
        return t in self.speaker_stops or t in self.complementizers

    def pronoun(self, token: str) -> str | None:
        """The gender (m, f, pl) of a free personal pronoun `token` (وهو, she), or None if it is none."""
        return next((self.pronouns[f] for f in self.forms(token) if f in self.pronouns), None)

    def suffix_of(self, token: str) -> tuple[str, str | None] | None:
        """(host, gender) when `token` is a noun carrying an attached pronoun, else None.

        بيدها = بيد + ها, سموه = سمو + ه, إمكانياتنا = إمكانيات + نا: a word that owns
        something is never a name.
        """
        if token.endswith("ة"):
            return None  # a ta marbuta (شحاتة), which normalising writes like the suffix ه
        t = normalize(token)
        for suffix in self._suffixes_longest_first:
            if not t.endswith(suffix) or len(t) - len(suffix) < 3:
                continue
            host = t[: -len(suffix)]
            if honorific := self.honorific_host(host):
                return honorific, self.pronoun_suffixes[suffix]
            # The host shows the suffix is one: ة written ت before it (سيارتها، حكومتنا), a
            # plural ending (إمكانياتنا), or a prepositional proclitic (بيده، بلادنا). Names
            # end in نا and ه too (ديانا، فاطمه), never after such a host.
            if suffix == "ه":
                marked = host.endswith("ت") or (t[:1] in "بل" and len(host) == 3)
            else:
                marked = (
                    host.endswith(("ت", "ين", "ون"))
                    or (t[:1] in "بل" and len(host) >= 4)
                    or (suffix != "نا" and suffix != "كم" and len(host) >= 3)
                )
            if marked:
                return host, self.pronoun_suffixes[suffix]
        return None

    @cached_property
    def _suffixes_longest_first(self) -> list[str]:
        return sorted(self.pronoun_suffixes, key=len, reverse=True)

    @cached_property
    def not_name_words(self) -> frozenset[str]:
        """Role words, pronouns and group nouns: a mention of nothing else is no name."""
        return self.role_words | frozenset(self.pronouns) | self.group_nouns

    def honorific_host(self, host: str) -> str | None:
        """The honorific noun `host` is (سعادت -> سعاده, as it stands before a suffix), or None."""
        for form in (host, host[:-1] + "ه" if host.endswith("ت") else host):
            for f in self.forms(form):
                if f in self.honorific_nouns:
                    return f
        return None

    def honorific(self, token: str) -> tuple[str, str | None] | None:
        """(honorific, gender) when `token` is a dignitary's honorific pronoun (سموه, معاليها)."""
        found = self.suffix_of(token)
        if found and found[0] in self.honorific_nouns:
            return found
        return None

    def is_role(self, token: str) -> bool:
        t = normalize(token)
        if t in self.role_words or any(f in self.honorific_nouns for f in self.forms(token)):
            return True  # (an honorific before a name is a title like a role: سعادة المدير العام …)
        # Arabic role phrases carry genitive complements: لحلف، للشركة.
        return self.language == "ar" and (
            t.startswith("لل") or (t.startswith("ل") and len(t) > 3 and t[1:] in self.role_words)
        )


_MEMO_WORDS = 1 << 16  # words a per-word answer is kept for, at most


@lru_cache(maxsize=1 << 16)
def _forms(token: str, proclitics: tuple[str, ...]) -> tuple[str, ...]:
    t = normalize(token)
    return (t, *(t[len(p) :] for p in proclitics if t.startswith(p) and len(t) > len(p) + 1))


@lru_cache(maxsize=1 << 16)
def _cue(language: str, token: str, after_quote: bool) -> Cue | None:
    return load(language)._cue(token, after_quote)


def _gendered(table: dict[str, list[str]]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for gender, forms in table.items():
        for f in forms:
            out.setdefault(normalize(f), gender if gender in ("m", "f") else None)
    return out


def _words(data: dict[str, Any], key: str) -> frozenset[str]:  # a lexicon file's JSON
    return frozenset(normalize(w) for w in data.get(key, []))


@cache
def load(language: str) -> Lexicon:
    """The lexicon for `language`; KeyError if there is no data file for it."""
    try:
        raw = resources.files("newsenrich.nlp.lexicons").joinpath(f"{language}.json").read_bytes()
    except FileNotFoundError:
        raise KeyError(f"no quote lexicon for language {language!r}") from None
    data = orjson.loads(raw)
    import hashlib

    verbs = _gendered(data["cue_verbs"])
    # Plural verb forms (…وا) carry no single gender.
    for form in list(verbs):
        if language == "ar" and form.endswith("وا"):
            verbs[form] = None
    return Lexicon(
        language=language,
        proclitics=tuple(normalize(p) for p in data.get("proclitics", [])),
        verbs=verbs,
        participles=_gendered(data["participle_cues"]),
        marked_verbs={k: (v if v in ("m", "f") else None) for k, v in data.get("marked_verbs", {}).items()},
        masdars=_words(data, "masdar_cues"),
        statement_verbs=_words(data, "statement_verbs"),
        statement_nouns=_words(data, "statement_nouns"),
        after_verbs=_words(data, "attribution_only_verbs"),
        describing_verbs=_words(data, "describing_verbs"),
        quoting_verbs=_words(data, "quoting_verbs"),
        manner_words=_words(data, "manner_words"),
        speech_nouns=_words(data, "speech_nouns"),
        anonymous_nouns=_words(data, "anonymous_nouns"),
        group_nouns=_words(data, "group_nouns"),
        office_nouns=_words(data, "office_nouns"),
        outlet_nouns=_words(data, "outlet_nouns"),
        interview_nouns=_words(data, "interview_nouns"),
        published_verbs=_words(data, "published_verbs"),
        news_agencies={
            name_tokens(form): k
            for k, group in enumerate(data.get("news_agencies", []))
            for form in ([group] if isinstance(group, str) else group)
        },
        complementizers=frozenset(normalize(w) for w in data["complementizers"]),
        complementizer_preps=frozenset(normalize(w) for w in data.get("complementizer_preps", [])),
        according_to=frozenset(normalize(w) for w in data.get("according_to", [])),
        speaker_stops=frozenset(normalize(w) for w in data["speaker_stops"]),
        role_words=frozenset(normalize(w) for w in data["role_words"]),
        pronouns={normalize(k): v for k, v in data.get("pronouns", {}).items()},
        pronoun_suffixes={normalize(k): v for k, v in data.get("pronoun_suffixes", {}).items()},
        honorific_nouns=_words(data, "honorific_nouns"),
        function_words=_words(data, "function_words"),
        object_cues=frozenset(normalize(w) for w in data.get("object_cues", [])),
        clause_openers=tuple(data.get("clause_openers", [])),
        version=f"lexicon/{language}@{hashlib.sha256(raw).hexdigest()[:8]}",
    )


def available_languages() -> frozenset[str]:
    """Languages with a lexicon file: the languages the service can enrich."""
    files = resources.files("newsenrich.nlp.lexicons").iterdir()
    return frozenset(f.name.removesuffix(".json") for f in files if f.name.endswith(".json"))
