"""Quote rules on sentences written for these tests (Arabic and English)."""

from newsenrich.nlp.lexicon import load
from newsenrich.nlp.quote_marks import quoted_spans
from newsenrich.nlp.quotes import extract_quotes

AR = load("ar")
EN = load("en")


def only(quotes, kind):
    return [q for q in quotes if q.kind == kind]


def test_offsets_index_the_body():
    body = "وقال سامي الخوري: «سنبدأ التنفيذ الشهر المقبل»."
    for q in extract_quotes(body, AR):
        assert body[q.start : q.end] == q.text


def test_colon_introduces_a_direct_quote_with_named_speaker():
    body = "وقال سامي الخوري للصحفيين: «سنبدأ التنفيذ الشهر المقبل»."
    [q] = only(extract_quotes(body, AR), "direct")
    assert q.text == "سنبدأ التنفيذ الشهر المقبل"
    assert q.cue == "وقال"
    assert q.evidence.kind == "explicit"
    assert q.evidence.name == "سامي الخوري"
    assert q.evidence.gender == "m"


def test_feminine_cue_without_name_is_elided():
    body = "وأضافت: «لن نتراجع عن هذا القرار مهما كانت الضغوط»."
    [q] = only(extract_quotes(body, AR), "direct")
    assert q.evidence.kind == "elided"
    assert q.evidence.gender == "f"


def test_guillemets_around_a_name_are_not_a_quote():
    body = "التقى «كريم عادل» وفدا من «منظمة الصحة» في العاصمة."
    assert only(extract_quotes(body, AR), "direct") == []
    assert only(extract_quotes(body, AR), "mixed") == []


def test_report_title_in_guillemets_is_not_a_quote():
    body = "حذرت الهيئة في تقريرها بعنوان «مستقبل الطاقة في المنطقة العربية» من ارتفاع الأسعار."
    assert [q for q in extract_quotes(body, AR) if q.kind != "indirect"] == []


def test_cue_after_the_quote():
    body = '"الأسعار ستبقى مرتفعة حتى نهاية العام"، قالت الخبيرة الاقتصادية ليلى منصور.'
    [q] = only(extract_quotes(body, AR), "direct")
    assert q.cue == "قالت"
    assert q.evidence.name == "ليلى منصور"


def test_headline_name_and_colon():
    body = "الخوري: «لا تراجع عن الإصلاحات»"
    [q] = only(extract_quotes(body, AR), "direct")
    assert q.cue is None
    assert q.evidence.name == "الخوري"


def test_quote_spanning_sentences_is_one_quote():
    body = "وقال الخوري: «الوضع صعب. لكننا سننجح. هل هناك بديل؟»"
    [q] = only(extract_quotes(body, AR), "direct")
    assert q.text == "الوضع صعب. لكننا سننجح. هل هناك بديل؟"


def test_fragment_inside_reported_speech_is_mixed():
    body = 'وأكدت الوزيرة أن الحكومة "لن تقبل بأي تأجيل جديد" في المفاوضات.'
    [q] = only(extract_quotes(body, AR), "mixed")
    assert q.text == "لن تقبل بأي تأجيل جديد"
    assert q.evidence.name == "الوزيرة" or q.evidence.kind == "explicit"


def test_indirect_with_complementizer():
    body = "وأوضح الخوري أن المشروع سيكتمل قبل نهاية العام."
    [q] = only(extract_quotes(body, AR), "indirect")
    assert q.text == "المشروع سيكتمل قبل نهاية العام"
    assert q.evidence.name == "الخوري"


def test_indirect_after_preposition_with_elided_subject():
    body = "وأشار إلى أن الاستثمارات ستتضاعف."
    [q] = only(extract_quotes(body, AR), "indirect")
    assert q.evidence.kind == "elided"


def test_participle_takes_the_subject_of_its_governing_verb():
    body = "وأكد الخوري أن الحوار مستمر مع الوزير سعيد ناصر، مضيفًا: «علينا أن نصل إلى اتفاق قبل الصيف»."
    [q] = only(extract_quotes(body, AR), "direct")
    assert q.evidence.kind == "participle"
    assert q.evidence.name == "الخوري"


def test_english_said_after_quote_with_name():
    body = '"We will rebuild the bridge within a year," said Tom Okafor, the mayor.'
    [q] = only(extract_quotes(body, EN), "direct")
    assert q.text == "We will rebuild the bridge within a year"
    assert q.evidence.name.startswith("Tom Okafor")


def test_english_name_before_cue_after_quote():
    body = '"Nobody expected this," Lindqvist said.'
    [q] = only(extract_quotes(body, EN), "direct")
    assert q.evidence.name == "Lindqvist"


def test_english_colon_quote_with_pronoun_speaker():
    body = 'She said: "The results speak for themselves."'
    [q] = only(extract_quotes(body, EN), "direct")
    assert q.evidence.kind == "elided"
    assert q.evidence.gender == "f"


def test_english_indirect_without_that():
    body = "The agency said it had closed three roads."
    [q] = only(extract_quotes(body, EN), "indirect")
    assert q.text == "it had closed three roads"


def test_english_indirect_with_that():
    body = "He told reporters that the talks would resume on Monday."
    [q] = only(extract_quotes(body, EN), "indirect")
    assert q.text == "the talks would resume on Monday"
    assert q.evidence.gender == "m"


