"""Arabic is split into words and sentences by rule, not by stanza's tokenizer model."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsenrich.nlp.pipeline import _through, pretokenize


def test_words_punctuation_and_sentences():
    joined, _ = pretokenize("قال الوزير: «سنبدأ غداً». وأضاف أ.ف.ب إن 2.5 مليون\nسطر ثان؟ نعم")
    assert joined.split("\n") == [
        "قال الوزير : « سنبدأ غداً » .",
        "وأضاف أ.ف.ب إن 2.5 مليون",
        "سطر ثان ؟",
        "نعم",
    ]


@given(st.text(alphabet=list("قال ير.،:«»؟!\n 12ًAb-'"), max_size=60))
def test_every_character_maps_back_to_the_text(text):
    joined, index = pretokenize(text)
    assert len(index) == len(joined)
    for ch, i in zip(joined, index, strict=True):
        if not ch.isspace():
            assert text[i] == ch


def test_the_index_composes_with_the_folded_view():
    original = "قَالَ"  # harakat dropped by the folded view: its letters are at 0, 2 and 3
    folded, inner = "قال", [0, 2, 3]
    joined, index = _through(pretokenize(folded), inner)
    assert joined == "قال" and [original[i] for i in index] == ["ق", "ا", "ل"]
