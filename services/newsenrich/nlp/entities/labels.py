"""The label an entity ends with, and Arabic organisation names written more than one way
(`البنك المركزي المصري` and `المركزي المصري`) merged into one entity.
"""

from __future__ import annotations

from collections.abc import Callable

from newsenrich.nlp import gazetteer, lexicon
from newsenrich.nlp.entities.clustering import PLACE_KINDS, Cluster
from newsenrich.nlp.text import (
    PROCLITICS,
    normalize,
    without_article,
)


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
        if i and t in PLACE_KINDS and i + 1 < len(form):
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


def merge_arabic_org_forms(entities: list[Cluster], is_place: Callable[[str], bool]) -> list[Cluster]:
    """One organisation across the ways Arabic names it after a country.

    A country's adjective for the country (المنتخب المصري, منتخب مصر), and `the
    central bank` for the one bank named after a country in the article (البنك
    المركزي, بنك المغرب). Two banks of different countries, or two unnamed
    against two named, stay apart: the rule merges only what is unambiguous.
    """
    keyed: dict[tuple[str, ...], Cluster] = {}
    out: list[Cluster] = []
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
    banks: dict[str, list[Cluster]] = {}
    for e in out:
        if e.label != "ORG":
            continue
        for country in {_central_bank(_org_key(f, is_place)) for f in e.token_forms}:
            if country is not None:
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


def _kind_word_label(e: Cluster, lang: str) -> str | None:
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


def settle_labels(entities: list[Cluster], lang: str) -> None:
    """Evidence beats a tagger's vote: a known place is a place, a news agency an organisation,
    a name the text calls a place (`محافظتي X وY`) a place.

    An organisation whose every name is a known place is the place: a city or a country
    named alone (a capital standing for its government is still the place in news NER).
    """

    gaz = gazetteer.load(lang)
    agencies = lexicon.load(lang).news_agencies
    for e in entities:
        forms = e.token_forms
        said = {m.text_says for m in e.mentions} - {None}
        if any(f in agencies for f in forms):
            e.fixed_label = "ORG"
        elif len(said) == 1:
            e.fixed_label = said.pop()  # `مديريتا المنصورة والشيخ عثمان`: what the text says it is
        elif e.label in ("PER", "MISC") and any(gaz.is_place(" ".join(f)) for f in forms):
            e.fixed_label = "LOC"
        elif e.label == "ORG" and all(gaz.is_place(" ".join(f)) for f in forms):
            # `بغداد`, `القاهرة`, a dateline's `BUCHAREST`: nothing but a known place's name
            e.fixed_label = "LOC"
        elif (kind := _kind_word_label(e, lang)) is not None and kind != e.label:
            e.fixed_label = kind
