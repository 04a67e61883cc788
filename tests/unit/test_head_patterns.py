"""A head-word pattern skipped for an article without its head words finds what `re` finds."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsenrich.nlp.entities import arabic_spans
from newsenrich.nlp.entities.arabic_spans import _HeadPattern

PATTERNS = {name: value for name, value in vars(arabic_spans).items() if isinstance(value, _HeadPattern)}

# Heads with and without proclitics or the article, their look-alikes, definite words and the
# characters the patterns turn on: spaces, harakat (no letters: a match may start after one),
# Latin letters and punctuation.
_PIECES = [
    *{h for p in PATTERNS.values() for h in p.words if len(h) < 12},
    *("وزار", "ةوزارة", "مطارات", "نهري", "الخارجية", "للتخطيط", "لتسويق", "النفط", "العام"),
    *("الأمن", "والهيئة", "الملكية", "درعا", "والسويداء", "قال", "في"),
    *(" ", "  ", "\n", "\u064e", "،", "«", "»", "x", "1", "ـ"),
]


def test_every_head_pattern_is_covered():
    assert set(PATTERNS) >= {
        "_ARABIC_ORG",
        "_ARABIC_ORG_FOR",
        "_FACILITY_HEAD",
        "_INSTITUTION_HEAD",
        "_PLACES_OF_KIND",
        "_NATURAL_PLACE",
    }


@settings(max_examples=400, deadline=None)
@given(pieces=st.lists(st.sampled_from(_PIECES), max_size=30), pos=st.integers(min_value=0, max_value=40))
def test_matches_are_those_of_the_plain_regex(pieces, pos):
    text = "".join(pieces)
    for name, pattern in PATTERNS.items():
        want = [m.group() for m in pattern.regex.finditer(text)]
        assert [m.group() for m in pattern.finditer(text)] == want, name
        got, expected = pattern.search(text, pos), pattern.regex.search(text, pos)
        assert (got and got.span()) == (expected and expected.span()), name


def test_a_pattern_whose_head_words_are_absent_is_not_run():
    class Counting:
        def __init__(self, regex):
            self.regex, self.calls = regex, 0

        def finditer(self, text):
            self.calls += 1
            return self.regex.finditer(text)

        def search(self, text, pos=0):
            self.calls += 1
            return self.regex.search(text, pos)

    pattern = _HeadPattern(r"(?:و)?(مطار)\s+", ["مطار"])
    counting = Counting(pattern.regex)
    pattern.regex = counting  # type: ignore[assignment]
    assert list(pattern.finditer("قال الوزير إن المطارات مغلقة")) == []
    assert counting.calls == 0
    assert [m.group(1) for m in pattern.finditer("وصل إلى مطار القاهرة")] == ["مطار"]
    assert counting.calls == 1


def test_each_way_a_match_can_begin_is_still_found():
    """A head bare, with a proclitic, and written definite (the second shape of two patterns),
    each in a text of its own: the text's other words cannot let the pattern run."""
    cases = [
        ("_ARABIC_ORG", "أعلنت الهيئة الملكية للجبيل وينبع اليوم"),
        ("_ARABIC_ORG", "وقالت وزارة الخارجية"),
        ("_ARABIC_ORG_FOR", "قالت الإدارة المركزية للإحصاء إن"),
        ("_ARABIC_ORG_FOR", "وشركة البريقة لتسويق النفط"),
        ("_FACILITY_HEAD", "في مطار القاهرة"),
        ("_INSTITUTION_HEAD", "وبمديرية زراعة البصرة"),
        ("_PLACES_OF_KIND", "وبمحافظتي درعا والسويداء"),
        ("_NATURAL_PLACE", "قرب نهر الأولي"),
    ]
    for name, text in cases:
        pattern = PATTERNS[name]
        found = [m.group() for m in pattern.finditer(text)]
        assert found and found == [m.group() for m in pattern.regex.finditer(text)], (name, text)
