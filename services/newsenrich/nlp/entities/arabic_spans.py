"""Arabic names the small model tags in pieces, found whole by the shape news gives them:
an institution head and its definite words (`وزارة الخارجية`), a facility and its name
(`مطار القاهرة الدولي`), and places listed under a kind (`محافظات نينوى وكركوك`).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache

from newsenrich.nlp.entities.clustering import FACILITY_HEADS
from newsenrich.nlp.entities.mentions import KeptMentions, Mention
from newsenrich.nlp.text import (
    normalize,
)

PLACE_HEADS = frozenset(
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


# The proclitics a head word may carry, as the patterns below allow them.
_LEAD = r"(?<![\u0621-\u064a])(?:و|ف|ب|ل|وب|ول)?"
_LEADS = ("", "و", "ف", "ب", "ل", "وب", "ول")
_LETTERS = re.compile(r"[\u0621-\u064a]+")


@lru_cache(maxsize=8)
def _runs(text: str) -> frozenset[str]:
    """The runs of Arabic letters in `text`: read once per article field."""
    return frozenset(_LETTERS.findall(text))


class _HeadPattern:
    """A pattern every match of which begins with a head word, proclitic or not: tried only there.

    Each pattern here starts with `_LEAD` and a head followed by a space, so a match begins a
    run of Arabic letters that is a proclitic and a head. Python's `re` tries such a pattern
    (a look-behind, then alternatives) at every character, and five of them scanned each
    article, a tenth of the entity post-processing. Here the article's runs of letters are
    read once; a pattern none of whose head words is among them is not run at all, and
    otherwise it is matched only where one of them stands: `search` and `finditer` give
    what `re`'s would (a test holds them equal).
    """

    def __init__(self, pattern: str, heads: Iterable[str]):
        self.regex = re.compile(pattern)
        heads = tuple(heads)
        if not all(_LETTERS.fullmatch(h) for h in heads):
            raise ValueError(f"a head word must be Arabic letters only: {heads}")
        self.words = frozenset(lead + h for lead in _LEADS for h in heads)
        self._last: tuple[str, list[int]] | None = None  # the text last searched, its places

    def search(self, text: str, pos: int = 0) -> re.Match[str] | None:
        """`self.regex.search(text, pos)`."""
        places = self._places(text)
        for at in places[bisect.bisect_left(places, pos) :]:
            if (m := self.regex.match(text, at)) is not None:
                return m
        return None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pos = 0
        while (m := self.search(text, pos)) is not None:
            yield m
            pos = m.end()

    def _places(self, text: str) -> list[int]:
        """Where a run of letters that is one of the head words starts, in order."""
        last = self._last  # read once: another thread may search another text meanwhile
        if last is not None and last[0] is text:
            return last[1]
        places = []
        for word in self.words.intersection(_runs(text)):
            at = text.find(word)
            while at >= 0:
                end = at + len(word)
                if not _is_letter(text[at - 1 : at]) and not _is_letter(text[end : end + 1]):
                    places.append(at)
                at = text.find(word, at + 1)
        places.sort()
        self._last = (text, places)
        return places


def _is_letter(ch: str) -> bool:
    """`ch` (one character, or "" at an edge of the text) is in `_LETTERS`."""
    return "\u0621" <= ch <= "\u064a"


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
    "حكومة",
    "نيابة",
)


ORG_HEAD_WORDS = frozenset(normalize(h) for h in _ORG_HEADS)


_W = r"[\u0621-\u064a\u064b-\u0652]+"  # an Arabic word, with its diacritics
_DEF = rf"(?:[وب]?ال|لل){_W}"


_ARABIC_ORG = _HeadPattern(
    _LEAD + rf"((?:{'|'.join(_ORG_HEADS)})(?:\s+{_DEF}){{1,7}}"
    rf"|ال(?:{'|'.join(_ORG_HEADS)})(?:\s+ال[\u0621-\u064a]+){{1,2}}(?:\s+لل[\u0621-\u064a]+)(?:\s+{_DEF}){{0,3}})"
    r"(?![\u0621-\u064a])",
    (*_ORG_HEADS, *("ال" + h for h in _ORG_HEADS)),
)


# Heads that name an institution only with a `لـ` complement saying what it is for: `مركز
# الفجيرة لأبحاث الشعاب`, `شركة البريقة لتسويق النفط`, `الإدارة المركزية للإحصاء`. Alone with a
# definite word they are as often common nouns (`مركز المدينة` the town centre, `مجلس الإدارة`).
_PURPOSE_HEADS = (*_ORG_HEADS, "مركز", "شركة", "مجموعة", "إدارة", "مؤسسة", "رابطة", "اتحاد", "معهد")

# The same heads before a definite name and its purpose (`لتسويق النفط`, `للصيادين`), or written
# definite before an adjective and its purpose (`النقابة الوطنية لمهنيي سيارات الأجرة`).
_ARABIC_ORG_FOR = _HeadPattern(
    _LEAD + rf"((?:{'|'.join(_PURPOSE_HEADS)})\s+ال{_W}"
    rf"\s+(?:لل{_W}|ل(?!ل){_W}\s+ال{_W})(?:\s+ال{_W}){{0,2}}"
    rf"|ال(?:{'|'.join(_PURPOSE_HEADS)})\s+ال{_W}"
    rf"\s+(?:لل{_W}|ل(?!ل){_W}(?:\s+{_W})?\s+ال{_W})"
    rf"(?:\s+{_DEF}){{0,3}})"
    r"(?![\u0621-\u064a])",
    (*_PURPOSE_HEADS, *("ال" + h for h in _PURPOSE_HEADS)),
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


def _drop_trailing(words: list[re.Match[str]], stops: frozenset[str], keep: int = 0) -> None:
    """Drop from the end of `words` the ones that end a name rather than belong to it (time
    words, `the said`, and any of `stops`), leaving at least `keep`."""
    while len(words) > keep and (
        normalize(words[-1].group()) in _NOT_IN_ORG_NAMES or normalize(words[-1].group()) in stops
    ):
        words.pop()


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


def _replace_inside(kept: KeptMentions, cand: Mention, at_most: int | None = None) -> None:
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
    cue: Callable[[str], object] = lambda _: None,
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
    kept = KeptMentions(taken)
    for (fname, text), pattern in itertools.product(fields.items(), (_ARABIC_ORG, _ARABIC_ORG_FOR)):
        pos = 0
        while (hit := pattern.search(text, pos)) is not None:
            pos = hit.end()
            purpose = hit.group(1).split()[2] if pattern is _ARABIC_ORG_FOR else None
            if purpose is not None and _addressed_or_timed(text, hit.start(), purpose, cue):
                continue
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
            _drop_trailing(words, calendar, keep=1)
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
_FACILITY_HEAD = _HeadPattern(_LEAD + rf"({'|'.join(FACILITY_HEADS)})\s+", FACILITY_HEADS)


_INSTITUTION_HEAD = _HeadPattern(_LEAD + rf"({'|'.join(_ORG_HEADS)})\s+", _ORG_HEADS)


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
    kept = KeptMentions(taken)
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


def _name_at(
    kept: KeptMentions, fname: str, text: str, at: int, is_place: Callable[[str], bool]
) -> int | None:
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
_KIND_NOUNS = (
    *(stem + end for stem in ("محافظت", "منطقت", "مدينت", "ولايت", "مديريت", "بلدت", "قريت") for end in "اي"),
    *("محافظات", "ولايات", "مديريات"),
)
_PLACES_OF_KIND = _HeadPattern(_LEAD + rf"(?:{'|'.join(_KIND_NOUNS)})\s+", _KIND_NOUNS)


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
    """`taken` with the places listed after a dual or plural administrative noun, as places, in
    place of the tagger's mentions inside them."""
    kept = KeptMentions(taken)
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
                cand = Mention(fname, s, e, text[s:e], "LOC", text_says="LOC")
                inside = kept.overlapping(cand)
                if all(
                    (o.start, o.end) == (cand.start, cand.end) or (cand.start < o.start and o.end <= cand.end)
                    for o in inside
                ):
                    # The noun says what they are: a tagger's person inside (`عثمان` of
                    # `الشيخ عثمان`) gives way, and one of the same span is the place; a name
                    # running past the item stays, and so does one that starts it and ends
                    # sooner (`برطيري` of `برطيري العام المقبل،`: the tagger saw where it ends).
                    for o in inside:
                        kept.remove(o)
                    kept.add(cand)
    return kept.in_order()


