"""Entity clustering and propagation on mentions made by hand (no model needed)."""

from newsenrich.nlp.entities import Mention, build_entities, cluster, segments_of
from newsenrich.nlp.lexicon import load


def m(body: str, text: str, label: str, nth: int = 0, field: str = "body") -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return Mention(field, start, start + len(text), text, label)


def test_short_name_joins_the_full_name():
    body = "التقى كريم عادل بالوزراء. وقال عادل إن الاجتماع كان مثمرا."
    ents = cluster([m(body, "كريم عادل", "PER"), m(body, "عادل", "PER", 1)])
    assert len(ents) == 1
    assert ents[0].name == "كريم عادل"


def test_english_surname_joins_full_name_case_insensitively():
    body = "Pieter de Vries arrived. Later De Vries spoke."
    ents = cluster([m(body, "Pieter de Vries", "PER"), m(body, "De Vries", "PER")])
    assert len(ents) == 1


def test_different_people_stay_apart():
    body = "Anna Berg met Tom Okafor."
    ents = cluster([m(body, "Anna Berg", "PER"), m(body, "Tom Okafor", "PER")])
    assert len(ents) == 2


def test_label_is_the_majority():
    body = "Acme grew. Acme hired. Acme sold."
    ents = cluster([m(body, "Acme", "ORG", 0), m(body, "Acme", "ORG", 1), m(body, "Acme", "PER", 2)])
    assert len(ents) == 1 and ents[0].label == "ORG"


def test_missed_occurrences_are_propagated_with_proclitics():
    body = "وصل سعيد ناصر إلى المدينة. ثم التقى الوفد وناصر في القاعة."
    [e] = build_entities([m(body, "سعيد ناصر", "PER")], None, body)
    assert [x.text for x in e.mentions] == ["سعيد ناصر", "ناصر"]
    for x in e.mentions:
        assert body[x.start : x.end] == x.text


def test_propagation_ignores_diacritics_and_hamza_for_matching_only():
    body = "زار أحمد سليم المعرض. وقال احمد سليم إنه سعيد."
    [e] = build_entities([m(body, "أحمد سليم", "PER")], None, body)
    assert [x.text for x in e.mentions] == ["أحمد سليم", "احمد سليم"]


def test_partly_tagged_name_in_guillemets_is_widened():
    body = "قال «كريم عادل» إن الخطة جاهزة."
    [e] = build_entities([m(body, "كريم", "PER")], None, body)
    assert e.name == "كريم عادل"


def test_title_mentions_say_so():
    title = "كريم عادل يفوز"
    body = "فاز كريم عادل بالجائزة."
    [e] = build_entities([Mention("title", 0, 9, "كريم عادل", "PER")], title, body)
    assert {x.field for x in e.mentions} == {"title", "body"}
    for x in e.mentions:
        src = title if x.field == "title" else body
        assert src[x.start : x.end] == x.text


def test_segments_keep_offsets():
    body = "سطر أول.\n\nسطر ثان."
    segs = segments_of("عنوان", body)
    assert [s.field for s in segs] == ["title", "body", "body"]
    for s in segs[1:]:
        assert body[s.start : s.start + len(s.text)] == s.text


def test_place_at_the_end_of_a_quoted_phrase_is_not_widened():
    body = "اتهم الحلف «بعدم حماية عمان» أمس."
    [e] = build_entities([m(body, "عمان", "LOC")], None, body)
    assert e.name == "عمان"


def test_roles_are_cut_from_person_mentions():
    body = "Prime Minister Marco Rossi spoke. Rossi left."
    roles = frozenset({"prime", "minister"})
    [e] = build_entities([m(body, "Prime Minister Marco Rossi", "PER")], None, body, roles)
    assert e.name == "Marco Rossi"
    assert [x.text for x in e.mentions] == ["Marco Rossi", "Rossi"]


def test_leading_definite_word_is_cut_so_the_name_clusters():
    body = "قال الرئيس الأميركي ماهر ناجي إن ماهر ناجي سيزور البلاد."
    ents = build_entities([m(body, "الأميركي ماهر", "PER"), m(body, "ماهر ناجي", "PER", 1)], None, body)
    assert len(ents) == 1 and ents[0].name == "ماهر ناجي"


def test_role_after_an_acronym_is_cut_too():
    body = "ECB President Christine Lagarde spoke."
    roles = frozenset({"president"})
    [e] = build_entities([m(body, "ECB President Christine Lagarde", "PER")], None, body, roles)
    assert e.name == "Christine Lagarde"


def test_lam_lam_spelling_joins_the_definite_name():
    body = "أعلنت الأمم المتحدة خطة. وقال متحدث باسم للأمم المتحدة إنها جاهزة."
    body = body.replace("باسم للأمم", "للأمم")
    ents = cluster([m(body, "للأمم المتحدة", "ORG"), m(body, "الأمم المتحدة", "ORG")])
    assert len(ents) == 1 and ents[0].name == "الأمم المتحدة"


# --- split referents, cleaning and gazetteer evidence (sentences written for these tests) ---