def test_quote_spans_nest_and_pair():
    text = "«قال «فلان» شيئا» و“that”"
    spans = [(q.open_mark, q.close_mark, q.depth) for q in quoted_spans(text)]
    assert (0, 16, 0) in spans and (5, 10, 1) in spans
    assert len(spans) == 3


def test_name_closing_an_apposition_after_an_organisation():
    body = '"الطلب سيتراجع في الربع المقبل"، قال الخبير في مجموعة «نور كابيتال» سامر يوسف.'
    [q] = only(extract_quotes(body, AR), "direct")
    assert q.evidence.name == "سامر يوسف"


def test_role_with_appositive_name_after_comma():
    body = "وقالت مديرة التسويق في الشركة، هالة سعيد، خلال مؤتمر في عمان: «المبيعات ارتفعت»."
    [q] = only(extract_quotes(body, AR), "direct")
    assert q.evidence.name == "هالة سعيد"


def test_nisba_adjective_after_a_role_is_not_the_name():
    body = "وقالت الخبيرة الاقتصادية ريم فاضل: «التضخم سيتباطأ»."
    [q] = only(extract_quotes(body, AR), "direct")
    assert q.evidence.name == "ريم فاضل"


def test_one_word_in_guillemets_inside_reported_speech_is_a_name():
    body = "وأعلن الوزير أنه سيجمد تمويل منظمة «الإيسيسكو»، بسبب الخلاف."
    assert only(extract_quotes(body, AR), "mixed") == []


def test_source_after_a_quote_is_not_its_speaker():
    body = "واتهم الوزير المعارضة «بعرقلة الإصلاحات الكبرى»، حسبما أفادت وكالة الأنباء."
    assert only(extract_quotes(body, AR), "direct") == []


def test_english_according_to_is_not_a_cue_after_a_quote():
    body = 'The plan was called "a historic mistake", according to local media.'
    assert only(extract_quotes(body, EN), "direct") == []


def test_indirect_with_a_long_speaker_description():
    body = "وأشار المحلل المالي في «مجموعة الخليج للاستثمار» سامر يوسف إلى أن أسعار الفائدة ستنخفض."
    [q] = only(extract_quotes(body, AR), "indirect")
    assert q.text == "أسعار الفائدة ستنخفض"


def test_according_to_at_the_end_reports_the_clause():
    body = "Three bridges were closed overnight, according to the Harbour Authority."
    [q] = only(extract_quotes(body, EN), "indirect")
    assert q.text == "Three bridges were closed overnight"
    assert q.cue == "according to"
    assert q.evidence.name == "Harbour Authority"
    assert q.evidence.kind == "source"


def test_arabic_source_first_then_clause():
    body = "وبحسب وزارة الصحة، فإن عدد الإصابات تراجع خلال الأسبوع."
    [q] = only(extract_quotes(body, AR), "indirect")
    assert q.text == "عدد الإصابات تراجع خلال الأسبوع"
    assert q.evidence.name == "وزارة الصحة"


def test_arabic_clause_then_source():
    body = "ارتفعت أسعار الوقود في العاصمة، حسبما أفادت وكالة الأنباء الرسمية."
    [q] = only(extract_quotes(body, AR), "indirect")
    assert q.text == "ارتفعت أسعار الوقود في العاصمة"


def test_two_word_name_in_guillemets_does_not_hide_the_report():
    body = "وأضاف أن الشركة تعمل مع «البنك الدولي» على برنامج جديد للطاقة."
    quotes = extract_quotes(body, AR)
    assert only(quotes, "mixed") == []
    [q] = only(quotes, "indirect")
    assert q.text.startswith("الشركة تعمل")


def test_english_long_name_before_the_cue_after_a_quote():
    body = '"We are not there yet," Finance Minister Ana Ribeiro told a news conference.'
    [q] = only(extract_quotes(body, EN), "direct")
    assert q.cue == "told"
    assert "Ana Ribeiro" in q.evidence.name
    assert only(extract_quotes(body, EN), "indirect") == []


def test_english_fragment_in_a_report_without_that_is_mixed():
    body = 'She said the board would stay "fully independent" in the coming months.'
    [q] = only(extract_quotes(body, EN), "mixed")
    assert q.text == "fully independent"
    assert q.evidence.gender == "f"


def test_he_said_after_a_quote_is_an_elided_masculine_speaker():
    body = '"It was a difficult season," he said.'
    [q] = only(extract_quotes(body, EN), "direct")
    assert q.evidence.kind == "elided" and q.evidence.gender == "m"


def test_a_clause_after_said_is_the_report_and_a_clause_before_it_is_no_speaker():
    body = (
        "Brig. Rashid Al Mazrouei, director of the force's Anti-Fraud Centre, said the gang had operated "
        "from two rented villas.\n\nThe plan is ready and the money is there, said John Smith, the mayor."
    )
    found = [(q.text, q.evidence.name) for q in extract_quotes(body, load("en"))]
    assert found == [
        ("the gang had operated from two rented villas", "Brig Rashid Al Mazrouei"),
        ("The plan is ready and the money is there", "John Smith"),
    ]