# A natural feature and its definite name (`نهر الأولي`, `جبل الشيخ`, `خليج العقبة`): a place
# of its own, whatever the name's word means alone.
_NATURAL_HEADS = ("نهر", "بحيرة", "جزيرة", "جبل", "وادي", "خليج", "مضيق")
_NATURAL_PLACE = _HeadPattern(
    _LEAD + rf"((?:{'|'.join(_NATURAL_HEADS)})\s+(ال[\u0621-\u064a]{{2,}}))(?![\u0621-\u064a])",
    _NATURAL_HEADS,
)


def arabic_natural_places(
    fields: dict[str, str], taken: list[Mention], stops: frozenset[str]
) -> list[Mention]:
    """`taken` with each natural feature named by its head and a definite word, as a place; it
    replaces the tagger's mention of the name inside it (`الأولي` of `نهر الأولي`)."""
    kept = KeptMentions(taken)
    for fname, text in fields.items():
        for hit in _NATURAL_PLACE.finditer(text):
            word = normalize(hit.group(2))
            if word in stops or word in _NOT_IN_ORG_NAMES:
                continue  # a time word or a particle: no name follows the head
            _replace_inside(kept, Mention(fname, hit.start(1), hit.end(1), hit.group(1), "LOC"))
    return kept.in_order()