def test_spelling_variants_of_one_name_are_one_entity():
    body = "قال عبد الرزاق منصور إن الخطة جاهزة. وأضاف عبدالرزاق منصور أن التنفيذ يبدأ غدا."
    ents = build_entities(
        [m(body, "عبد الرزاق منصور", "PER"), m(body, "عبدالرزاق منصور", "PER")], None, body, lang="ar"
    )
    assert len(ents) == 1
    body = "Mohamed Farah spoke first. Later Mohammed Farah took questions."
    ents = build_entities(
        [m(body, "Mohamed Farah", "PER"), m(body, "Mohammed Farah", "PER")], None, body, lang="en"
    )
    assert len(ents) == 1


def test_different_people_with_similar_names_stay_apart():
    body = "Dana Smith met Dean Smith."
    ents = build_entities([m(body, "Dana Smith", "PER"), m(body, "Dean Smith", "PER")], None, body, lang="en")
    assert len(ents) == 2


def test_an_acronym_in_brackets_and_by_initials_joins_its_expansion():
    body = (
        "The International Monetary Fund (IMF) met. Later the IMF said rates would fall. "
        "The Marsa Port Authority agreed, MPA staff said."
    )
    ents = build_entities(
        [
            m(body, "International Monetary Fund", "ORG"),
            m(body, "IMF", "MISC"),
            m(body, "IMF", "ORG", 1),
            m(body, "Marsa Port Authority", "ORG"),
            m(body, "MPA", "ORG"),
        ],
        None,
        body,
        lang="en",
    )
    names = {e.name: e for e in ents}
    assert set(names) == {"International Monetary Fund", "Marsa Port Authority"}
    assert names["International Monetary Fund"].label == "ORG"
    assert len(names["International Monetary Fund"].mentions) == 3


def test_a_country_stays_apart_from_the_organisation_named_after_it():
    body = "The National Bank of Malta raised rates. Malta's economy is growing."
    ents = build_entities(
        [m(body, "National Bank of Malta", "ORG"), m(body, "Malta's", "LOC")], None, body, lang="en"
    )
    assert sorted(e.name for e in ents) == ["Malta", "National Bank of Malta"]


def test_possessives_and_a_cue_the_span_ran_into_are_trimmed():
    body = "Vella's plan was approved."
    [e] = build_entities([m(body, "Vella's", "PER")], None, body, lang="en")
    assert e.name == "Vella"
    body = "وختم سمير حداد قائلا إن الخطة جاهزة."
    [e] = build_entities([m(body, "سمير حداد قائلا", "PER")], None, body, lang="ar")
    assert e.name == "سمير حداد"


def test_a_surname_joins_its_person_whatever_the_tagger_labelled_one_of_them():
    body = "Coach Dana Whitfield smiled. Whitfield said it was over."
    ents = build_entities(
        [m(body, "Dana Whitfield", "LOC"), m(body, "Whitfield", "PER", 1)], None, body, lang="en"
    )
    [e] = ents
    assert e.label == "PER"


def test_names_listed_with_wa_are_separate_people():
    body = "وسجل زيدان وحسن وعلي أهداف المباراة. وقال حسن إن الفوز مستحق، وأضاف علي أن زيدان كان الأفضل."
    ents = build_entities([m(body, "زيدان وحسن وعلي", "PER")], None, body, lang="ar")
    assert sorted(e.name for e in ents) == sorted(["زيدان", "حسن", "علي"])


def test_calendar_words_roles_and_cue_words_are_not_entities():
    body = "Told on Monday in May, the Health Minister said the Board would meet."
    mentions = [
        m(body, "Told", "PER"),
        m(body, "Monday", "LOC"),
        m(body, "May", "PER"),
        m(body, "Health Minister", "PER"),
        m(body, "Board", "ORG"),
    ]
    assert build_entities(mentions, None, body, lang="en") == []
    body = "وسيعقد الاجتماع في أيار/مايو المقبل."
    assert build_entities([m(body, "أيار/مايو", "LOC")], None, body, lang="ar") == []


def test_a_known_place_the_tagger_missed_is_added_and_a_place_tagged_as_a_person_is_a_place():
    body = "وصل الوفد إلى عمّان صباحا، ثم توجه إلى الرياض."
    ents = build_entities([m(body, "الرياض", "PER")], None, body, lang="ar")
    assert {(e.name, e.label) for e in ents} == {("عمّان", "LOC"), ("الرياض", "LOC")}


def test_a_place_inside_a_longer_name_is_not_a_place_of_its_own():
    body = "The University of Nevada and Jordan Smith's team met in Manchester."
    ents = build_entities(
        [m(body, "University of Nevada", "ORG"), m(body, "Jordan Smith's", "PER")], None, body, lang="en"
    )
    assert {(e.name, e.label) for e in ents} == {
        ("University of Nevada", "ORG"),
        ("Jordan Smith", "PER"),
        ("Manchester", "LOC"),
    }


def test_news_agencies_are_organisations():
    body = "وقالت رويترز إن المحادثات انتهت."
    [e] = build_entities([m(body, "رويترز", "PER")], None, body, lang="ar")
    assert e.label == "ORG"


def test_names_of_one_news_agency_are_one_entity():
    body = "وقال مصدر لوكالة فرانس برس إن الاجتماع انتهى، بحسب ما نقلت أ ف ب."
    ents = build_entities([m(body, "فرانس برس", "ORG"), m(body, "أ ف ب", "PER")], None, body, lang="ar")
    [e] = ents
    assert e.label == "ORG" and len(e.mentions) == 2


