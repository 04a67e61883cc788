"""Place names, calendar words and news agencies: evidence beside the NER model, never instead of it.

* Places come from CLDR as babel ships it (about 295 territory and 420 city
  names in Arabic; English territories and time-zone cities) and pycountry's
  English country names, plus, when the models folder has one, the
  `gazetteer.json` that `newsenrich models train` writes from the training
  corpora's own place names (label-pure names seen at least twice). They add
  place mentions the model missed and settle a person/place label.
* Towns: that file's GeoNames towns of the Arabic-speaking countries. Many are also
  ordinary words or first names the corpora never showed (`خصب`, `نبل`, `موحا`), so a
  town is only ever a place where the text puts it in a place's position (`places.py`),
  and never settles a label.
* Calendar words (months in the Gregorian and Levantine and Maghreb
  calendars, weekdays) are never entities: CLDR's locales for each region.
* Currency names (الريال السعودي، الدولار الأمريكي, US dollar) are never
  organisations or places either: CLDR's names of every currency.
* News agencies speak as organisations: a short list of the wires the press
  cites (data in the lexicons), since a tagger often takes them for people.
"""

from __future__ import annotations

import logging
import os
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

import orjson

from newsenrich.nlp.text import PROCLITICS, name_tokens, without_article

log = logging.getLogger(__name__)

_CALENDAR_LOCALES = {
    "ar": ("ar", "ar_SY", "ar_LB", "ar_IQ", "ar_MA", "ar_DZ", "ar_TN", "ar_EG"),
    "en": ("en",),
}
_COMMON_PLACE_WORDS = frozenset(
    [
        "central",
        "northern",
        "southern",
        "eastern",
        "western",
        "north",
        "south",
        "east",
        "west",
        "capital",
        "coast",
        "coastal",
        "lakes",
        "island",
        "islands",
        "mountain",
        "mountains",
        "valley",
        "river",
        "upper",
        "lower",
        "middle",
        "greater",
        "inner",
        "outer",
        "highland",
        "highlands",
        "lowland",
        "plains",
        "federal",
        "national",
        "special",
        "city",
        "district",
        "region",
        "province",
        "state",
        "new",
        "saint",
        "st",
    ]
)
TOWN = "TOWN"  # the gazetteer label of a town: a LOC mention once its context is a place's
_SKIP_TERRITORIES = {"001", "ZZ", "EU", "EZ", "UN", "QO"}  # the world, unknown region, unions


@dataclass(frozen=True)
class Gazetteer:
    places: frozenset[tuple[str, ...]]
    organisations: frozenset[tuple[str, ...]]
    calendar: frozenset[str]
    # first word -> (name, label) of every place and multi-word organisation starting with it,
    # longest first: an article looks up its own words here instead of scanning every name.
    by_first_word: dict[str, list[tuple[tuple[str, ...], str]]] = field(
        default_factory=dict, compare=False, hash=False
    )
    currencies: frozenset[tuple[str, ...]] = frozenset()  # each word without its article
    towns: frozenset[tuple[str, ...]] = frozenset()  # places only where the text says so
    # the same index for the towns (label TOWN), looked up only for words in a place's position
    towns_by_first_word: dict[str, list[tuple[tuple[str, ...], str]]] = field(
        default_factory=dict, compare=False, hash=False
    )

    @cached_property
    def written_first_words(self) -> dict[str, tuple[str, ...]]:
        """A word as an article may write it, proclitic or not (وبغداد), -> the first words of
        `by_first_word` it can be: the article's words are looked up here, in one pass."""
        return _as_written(self.by_first_word)

    @cached_property
    def written_town_words(self) -> dict[str, tuple[str, ...]]:
        """The same for `towns_by_first_word`."""
        return _as_written(self.towns_by_first_word)

    @staticmethod
    def build(
        places: frozenset[tuple[str, ...]],
        organisations: frozenset[tuple[str, ...]],
        calendar: frozenset[str],
        currencies: frozenset[tuple[str, ...]] = frozenset(),
        towns: frozenset[tuple[str, ...]] = frozenset(),
    ) -> Gazetteer:
        index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        named = [(p, "LOC") for p in places] + [(o, "ORG") for o in organisations if len(o) >= 2]
        for name, label in sorted(named, key=lambda x: (-len(x[0]), x[0], x[1])):
            index.setdefault(name[0], []).append((name, label))
        towns = towns - places - organisations
        by_town_word: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for name in sorted(towns, key=lambda x: (-len(x), x)):
            by_town_word.setdefault(name[0], []).append((name, TOWN))
        return Gazetteer(places, organisations, calendar, index, currencies, towns, by_town_word)

    def is_place(self, name: str) -> bool:
        return name_tokens(name) in self.places

    def is_town(self, name: str) -> bool:
        """A town of the gazetteer: a place only where the text says so (a facility's name, after
        `في` …), never on its own."""
        return name_tokens(name) in self.towns

    def is_place_or_town(self, name: str) -> bool:
        """For a name the text already puts where a place goes (after a facility's head, or
        known to be one by other evidence): any place the gazetteer knows, towns included."""
        return self.is_place(name) or self.is_town(name)

    def is_organisation(self, name: str) -> bool:
        return name_tokens(name) in self.organisations

    def is_currency(self, name: str) -> bool:
        """`الريال السعودي`, `US dollar`: a currency, whatever article its words carry."""
        return _without_article(name_tokens(name)) in self.currencies

    def is_calendar(self, name: str) -> bool:
        toks = name_tokens(name)
        return bool(toks) and all(t in self.calendar for t in toks)


