"""The entity rules' scans that skip most of an article find what a scan of all of it finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsenrich.nlp.entities import arabic_spans
from newsenrich.nlp.entities.arabic_spans import _HeadPattern
from newsenrich.nlp.entities.outlets import _last_words

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


def test_the_pattern_is_tried_only_where_a_head_word_stands():
    class Counting:
        def __init__(self, regex):
            self.regex, self.calls = regex, 0

        def match(self, text, pos=0):
            self.calls += 1
            return self.regex.match(text, pos)

    pattern = _HeadPattern(r"(?:و)?(مطار)\s+", ["مطار"])
    counting = Counting(pattern.regex)
    pattern.regex = counting  # type: ignore[assignment]
    assert list(pattern.finditer("قال الوزير إن المطارات مغلقة")) == []
    assert counting.calls == 0
    assert [m.group(1) for m in pattern.finditer("وصل إلى مطار القاهرة ثم ومطار دبي ومطارات")] == ["مطار"] * 2
    assert counting.calls == 2


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


@given(
    line=st.lists(st.sampled_from(["قال", "واس", "x" * 150, " ", "  ", "\n", "\t", "،"]), max_size=40).map(
        "".join
    ),
    k=st.integers(min_value=1, max_value=5),
)
def test_the_last_words_of_a_line_read_from_its_end(line, k):
    want = [m.span() for m in re.finditer(r"\S+", line)][-k:]
    assert [m.span() for m in _last_words(line, k)] == want


_TEXT_PIECES = ["عبد", "المهدي", "عبدالمهدي", "وزارة", "الصحة", "وبغداد", "بغداد", "o'neil", "x_y", "Ali"]


@settings(max_examples=300, deadline=None)
@given(
    text=st.lists(st.sampled_from([*_TEXT_PIECES, " ", "  ", "،", "«", "»", "\u200f"]), max_size=14),
    form=st.lists(st.sampled_from(_TEXT_PIECES), min_size=1, max_size=3),
)
def test_a_name_ruled_out_by_its_words_is_never_found_in_the_text(text, form):
    from newsenrich.nlp.entities.mentions import article_vocabulary
    from newsenrich.nlp.entities.occurrences import _may_occur, _occurrences
    from newsenrich.nlp.text import name_tokens, normalize

    written = "".join(text)
    tokens = name_tokens(" ".join(form))
    if not tokens:
        return
    if not _may_occur(tokens, article_vocabulary(written)):
        assert _occurrences(tokens, normalize(written), True) == []
        assert _occurrences(tokens, normalize(written), False) == []


def test_words_that_prove_nothing_do_not_rule_a_name_out():
    from newsenrich.nlp.entities.mentions import article_vocabulary
    from newsenrich.nlp.entities.occurrences import _may_occur, _occurrences
    from newsenrich.nlp.text import name_tokens, normalize

    for name, text in [
        ("Ali O'Neil", "said Ali O'Neil today"),  # an apostrophe: two runs of word characters
        ("سيد عبدالمهدي", "قال سيد عبد المهدي"),  # written as two words
        ("Ali x_y", "Ali x_y"),
    ]:
        tokens = name_tokens(name)
        assert _occurrences(tokens, normalize(text), tokens[0].isascii() is False)
        assert _may_occur(tokens, article_vocabulary(text)), name
    assert not _may_occur(name_tokens("وزارة الصحة"), article_vocabulary("قالت وزارة الداخلية"))