def test_the_first_word_of_an_organisation_is_that_organisation_unless_it_is_a_place():
    body = (
        "Voltaris Energy will build a plant. Voltaris said so. "
        "Abu Dhabi National Oil Company agreed in Abu Dhabi."
    )
    ents = build_entities(
        [
            m(body, "Voltaris Energy", "ORG"),
            m(body, "Voltaris", "PER", 1),
            m(body, "Abu Dhabi National Oil Company", "ORG"),
            m(body, "Abu Dhabi", "LOC", 1),
        ],
        None,
        body,
        lang="en",
    )
    assert {(e.name, e.label) for e in ents} == {
        ("Voltaris Energy", "ORG"),
        ("Abu Dhabi National Oil Company", "ORG"),
        ("Abu Dhabi", "LOC"),
    }


def test_a_countrys_adjective_names_the_same_organisation_as_the_country():
    body = "فاز منتخب مصر أمس. وقال مدرب المنتخب المصري إن الحكومة المغربية رحبت."
    ents = build_entities(
        [m(body, "منتخب مصر", "ORG"), m(body, "المنتخب المصري", "ORG"), m(body, "الحكومة المغربية", "ORG")],
        None,
        body,
        lang="ar",
    )
    teams = [e for e in ents if "منتخب" in e.name]
    assert len(teams) == 1 and len(teams[0].mentions) == 2
    assert any(e.name == "الحكومة المغربية" for e in ents), "another country's government stays apart"


def test_the_central_bank_is_the_one_bank_named_for_a_country_and_only_then():
    body = "رفع بنك المغرب سعر الفائدة، وقال البنك المركزي إن التضخم تراجع."
    ents = build_entities(
        [m(body, "بنك المغرب", "ORG"), m(body, "البنك المركزي", "ORG")], None, body, lang="ar"
    )
    assert len(ents) == 1 and len(ents[0].mentions) == 2
    two = "قارن بنك المغرب بالبنك المركزي الأوروبي، وقال البنك المركزي إن الفارق كبير."
    ents = build_entities(
        [
            m(two, "بنك المغرب", "ORG"),
            m(two, "البنك المركزي الأوروبي", "ORG"),
            m(two, "البنك المركزي", "ORG", 1),
        ],
        None,
        two,
        lang="ar",
    )
    assert len(ents) >= 2 and not any(
        {"بنك المغرب", "البنك المركزي الأوروبي"} <= {x.text for x in e.mentions} for e in ents
    ), "two countries' banks stay apart"


def test_a_known_place_stays_apart_from_a_longer_name_it_stands_in():
    body = "افتتحت في دبي محطة في مدينة دبي الأكاديمية، وقالت بلدية دبي إن مدينة دبي تتوسع."
    ents = build_entities(
        [
            m(body, "دبي", "LOC"),
            m(body, "مدينة دبي الأكاديمية", "LOC"),
            m(body, "مدينة دبي", "LOC", 1),
        ],
        None,
        body,
        lang="ar",
    )
    by_name = {e.name: {x.text for x in e.mentions} for e in ents}
    assert "مدينة دبي الأكاديمية" in by_name and "دبي" not in by_name["مدينة دبي الأكاديمية"]
    assert any({"دبي", "مدينة دبي"} <= texts for texts in by_name.values()), "the city of Dubai is Dubai"
    en = "The driver was taken to Sunderland Royal Hospital. Sunderland has one lifeboat."
    ents = build_entities(
        [m(en, "Sunderland Royal Hospital", "LOC"), m(en, "Sunderland", "LOC", 1)], None, en, lang="en"
    )
    assert len(ents) == 2


def test_arabic_institutions_are_found_by_their_head_noun_and_complement():
    from newsenrich.nlp.entities import arabic_org_mentions

    body = (
        "قالت وزارة العمل الاثنين إن صندوق النقد الدولي وافق، وإن المندوبية السامية للتخطيط "
        "والهيئة العامة للإحصاء تعاونتا. وقالت الهيئة للصحافيين إن الوزارة ستعلن."
    )
    found = [m.text for m in arabic_org_mentions({"body": body}, [], frozenset({"الاثنين"}))]
    assert found == [
        "وزارة العمل",
        "صندوق النقد الدولي",
        "المندوبية السامية للتخطيط",
        "الهيئة العامة للإحصاء",
    ]


def test_an_arabic_institution_name_replaces_the_taggers_pieces_of_it_but_not_two_names():
    from newsenrich.nlp.entities import arabic_org_mentions

    body = (
        "وقالت مديرية الأمن العام إن وزارة الطاقة والموارد المائية ووزارة الثروة الزراعية والسمكية "
        "وموارد المياه والهيئة الملكية للجبيل وينبع ستعمل مع برنامج الأغذية العالمي التابع للأمم المتحدة "
        "ووزارة المالية وبعض البنوك."
    )
    tagged = [
        m(body, "مديرية الأمن", "ORG"),
        m(body, "وزارة الطاقة", "ORG"),
        m(body, "للجبيل", "LOC"),
        m(body, "برنامج الأغذية العالمي", "ORG"),
        m(body, "للأمم المتحدة", "ORG"),
    ]
    places = {"ينبع", "الجبيل"}
    kept = arabic_org_mentions({"body": body}, tagged, frozenset(), places.__contains__)
    out = [x.text for x in sorted(kept, key=lambda x: x.start)]
    assert out == [
        "مديرية الأمن العام",  # the tagger stopped inside the name
        "وزارة الطاقة والموارد المائية",
        "وزارة الثروة الزراعية والسمكية وموارد المياه",  # a coordinated construct
        "الهيئة الملكية للجبيل وينبع",  # a coordinated place, and the place inside is no mention
        "برنامج الأغذية العالمي",  # `التابع` starts a description: two names, as the tagger saw
        "للأمم المتحدة",
        "وزارة المالية",  # no list of complements open: `وبعض البنوك` is not part of the name
    ]