def _as_written(words: Iterable[str]) -> dict[str, tuple[str, ...]]:
    written: dict[str, list[str]] = {}
    for w in words:
        for lead in ("", *PROCLITICS):
            written.setdefault(lead + w, []).append(w)
    return {form: tuple(ws) for form, ws in written.items()}


def _cldr(lang: str) -> tuple[set[tuple[str, ...]], set[str]]:
    from babel import Locale

    places: set[tuple[str, ...]] = set()
    loc = Locale.parse(lang)
    for code, name in loc.territories.items():
        if code not in _SKIP_TERRITORIES:
            places.add(name_tokens(name))
    zones = loc.time_zones
    for tz in zoneinfo.available_timezones():
        city = zones.get(tz, {}).get("city")
        if not city and lang == "en" and "/" in tz:
            city = tz.rsplit("/", 1)[1].replace("_", " ")
        if city:
            places.add(name_tokens(city))
    calendar: set[str] = set()
    for code in _CALENDAR_LOCALES[lang]:
        cal = Locale.parse(code)
        for table in (cal.months, cal.days):
            for context in ("format", "stand-alone"):
                for width in ("wide", "abbreviated"):
                    for word in table.get(context, {}).get(width, {}).values():
                        if len(word) > 2:
                            calendar.update(name_tokens(word))
    return places, calendar


def _without_article(toks: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(without_article(t) for t in toks)


def _currencies(lang: str) -> set[tuple[str, ...]]:
    from babel import Locale

    return {_without_article(name_tokens(n)) for n in Locale.parse(lang).currencies.values()}


def _pycountry(lang: str) -> set[tuple[str, ...]]:
    if lang != "en":
        return set()
    import pycountry

    out: set[tuple[str, ...]] = set()
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if value := getattr(c, attr, None):
                out.add(name_tokens(value))
    # States, provinces, counties and cities (Manchester, Nevada, Ontario); names that are
    # also ordinary words (`Central`, `Capital`) are left out.
    for sub in pycountry.subdivisions:
        name = sub.name.split(",")[0].split("(")[0].strip()
        toks = name_tokens(name)
        if (
            not toks
            or any(t in _COMMON_PLACE_WORDS for t in toks[:1])
            or (len(toks) == 1 and len(toks[0]) < 5)
        ):
            continue
        if name.isascii():
            out.add(toks)
    return out


_Names = set[tuple[str, ...]]


def _trained(lang: str, root: Path | None) -> tuple[_Names, _Names, _Names]:
    """Place, organisation and town names from the models folder's gazetteer.json, if it has one."""
    if root is None:
        return set(), set(), set()
    path = root / lang / "gazetteer.json"
    if not path.is_file():
        return set(), set(), set()
    data = orjson.loads(path.read_bytes())
    places, orgs, towns = ({name_tokens(n) for n in data.get(k, [])} for k in ("LOC", "ORG", TOWN))
    return places, orgs, towns


def load(lang: str, root: Path | None = None) -> Gazetteer:
    """The gazetteer for `lang`; `root` is the models folder with gazetteer.json (default: the one in use)."""
    return _load(lang, root or _models_in_use(os.environ.get("STANZA_RESOURCES_DIR")))


@lru_cache(maxsize=8)
def _models_in_use(variable: str | None) -> Path:
    """The models folder for one value of `STANZA_RESOURCES_DIR`, worked out once.

    The rules ask for the gazetteer many times per article; finding the folder each time
    (the variable, else a look for `.env`, a file system call) was a fifth of the entity
    post-processing. Keyed by the variable so a process that sets it (the tests) is seen.
    """
    from newsenrich.nlp.pipeline import resources_dir

    return resources_dir()


@cache
def _load(lang: str, root: Path) -> Gazetteer:
    try:
        places, calendar = _cldr(lang)
        currencies = _currencies(lang)
    except (ValueError, KeyError) as exc:  # a language CLDR does not know
        log.warning("no CLDR names for %s: %s", lang, exc)
        places, calendar, currencies = set(), set(), set()
    places |= _pycountry(lang)
    trained_places, orgs, towns = _trained(lang, root)
    places |= trained_places
    places.discard(())
    return Gazetteer.build(
        frozenset(places),
        frozenset(orgs - places),
        frozenset(calendar),
        frozenset(currencies - places),
        frozenset(towns - currencies) - {()},
    )
