"""The GeoNames towns the Arabic gazetteer takes: only those the corpora do not use as words."""

from newsenrich.training.towns import arabic_speaking_countries, names_not_words, town_names


def test_a_town_the_corpora_use_more_as_a_word_or_another_name_is_left_out():
    names = {("زليتن",), ("خصب",), ("رقه",), ("موحا",), ("سيدي", "بوزيد"), ("جرجا",)}
    sentences = [
        [("في", "O"), ("زليتن", "B-LOC")],
        [("زليتن", "O")],  # once as a word, once as a place: kept
        [("ارض", "O"), ("خصب", "O")],
        [("ورقة", "O"), ("بيضاء", "O")],  # و + رقة: the service would read a town here
        [("قال", "O"), ("موحا", "B-PER")],  # a man's name, never a place
        [("في", "O"), ("سيدي", "B-LOC"), ("بوزيد", "I-LOC")],
        [("سيدي", "O"), ("بوزيد", "O")],
    ]
    assert names_not_words(names, sentences) == {("زليتن",), ("سيدي", "بوزيد"), ("جرجا",)}


def test_the_towns_are_those_of_arabic_speaking_countries_in_arabic_letters():
    countries = arabic_speaking_countries()
    assert {"EG", "LY", "MA", "SA", "SD", "SY", "YE"} <= countries
    assert not {"IR", "PK", "TR", "FR"} & countries
    towns = town_names()
    assert ("منفلوط",) in towns and ("زليتن",) in towns
    assert all(all("\u0621" <= ch <= "\u064a" for t in name for ch in t) for name in towns)