def test_a_known_place_tagged_as_an_organisation_is_the_place_unless_a_longer_name_says_otherwise():
    body = "BUCHAREST - Banks in Bucharest cut rates, and FC Barcelona fans said Barcelona would win."
    ents = build_entities(
        [
            m(body, "BUCHAREST", "ORG"),
            m(body, "Bucharest", "ORG"),
            m(body, "FC Barcelona", "ORG"),
            m(body, "Barcelona", "ORG", 1),
        ],
        None,
        body,
        lang="en",
    )
    labels = {e.name: e.label for e in ents}
    assert labels["BUCHAREST"] == "LOC" or labels.get("Bucharest") == "LOC"
    assert labels["FC Barcelona"] == "ORG"


def test_a_names_kind_word_settles_its_label():
    body = "Northumbria Police said the man was taken from Smith Creek to Kelowna General Hospital."
    ents = build_entities(
        [
            m(body, "Northumbria Police", "PER"),
            m(body, "Smith Creek", "PER"),
            m(body, "Kelowna General Hospital", "ORG"),
        ],
        None,
        body,
        lang="en",
    )
    assert {e.name: e.label for e in ents} == {
        "Northumbria Police": "ORG",
        "Smith Creek": "LOC",
        "Kelowna General Hospital": "LOC",
    }
    ar = "نقل المصاب إلى مستشفى الرشيد في المدينة."
    [e] = build_entities([m(ar, "مستشفى الرشيد", "PER")], None, ar, lang="ar")
    assert e.label == "LOC"


def test_outlets_named_in_marks_after_their_kind_or_as_the_addressee_are_organisations():
    from newsenrich.nlp.entities import build_entities

    body = (
        "صيدا - «الوطن»\n\n"
        "قال الصياد في تصريح خاص لـ«الوطن» إن الموسم سيئ، بحسب ما أوردته صحيفة «الصباح».\n\n"
        "ويحب الناس الوطن، ويستيقظون في الصباح باكرا."
    )
    ents = build_entities([], None, body, frozenset(), "ar")
    by_name = {e.name: e for e in ents}
    assert by_name["الوطن"].label == "ORG" and by_name["الصباح"].label == "ORG"
    # only the occurrences in marks: the common words الوطن and الصباح elsewhere are no outlet
    assert len(by_name["الوطن"].mentions) == 2 and len(by_name["الصباح"].mentions) == 1


def test_the_outlet_of_a_dateline_or_byline_is_an_organisation_not_its_place_or_reporter():
    from newsenrich.nlp.entities import build_entities

    def outlets(body):
        return sorted(e.name for e in build_entities([], None, body, frozenset(), "ar") if e.label == "ORG")

    assert outlets("الرياض (رويترز) - قالت الهيئة إن الأسعار ارتفعت.") == ["رويترز"]
    assert outlets("مسقط في 9 مارس /العُمانية/ أعلنت الوزارة الخطة.") == ["العُمانية"]
    assert outlets("الدار البيضاء - اليوم 24\n\nقال السائقون إن الأسعار ارتفعت.") == ["اليوم 24"]
    assert outlets("الوكيل الإخباري - قالت الدائرة إن الأمطار غزيرة.") == ["الوكيل الإخباري"]
    assert outlets("فاس – يعيش المزارعون موسما صعبا.") == []
    assert outlets("كتب - عمرو فكري\n\nقال المدرب إن الفريق جاهز.") == []


def test_invisible_characters_stay_out_of_names_and_analysis_but_offsets_hold():
    from newsenrich.nlp.text import normalize

    body = "وقال \u200fالرئيس \u200fالمصري إن المفاوضات مستمرة."
    assert normalize("\u200fالرئيس\u200d") == normalize("الرئيس")
    span = "\u200fالرئيس \u200fالمصري"
    start = body.index(span)
    ents = build_entities([Mention("body", start, start + len(span), span, "PER")], None, body, lang="ar")
    for e in ents:
        assert "\u200f" not in e.name
        for mm in e.mentions:
            assert body[mm.start : mm.end] == mm.text


def test_a_district_named_by_its_kind_is_the_place_and_a_proclitic_before_an_institution_is_cut():
    from newsenrich.nlp import gazetteer

    body = (
        "زار الوزير مديريتا المنصورة أمس. وفي المنصورة انقطع التيار، وفق ما قال لوكالة أنباء الإمارات (وام)."
    )
    ents = build_entities(
        [
            m(body, "مديريتا المنصورة", "LOC"),
            m(body, "المنصورة", "LOC", 1),
            m(body, "لوكالة أنباء الإمارات", "ORG"),
            m(body, "وام", "ORG"),
        ],
        None,
        body,
        lang="ar",
    )
    is_place = gazetteer.load("ar").is_place
    assert is_place("المنصورة"), "the case this test is about: a known place inside a longer name"
    names = {e.name: e for e in ents}
    places = [e for e in ents if "المنصورة" in e.name]
    assert len(places) == 1 and len(places[0].mentions) == 2
    agency = [e for e in ents if any(x.text == "وام" for x in e.mentions)]
    assert len(agency) == 1 and not agency[0].name.startswith("ل"), names