# An organisation named by what it is for: a name ending in a nisba adjective runs on
# through a لـ complement (`الاتحاد المصري لكرة اليد`, `المركز الوطني للإحصاء والمعلومات`,
# `النقابة الوطنية لمهنيي سيارات الأجرة`). The complement is لل + a definite noun, or ل + a
# noun in the construct state and the definite noun it governs, then at most two definite
# words or one coordinated with و.
_FOR_COMPLEMENT = re.compile(
    rf"\s+(?:لل{_W}|ل(?!ل){_W}(?:\s+(?!ال|و){_W})?\s+ال{_W})(?:\s+(?:و?ال){_W}){{0,2}}(?![\u0621-\u064a])"
)
_NISBA_END = re.compile(r"^ال[\u0621-\u064a]{2,}(?:ي|يه)$")  # normalised: ة is ه
_PEOPLE = re.compile(r"^لل[\u0621-\u064a]{2,}(?:ين|ون)$")  # للصحافيين، للمواطنين
_LAST_WORD = re.compile(r"([\u0621-\u064a\u064b-\u0652]+)\s*$")
_ADVERBIAL = frozenset(normalize(w) for w in ("للمرة", "لمدة", "للغاية", "للحظة"))


def _addressed_or_timed(text: str, name_start: int, purpose: str, cue: Callable[[str], object]) -> bool:
    """The لـ phrase (its first word `purpose`) after a name starting at `name_start` says when
    (`للمرة الأولى`) or, after a cue verb, to whom (`وقال الاتحاد الكويتي للصحافيين`), not what the
    institution is for."""
    word = normalize(purpose)
    if word in _ADVERBIAL:
        return True
    before = _word_before(text, name_start)
    return before is not None and bool(cue(before)) and bool(_PEOPLE.match(word))


