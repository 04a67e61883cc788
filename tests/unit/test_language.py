from newsenrich.nlp.language import detect_language


def test_arabic_script_is_arabic():
    assert detect_language("قال الوزير إن الاجتماع انتهى") == "ar"


def test_latin_script_is_english():
    assert detect_language("The minister said the meeting was over.") == "en"


def test_majority_wins_in_mixed_text():
    assert detect_language("قال مدير شركة Acme إن الأرباح ارتفعت كثيرا هذا العام") == "ar"


def test_no_letters_means_unknown():
    assert detect_language("1234 — 56 %") is None
    assert detect_language("東京で会議が開かれた") is None


FA = "در تهران امروز جلسه‌ای برگزار شد و وزیر گفت که برنامه ادامه دارد. "
UR = "وزیر اعظم نے کہا کہ حکومت عوام کی خدمت جاری رکھے گی اور معیشت بہتر ہو رہی ہے۔ "
FR = "Le ministre a déclaré que le gouvernement poursuivra ses efforts pour l'économie. "


def test_other_languages_in_the_same_scripts_are_named_not_taken_for_arabic_or_english():
    assert detect_language(FA * 2) == "fa"
    assert detect_language(UR * 2) == "ur"
    assert detect_language(FR * 2) == "fr"
    # a short text keeps its script's language: too little for a verdict
    assert detect_language('Quote test\n\nBurton said, "I love cats!"') == "en"
    assert detect_language("عنوان\nنص قصير.") == "ar"


def test_an_unsupported_language_is_dead_lettered_with_its_name():
    import orjson
    import pytest

    from newsenrich.events.codec import Rejected, decode_raw_article

    value = orjson.dumps({"id": "f1", "body": FR * 2})
    with pytest.raises(Rejected) as exc:
        decode_raw_article(value, max_body_chars=1000, languages=frozenset({"ar", "en"}))
    assert exc.value.reason == "unsupported_language" and "'fr'" in exc.value.detail