def test_dialect_speech_the_tagger_took_for_a_name_is_no_entity():
    body = 'وقال سائق الأجرة: "حنا اللي خدمنا هاد البلاد، والبحر ما بيخون". وأضاف سامي الحداد إن الأمر انتهى.'
    ents = build_entities(
        [
            m(body, "حنا اللي خدمنا", "PER"),
            m(body, "البحر ما بيخون", "LOC"),
            m(body, "سامي الحداد", "PER"),
        ],
        None,
        body,
        lang="ar",
    )
    assert [e.name for e in ents] == ["سامي الحداد"]


def test_a_currency_is_no_organisation_or_place():
    body = "ويرتبط الريال السعودي بالدولار الأمريكي، وقال البنك المركزي السعودي إن التضخم تراجع."
    ents = build_entities(
        [
            m(body, "الريال السعودي", "ORG"),
            m(body, "الدولار الأمريكي", "LOC"),
            m(body, "البنك المركزي السعودي", "ORG"),
        ],
        None,
        body,
        lang="ar",
    )
    assert [e.name for e in ents] == ["البنك المركزي السعودي"]
    en = "The euro fell against the US dollar, the European Central Bank said."
    ents = build_entities(
        [m(en, "US dollar", "ORG"), m(en, "European Central Bank", "ORG")], None, en, lang="en"
    )
    assert [e.name for e in ents] == ["European Central Bank"]


def test_a_facility_named_after_a_name_is_a_place_of_its_own_and_a_generic_one_is_nothing():
    from newsenrich.nlp import gazetteer
    from newsenrich.nlp.entities import arabic_facility_mentions

    body = (
        "رست السفن في ميناء صيدا القديم العام الماضي، وتجمع الناس في ساحة الأمم المتحدة قرب محطة "
        "مياه المنارة، ثم توقفوا عند محطة الوقود في شارع صار بحرا. وصيدا مدينة ساحلية."
    )
    tagged = [
        m(body, "صيدا", "LOC"),
        m(body, "الأمم المتحدة", "ORG"),
        m(body, "المنارة", "LOC"),
        m(body, "صيدا", "LOC", 1),
    ]
    gaz = gazetteer.load("ar")
    kept = arabic_facility_mentions({"body": body}, tagged, gaz.calendar, gaz.is_place)
    assert sorted((x.text, x.label) for x in kept) == sorted(
        [
            ("ميناء صيدا القديم", "LOC"),  # `العام الماضي` is when, not part of the name
            ("ساحة الأمم المتحدة", "LOC"),
            ("محطة مياه المنارة", "LOC"),
            ("صيدا", "LOC"),  # the city, where it is named on its own
        ]
    )


def test_a_bracket_after_a_one_word_name_is_no_acronym_of_it():
    body = (
        "NAIROBI (Reuters) - The UK Health Security Agency (UKHSA) said Nairobi was calm. UKHSA will report."
    )
    ents = build_entities(
        [
            m(body, "NAIROBI", "LOC"),
            m(body, "Reuters", "ORG"),
            m(body, "UK Health Security Agency", "ORG"),
            m(body, "UKHSA", "ORG"),
            m(body, "Nairobi", "LOC"),
        ],
        None,
        body,
        lang="en",
    )
    groups = sorted(sorted({x.text for x in e.mentions}) for e in ents)
    assert ["Reuters"] in groups, "the dateline's agency is an entity of its own"
    assert ["UK Health Security Agency", "UKHSA"] in groups


def test_english_names_the_tagger_ran_together_come_apart():
    body = (
        "Cholera spread in Nairobi's Mathare, officials said. Police identified the man as "
        "Cody Ray Mercer of Mesa. Mercer was booked into jail. The Bank of America branch closed."
    )
    ents = build_entities(
        [
            m(body, "Nairobi's Mathare", "LOC"),
            m(body, "Cody Ray Mercer of Mesa", "ORG"),
            m(body, "Mercer", "PER", 1),
            m(body, "Bank of America", "ORG"),
        ],
        None,
        body,
        lang="en",
    )
    by_name = {e.name: (e.label, len(e.mentions)) for e in ents}
    assert by_name["Nairobi"] == ("LOC", 1) and by_name["Mathare"][0] == "LOC"
    assert by_name["Cody Ray Mercer"] == ("PER", 2), by_name
    assert "Bank of America" in by_name, "no person's name before `of`: one organisation"


