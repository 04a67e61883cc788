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
