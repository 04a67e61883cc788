"""The name search in running text finds exactly what its regex definition finds."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsenrich.nlp.entities.occurrences import _occurrences
from newsenrich.nlp.text import JOINED_HEADS, PROCLITICS


def _regex(tokens: tuple[str, ...], arabic: bool) -> re.Pattern[str]:
    """The definition: words apart by spaces, a joined head (عبدالمهدي) written apart or not,
    an Arabic proclitic or an opening « allowed before, a word boundary on both sides."""

    def word(t: str) -> str:
        for head in JOINED_HEADS:
            if t.startswith(head) and len(t) > len(head):
                return re.escape(head) + r"\s*" + re.escape(t[len(head) :])
        return re.escape(t)

    body = r"\s+".join(word(t) for t in tokens)
    if arabic:
        prefix = "(?:" + "|".join(PROCLITICS) + ")?"
        return re.compile(rf"(?<![\w]){prefix}(?:«)?({body})(?![\w])")
    return re.compile(rf"(?<![\w])({body})(?![\w])")


def _by_regex(form: tuple[str, ...], text: str, arabic: bool) -> list[tuple[int, int]]:
    return [(m.start(1), m.end(1)) for m in _regex(form, arabic).finditer(text)]


ALPHABET = [*"وفبلكعدالمهيرن «»,.'-_1", "  ", "\n"]
words = st.sampled_from(["عبد", "المهدي", "عبدالمهدي", "ابو", "بنك", "وب", "ل", "ال", "a", "ab", "b'c"])
texts = st.lists(st.sampled_from([*ALPHABET, "عبد", "المهدي", "بنك", "ab", "و«", "x«"]), max_size=40).map(
    "".join
)


@settings(max_examples=3000, deadline=None)
@given(form=st.lists(words, min_size=1, max_size=3).map(tuple), text=texts, arabic=st.booleans())
def test_the_search_finds_what_the_regex_finds(form, text, arabic):
    assert _occurrences(form, text, arabic) == _by_regex(form, text, arabic)


def test_examples():
    text = "قال عبد المهدي ووبنك «بنك» وعبدالمهدي"
    assert _occurrences(("عبدالمهدي",), text, True) == _by_regex(("عبدالمهدي",), text, True)
    assert len(_occurrences(("عبدالمهدي",), text, True)) == 2
    assert _occurrences(("obama",), "obama's plan, obamas", False) == [(0, 5)]
    text = "و«بنك» x«بنك» وبنك xبنك"
    assert _occurrences(("بنك",), text, True) == _by_regex(("بنك",), text, True)
    assert len(_occurrences(("بنك",), text, True)) == 3  # not after a word character (xبنك)