def test_an_institution_named_after_a_place_takes_the_words_between():
    from newsenrich.nlp import gazetteer
    from newsenrich.nlp.entities import arabic_facility_mentions

    body = (
        "قالت مديرية زراعة البصرة إن أمانة عمّان الكبرى وهيئة مياه ولاية الخرطوم اتفقت، "
        "وإن هيئة في بغداد رفضت."
    )
    tagged = [
        m(body, "البصرة", "LOC"),
        m(body, "عمّان", "LOC"),
        m(body, "الخرطوم", "LOC"),
        m(body, "بغداد", "LOC"),
    ]
    gaz = gazetteer.load("ar")
    kept = arabic_facility_mentions({"body": body}, tagged, gaz.calendar, gaz.is_place, frozenset({"في"}))
    assert sorted((x.text, x.label) for x in kept) == sorted(
        [
            ("مديرية زراعة البصرة", "ORG"),
            ("أمانة عمّان الكبرى", "ORG"),
            ("هيئة مياه ولاية الخرطوم", "ORG"),
            ("بغداد", "LOC"),  # `هيئة في بغداد`: an authority somewhere, not its name
        ]
    )
    ents = build_entities(
        [
            m(body, "هيئة مياه ولاية الخرطوم", "ORG"),
            m(body + " هيئة مياه الخرطوم", "هيئة مياه الخرطوم", "ORG"),
        ],
        None,
        body + " هيئة مياه الخرطوم",
        lang="ar",
    )
    assert len([e for e in ents if "مياه" in e.name]) == 1, "the kind of place says nothing"


def test_an_organisations_last_word_in_marks_widens_to_the_outlets_whole_name():
    from newsenrich.nlp.entities import widen_to_guillemets

    body = "وقال المتحدث لـ«السومرية نيوز» إن القرار نهائي، محذرا «بعدم حماية واشنطن»."
    out = widen_to_guillemets([m(body, "نيوز", "ORG"), m(body, "واشنطن", "LOC")], {"body": body})
    assert sorted(x.text for x in out) == ["السومرية نيوز", "واشنطن"]


def test_places_listed_after_a_dual_or_plural_administrative_noun_are_places():
    from newsenrich.nlp.entities import arabic_places_of_kind

    stops = frozenset({"في", "قبل"})
    cases = {
        "زار محافظتي درعا والسويداء، قبل أن يعود.": ["درعا", "السويداء"],
        "في منطقتي السيدة زينب والمطرية حالة من الركود": ["السيدة زينب", "المطرية"],
        "محافظات جنوب الشرقية والوسطى وظفار ثلاثة أشهر": ["جنوب الشرقية", "الوسطى", "ظفار"],
        "مديريتا المنصورة والشيخ عثمان في العاصمة": ["المنصورة", "الشيخ عثمان"],
        "محافظات الثلاث بدأت العمل": [],  # no coordination: no list of names
    }
    for body, want in cases.items():
        assert [x.text for x in arabic_places_of_kind({"body": body}, [], stops)] == want, body


def test_a_facility_the_tagger_found_takes_its_adjective_and_is_not_the_town():
    body = "زار المحافظ أسيوط، ثم دفع بأطباء من مستشفى أسيوط العام اعتبارا من الليلة إلى أسيوط."
    ents = build_entities(
        [m(body, "أسيوط", "LOC"), m(body, "مستشفى أسيوط", "LOC"), m(body, "أسيوط", "LOC", 2)],
        None,
        body,
        lang="ar",
    )
    by_name = {e.name: len(e.mentions) for e in ents}
    assert by_name == {"أسيوط": 2, "مستشفى أسيوط العام": 1}, by_name


def test_a_wire_that_closes_the_dateline_is_an_organisation():
    body = "بريدة 12 صفر 1447 هـ الموافق 06 أغسطس 2025 م واس\nأعلنت الأمانة بدء موسم التمور."
    ents = build_entities([], None, body, lang="ar")
    assert [e.name for e in ents if e.label == "ORG"] == ["واس"]
    body = "قالت وكالة أنباء الإمارات (وام)."
    assert [x.text for e in build_entities([], None, body, lang="ar") for x in e.mentions] != ["(وام)."]


def test_an_organisation_ending_in_an_adjective_runs_on_through_what_it_is_for():
    body = (
        "قال رئيس الجمعية الأردنية لمربي النحل إن الموسم جيد، وأضافت الجمعية الأردنية أن الأسعار ثابتة.\n"
        "وأعلن الصندوق الوطني للتشغيل والتدريب برنامجا جديدا."
    )
    tagged = [
        m(body, "الجمعية الأردنية", "ORG"),
        m(body, "الجمعية الأردنية", "ORG", 1),
        m(body, "الصندوق الوطني", "ORG"),
    ]
    names = {e.name: len(e.mentions) for e in build_entities(tagged, None, body, lang="ar")}
    assert names == {"الجمعية الأردنية لمربي النحل": 2, "الصندوق الوطني للتشغيل والتدريب": 1}


def test_after_a_cue_or_before_a_time_phrase_the_la_phrase_is_not_the_name():
    body = "وقال الاتحاد الكويتي للصحافيين إن الوضع مستقر. وفاز الاتحاد المغربي للمرة الأولى باللقب."
    tagged = [m(body, "الاتحاد الكويتي", "ORG"), m(body, "الاتحاد المغربي", "ORG")]
    names = sorted(e.name for e in build_entities(tagged, None, body, lang="ar"))
    assert names == ["الاتحاد الكويتي", "الاتحاد المغربي"]


def test_a_name_inside_an_others_complement_does_not_undo_it():
    body = "وقالت الهيئة الوطنية لدعم الاتحاد العربي للشباب إن البرنامج بدأ."
    tagged = [m(body, "الهيئة الوطنية", "ORG"), m(body, "الاتحاد العربي", "ORG")]
    names = [e.name for e in build_entities(tagged, None, body, lang="ar")]
    assert names == ["الهيئة الوطنية لدعم الاتحاد العربي"]