def _word_before(text: str, at: int) -> str | None:
    """The Arabic word right before `at`, read from the 40 characters before it, not a scan."""
    found = _LAST_WORD.search(text, max(0, at - 40), at)
    return found.group(1) if found else None


def arabic_org_complements(
    fields: dict[str, str],
    taken: list[Mention],
    stops: frozenset[str],
    cue: Callable[[str], object] = lambda _: None,
) -> list[Mention]:
    """`taken` with each organisation that ends in a nisba adjective run on through the لـ
    complement right after it, up to a word of `stops` (time words, prepositions).

    Only a name ending in an adjective: after a noun (`وزارة الصحة للصحافيين`) the لـ phrase is
    whom it was said to, and so it is after a cue verb when it names people in the sound plural
    (`وقال الاتحاد الكويتي للصحافيين`, but `أعلن الاتحاد المصري لكرة اليد`). The name run on
    replaces the mentions inside it (`_replace_inside`), unless one runs past it: the tagger's
    next name, or a name run on before whose complement this one stands in.
    """
    kept = KeptMentions(taken)
    for m in [m for m in taken if m.label == "ORG" and " " in m.text.strip()]:
        text = fields[m.field]
        if not _NISBA_END.match(normalize(m.text.split()[-1])):
            continue
        tail = _FOR_COMPLEMENT.match(text, m.end)
        if tail is None:
            continue
        if _addressed_or_timed(text, m.start, tail.group().split()[0], cue):
            continue
        words = list(re.finditer(r"\S+", tail.group()))
        _drop_trailing(words, stops)
        if not words:
            continue
        end = m.end + words[-1].end()
        _replace_inside(kept, Mention(m.field, m.start, end, text[m.start : end], "ORG"))
    return kept.in_order()


# A word beginning with و right after a name: a surname (`ورسمي`) or `and ...`.
_WAW_WORD_NEXT = re.compile(r"[ \u00a0](و[\w\u064b-\u0652]{3,})(?![\w\u064b-\u0652])")


def arabic_waw_surnames(
    fields: dict[str, str], taken: list[Mention], roles: frozenset[str], vocabulary: frozenset[str]
) -> list[Mention]:
    """`taken` with a person's name run on through the word after it that begins with و, when
    the article also writes that word right after a title or role (`الوزير ورسمي`) and never
    writes it without the و.

    Names such as ورسمي or وهبي begin with the letter that is also `and`, and the tagger, which
    has seen و mostly as `and`, ends the name before it. Right after a title the word can only
    be the name (a title is followed by whom it titles); and were the و `and`, the article
    would be likely to write the rest on its own somewhere too (`الوزير وأحمد` beside `أحمد`).
    The word after the title becomes a mention of the person too, so it joins the full name.
    """
    candidates = [
        (m, nxt)
        for m in taken
        if m.label == "PER"
        and (nxt := _WAW_WORD_NEXT.match(fields[m.field], m.end))
        and normalize(nxt.group(1)[1:]) not in vocabulary  # else the article writes the rest alone
    ]
    if not candidates:
        return taken
    after_title: dict[str, list[tuple[str, int, int]]] = {}
    for word in {nxt.group(1) for _, nxt in candidates}:
        for field, text in fields.items():
            for hit in re.finditer(rf"(?<=[ \u00a0]){re.escape(word)}(?![\w\u064b-\u0652])", text):
                before = _word_before(text, hit.start())
                if before is not None and normalize(before) in roles:
                    after_title.setdefault(word, []).append((field, hit.start(), hit.end()))
    kept = KeptMentions(taken)
    for m, nxt in candidates:
        word = nxt.group(1)
        if word not in after_title:
            continue
        text = fields[m.field]
        _replace_inside(kept, Mention(m.field, m.start, nxt.end(1), text[m.start : nxt.end(1)], "PER"))
        for field, start, end_ in after_title[word]:
            alone = Mention(field, start, end_, word, "PER")
            if not kept.overlapping(alone):
                kept.add(alone)
    return kept.in_order()