def test_a_surname_beginning_with_waw_joins_the_name_when_a_title_stands_before_it():
    """`ورسمي` after `الوزير` can only be a name, so after `عبدالقادر حسن` its و is the name's
    own letter, not `and`; the word after the title is the same person."""
    body = (
        "ووقع الاتفاقية عن الجانب الصومالي السيد عبدالقادر حسن ورسمي وزير الطاقة. "
        "من جانبه، قال الوزير ورسمي إن المنحة ستغير حياة الرعاة."
    )
    ents = build_entities([m(body, "عبدالقادر حسن", "PER")], None, body, load("ar").role_words, lang="ar")
    (person,) = [e for e in ents if e.label == "PER"]
    assert person.name == "عبدالقادر حسن ورسمي"
    assert [x.text for x in person.mentions] == ["عبدالقادر حسن ورسمي", "ورسمي"]


def test_a_waw_word_after_a_name_stays_out_when_the_article_writes_it_without_the_waw():
    """`الوزير وأحمد`: the minister and Ahmad; the article names أحمد alone too, so the و is `and`."""
    body = (
        "استقبل الوزير سامي الحداد وأحمد العلي الوفد. وقال الوزير وأحمد إنهما متفقان. "
        "وأضاف أحمد أن الاتفاق قريب."
    )
    ents = build_entities([m(body, "سامي الحداد", "PER")], None, body, load("ar").role_words, lang="ar")
    assert "سامي الحداد" in {e.name for e in ents}


def test_a_waw_word_after_a_name_stays_out_without_a_title_before_it_anywhere():
    body = "قال سامي الحداد وزملاؤه إن العمل بدأ، وأكد سامي الحداد وزملاؤه ذلك."
    ents = build_entities([m(body, "سامي الحداد", "PER")], None, body, load("ar").role_words, lang="ar")
    assert {e.name for e in ents} == {"سامي الحداد"}


def test_a_town_the_gazetteer_knows_is_a_place_only_where_the_text_puts_a_place():
    """GeoNames towns are evidence only after a preposition of place, a kind of place or in
    a list of places; elsewhere the same letters are ordinary words."""
    cases = {
        "وصلت القافلة إلى زليتن مساء أمس.": ["زليتن"],  # after a preposition of place
        "وأعلنت بلدية المدينة أن سكان بلدة جرجا عادوا.": ["جرجا"],  # after a kind of place
        "وتوزعت المساعدات على سكان غريان.": [],  # no place position: the tagger's to find
        "وامتدت الأمطار إلى عمّان وطهطا أمس.": ["عمّان", "طهطا"],  # listed after a place
        "وقال إن التربة خصب ومياهها وفيرة.": [],  # the same letters as a word
        "ويمتاز موقف الرجل بنبل واضح.": [],  # a joined بـ is `with` as often as `in`
    }
    for body, want in cases.items():
        got = [e.name for e in build_entities([], None, body, lang="ar") if e.label == "LOC"]
        assert got == want, (body, got)


def test_a_name_given_after_known_as_is_the_same_referent():
    body = 'يعمل سامر حداد، المعروف بين جيرانه بـ"أبو خليل"، في الميناء. وقال أبو خليل إن الموسم سيئ.'
    tagged = [m(body, "سامر حداد", "PER"), m(body, "أبو خليل", "PER"), m(body, "أبو خليل", "PER", 1)]
    [e] = build_entities(tagged, None, body, lang="ar")
    assert len(e.mentions) == 3
    body = 'Rita Osei, better known as "Auntie Ro", sells fish. Auntie Ro said the catch was poor.'
    tagged = [m(body, "Rita Osei", "PER"), m(body, "Auntie Ro", "PER"), m(body, "Auntie Ro", "PER", 1)]
    [e] = build_entities(tagged, None, body, lang="en")
    assert e.name == "Rita Osei" and len(e.mentions) == 3
    # a body `ممثلة في` an office speaks through it: the office is named as the body
    body = "أعلنت وزارة النقل، ممثلة في الإدارة العامة للإعلام، أن الطريق أغلق."
    tagged = [m(body, "وزارة النقل", "ORG"), m(body, "الإدارة العامة للإعلام", "ORG")]
    [e] = build_entities(tagged, None, body, lang="ar")
    assert e.label == "ORG" and len(e.mentions) == 2
    # `known for` gives no name; two people stay two
    body = "Rita Osei, known for her stall, met Kofi Mensah."
    ents = build_entities([m(body, "Rita Osei", "PER"), m(body, "Kofi Mensah", "PER")], None, body, lang="en")
    assert len(ents) == 2


def test_an_institution_named_for_its_purpose_is_one_organisation():
    """A head noun, a definite name and a لـ complement (`شركة الواحة لتوزيع الكهرباء`), or a
    definite head, its adjective and such a complement; a common noun with a purpose is none."""
    from newsenrich.nlp.entities import arabic_org_mentions

    cases = {
        "وقال المتحدث باسم شركة الواحة لتوزيع الكهرباء إن العطل أصلح.": ["شركة الواحة لتوزيع الكهرباء"],
        "وأصدر مركز الخليج لدراسات المياه الجوفية تقريرا.": ["مركز الخليج لدراسات المياه الجوفية"],
        "بحسب أرقام الهيئة الوطنية للإحصاء أمس.": ["الهيئة الوطنية للإحصاء"],
        "وقرر مجلس الإدارة للشركة توزيع الأرباح.": [],  # the board: a common noun
        "وتسعى شركة النفط لتسويق منتجاتها الجديدة.": [],  # a purpose, not a name
    }
    for body, want in cases.items():
        got = [x.text for x in arabic_org_mentions({"body": body}, [], frozenset())]
        assert got == want, (body, got)


def test_a_place_listed_after_another_loses_the_conjunction_the_tagger_kept():
    body = "وستبدأ الأعمال في مدينتي بيدوا وبرطيري العام المقبل، ثم في كسمايو ووانلاوين."
    tagged = [m(body, "بيدوا", "LOC"), m(body, "وبرطيري", "LOC"), m(body, "كسمايو", "LOC")]
    tagged.append(m(body, "ووانلاوين", "LOC"))
    names = [e.name for e in build_entities(tagged, None, body, lang="ar")]
    assert names == ["بيدوا", "برطيري", "كسمايو", "وانلاوين"], names
    # a person's name after another keeps its و (`ورسمي` is a surname, see above)
    body = "ووقع الاتفاق حسن ورسمي."
    assert [e.name for e in build_entities([m(body, "حسن ورسمي", "PER")], None, body, lang="ar")] == [
        "حسن ورسمي"
    ]


def test_a_government_and_a_prosecution_are_institutions():
    body = "وأعلنت حكومة ولاية سنار ونيابة الأموال العامة فتح تحقيق، بحسب حكومة الوحدة الوطنية."
    tagged = [m(body, "سنار", "LOC")]
    names = {(e.name, e.label) for e in build_entities(tagged, None, body, lang="ar")}
    assert names == {
        ("حكومة ولاية سنار", "ORG"),  # a head, a word, then a name the article has
        ("نيابة الأموال العامة", "ORG"),
        ("حكومة الوحدة الوطنية", "ORG"),
    }, names


def test_what_published_a_report_in_marks_is_an_outlet():
    body = "وحسب ما أوردته «صوت الساحل»، فإن البلدية أغلقت السوق. وكان صوت الساحل مرتفعا."
    by_name = {e.name: e for e in build_entities([], None, body, frozenset(), "ar")}
    assert by_name["صوت الساحل"].label == "ORG" and len(by_name["صوت الساحل"].mentions) == 1
    # a relative clause of another verb names no outlet
    body = "وحسب ما قرأته «صوت الساحل»، فإن البلدية أغلقت السوق."
    assert "صوت الساحل" not in {e.name for e in build_entities([], None, body, frozenset(), "ar")}


def test_a_natural_feature_and_its_definite_name_is_a_place():
    from newsenrich.nlp.entities import arabic_natural_places

    body = "وتراجع منسوب نهر الزرقاء، فيما غطت الثلوج قمة جبل الشيخ، وأُغلق خليج العقبة أمام الصيد."
    tagged = [m(body, "الزرقاء", "LOC")]
    got = [x.text for x in arabic_natural_places({"body": body}, tagged, frozenset({"في"}))]
    assert got == ["نهر الزرقاء", "جبل الشيخ", "خليج العقبة"], got


def test_a_facility_named_after_a_town_the_gazetteer_knows_is_a_place():
    body = "وتعطلت محطة تحويل جرجا مساء أمس، فانقطع التيار."
    assert [(e.name, e.label) for e in build_entities([], None, body, lang="ar")] == [
        ("محطة تحويل جرجا", "LOC")
    ]


def test_a_one_word_name_only_inside_quoted_speech_is_dialect_not_a_name():
    body = (
        "وقال البائع سامي فرج: «الحال مش كويس، والزباين بطلوا ييجوا من يوم ما الأسعار زادت في عمّان».\n\n"
        "وأضاف فرج أن الموسم تأخر."
    )
    tagged = [
        m(body, "سامي فرج", "PER"),
        m(body, "كويس", "PER"),  # `good`, in Levantine speech
        m(body, "عمّان", "LOC"),  # a known place: kept inside the quote
        m(body, "فرج", "PER", 1),
    ]
    names = {e.name for e in build_entities(tagged, None, body, lang="ar")}
    assert names == {"سامي فرج", "عمّان"}, names
    # a short name in marks is no speech: an outlet or a title stays
    body = "ونقلت «الوطن» الخبر."
    assert [e.name for e in build_entities([m(body, "الوطن", "ORG")], None, body, lang="ar")] == ["الوطن"]


def test_a_listed_place_replaces_the_taggers_person_inside_it_and_keeps_its_label():
    title = "احتجاجات في الحصن والشيخ عثمان"
    body = "وخرج سكان مديريتي الحصن والشيخ عثمان إلى الشوارع، وقطعوا طريق برطيري العام، أمس."
    tagged = [m(title, "عثمان", "PER", field="title"), m(body, "عثمان", "PER"), m(body, "برطيري", "LOC")]
    ents = {e.name: e.label for e in build_entities(tagged, title, body, lang="ar")}
    # `الشيخ عثمان` is one place, whatever the tagger's `عثمان` in the title voted
    assert ents.get("الشيخ عثمان") == "LOC" and "عثمان" not in ents, ents


def test_a_reporters_byline_names_a_person_whole():
    body = "كتب - سامح عبد الرؤوف\n\nأعلن النادي إيقاف اللاعب."
    ents = build_entities([m(body, "سامح", "PER")], None, body, lang="ar")
    assert [(e.name, e.label) for e in ents] == [("سامح عبد الرؤوف", "PER")]
