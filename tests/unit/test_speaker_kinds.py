"""Speakers are people and organisations, never stray words: one test per kind of failure.

Each body is written for the test; the kinds are those of real Arabic and English news
(honorific and pronoun speakers, attached pronouns, places, time and place phrases,
kunyas, role phrases qualified by a nationality).
"""

from newsenrich.nlp.enrichment import Attributed
from newsenrich.nlp.lexicon import load
from newsenrich.nlp.quotes import extract_quotes
from newsenrich.nlp.values import Article

from .test_attribution import ent, run


def direct(body, ents, lang="ar"):
    return [q for q in run(body, ents, lang) if q.kind == "direct"]


def test_lexicon_reads_attached_pronouns_and_honorifics():
    lex = load("ar")
    assert lex.honorific("سموه") == ("سمو", "m")
    assert lex.honorific("ومعاليها") == ("معالي", "f")
    assert lex.honorific("سعادته")[1] == "m"
    for word in ("بيدها", "بيده", "إمكانياتنا", "وجهها", "بسيارتها", "زوجته"):
        assert lex.suffix_of(word) is not None, word
    # names that merely end like a suffix
    for name in ("فاطمه", "عبدالله", "مها", "ديانا", "بثينة", "كريستينا", "محمد", "طه"):
        assert lex.suffix_of(name) is None, name
    assert lex.pronoun("وهي") == "f" and lex.pronoun("هو") == "m" and lex.pronoun("سامي") is None


def test_honorific_pronoun_goes_to_the_dignitary_it_was_given_to():
    body = (
        "افتتح صاحب السمو الشيخ راشد بن حمد العامري حاكم الإمارة المعرض السنوي.\n\n"
        "وقال سموه: «نريد أن يرى الجميع ما صنعته أيدي الشباب»."
    )
    ents = [ent("E1", "راشد بن حمد العامري", "PER", body)]
    [q] = direct(body, ents)
    assert q.speaker.entity_id == "E1" and q.speaker.name != "سموه"


def test_honorific_pronoun_skips_a_holder_of_another_honorific_and_a_woman():
    body = (
        "استقبل صاحب السمو الشيخ راشد بن حمد العامري معالي الوزيرة هالة يوسف النعيمي "
        "وسعادة المدير سالم الكتبي.\n\n"
        "وقال سعادة المدير سالم الكتبي: «الخطة جاهزة».\n\n"
        "وأكدت معاليها: «سنبدأ التنفيذ الشهر المقبل».\n\n"
        "وقال سموه: «هذا يوم مهم للإمارة»."
    )
    ents = [
        ent("E1", "راشد بن حمد العامري", "PER", body),
        ent("E2", "هالة يوسف النعيمي", "PER", body),
        ent("E3", "سالم الكتبي", "PER", body),
    ]
    speakers = [q.speaker.entity_id for q in direct(body, ents)]
    assert speakers == ["E3", "E2", "E1"]


def test_each_sadatuhu_goes_to_the_subject_of_its_own_paragraph():
    body = (
        "التقى سعادة السفير خالد المري سعادة الوزير عمر يوسف في الدوحة.\n\n"
        "وأكد سعادة السفير خالد المري أن الاتفاق سيوقع قريبا. وقال سعادته: «التمويل جاهز».\n\n"
        "من جهته، رحب سعادة الوزير عمر يوسف بالخطوة. وقال سعادته: «سنبدأ بالقرى»."
    )
    ents = [ent("E1", "خالد المري", "PER", body), ent("E2", "عمر يوسف", "PER", body)]
    assert [q.speaker.entity_id for q in direct(body, ents)] == ["E1", "E2"]


def test_an_unresolvable_honorific_is_no_speaker_rather_than_a_name():
    body = "وقال سموه: «نريد أن يرى الجميع ما صنعته أيدي الشباب»."
    [q] = direct(body, [])
    assert q.speaker is None


def test_a_circumstantial_clause_is_not_part_of_the_name():
    body = "وفي ركن الحرفيين، تقول سلمى وهي ترتب علب الحلوى: «البيع ماشي والحمد لله»."
    [q] = direct(body, [])
    assert q.speaker.name == "سلمى"


def test_an_attached_pronoun_is_never_the_speaker():
    body = (
        "يقول الصياد مراد حداد: «البحر تغير كثيرا».\n\nويضيف وهو يشير بيده إلى الميناء: «نصف المراكب واقفة»."
    )
    ents = [ent("E1", "مراد حداد", "PER", body)]
    quotes = direct(body, ents)
    assert [q.speaker.entity_id for q in quotes] == ["E1", "E1"]


def test_a_kunya_is_a_whole_name():
    body = "يقول أبو علي: «صرلي عمر بالبحر»."
    [q] = direct(body, [])
    assert q.speaker.name == "أبو علي"


def test_a_place_after_the_cue_is_where_it_was_said_not_who_said_it():
    body = (
        "التقى وزير الطاقة الأردني معتز الدباس نظيره السوري فراس السقا.\n\n"
        "وقال الوزير الأردني خلال مؤتمر صحفي عقده اليوم في عمّان: «هذه خطوة مهمة».\n\n"
        "من جانبه، قال الوزير السوري: «شعبنا عانى طويلا»."
    )
    ents = [
        ent("E1", "معتز الدباس", "PER", body),
        ent("E2", "فراس السقا", "PER", body),
        ent("L1", "عمّان", "LOC", body),
    ]
    speakers = [(q.speaker.entity_id if q.speaker else None) for q in direct(body, ents)]
    assert "L1" not in speakers
    assert speakers == ["E1", "E2"]


def test_a_surname_speaker_becomes_the_person_named_in_full_earlier():
    from newsenrich.nlp.speakers import promote_speakers

    body = "أعلن وزير الطاقة معتز الدباس بدء التزويد اليوم.\n\nوأضاف الدباس أن الخط جاهز للتشغيل منذ أسبوع."
    added = promote_speakers(run(body, []), [], None, body, "ar", extract_quotes(body, load("ar")))
    assert [e.name for e in added] == ["معتز الدباس"]
    assert [m.text for m in added[0].mentions] == ["معتز الدباس", "الدباس"]


def test_an_office_speaks_for_its_organisation():
    body = (
        "أحال نادي الفجر الرياضي لاعبه الأول إلى التحقيق.\n\n"
        "وقال المركز الإعلامي في بيان عبر الصفحة الرسمية: «النادي يحترم جميع لاعبيه»."
    )
    ents = [ent("O1", "نادي الفجر الرياضي", "ORG", body)]
    [q] = direct(body, ents)
    assert q.speaker.entity_id == "O1"


def test_whom_it_was_said_to_is_not_the_speaker():
    body = (
        "تفقد محافظ المدينة اللواء كمال رشدي المستشفى.\n\n"
        "وكان عم حسن يجلس قرب الباب، وقال للمحافظ: «ننتظر منذ الفجر».\n\n"
        "فرد المحافظ: «سنحل المشكلة اليوم»."
    )
    ents = [ent("E1", "كمال رشدي", "PER", body), ent("E2", "حسن", "PER", body)]
    speakers = [(q.speaker.entity_id if q.speaker else None) for q in direct(body, ents)]
    assert speakers == ["E2", "E1"]


def test_an_apposition_name_spelled_like_a_preposition_is_the_name():
    body = "من جهته، أكد مدير دار الندى للنشر، علي الراشد، أن الإقبال فاق التوقعات."
    ents = [ent("O1", "دار الندى للنشر", "ORG", body), ent("E1", "علي الراشد", "PER", body)]
    [q] = [x for x in run(body, ents) if x.kind == "indirect"]
    assert q.speaker.entity_id == "E1"


def test_a_dignitary_named_after_bihudur_does_not_take_the_subjects_speech():
    body = (
        "افتتح صاحب السمو الشيخ راشد بن حمد العامري المعرض، بحضور سمو الشيخ سيف بن راشد العامري.\n\n"
        "وقال سموه: «هذا يوم مهم»."
    )
    ents = [ent("E1", "راشد بن حمد العامري", "PER", body), ent("E2", "سيف بن راشد العامري", "PER", body)]
    [q] = direct(body, ents)
    assert q.speaker.entity_id == "E1"


def test_a_topic_named_once_speaks_through_fa():
    body = "أما رنا، وهي معلمة علقت في الزحام ساعة كاملة، فقالت: «الطريق صار نهرا»."
    [q] = direct(body, [])
    assert q.speaker.name == "رنا"


def test_the_subject_after_a_verb_agreeing_with_the_cue():
    body = "في السوق القديم، تقف أم سعيد خلف بسطتها منذ الفجر، تمسح العرق عن جبينها وتقول: «الأسعار نار»."
    [q] = direct(body, [])
    assert q.speaker.name == "أم سعيد"


def test_no_subject_from_a_verb_of_the_other_gender_or_a_definite_object():
    body = "في السوق القديم، يقف الباعة خلف بسطاتهم منذ الفجر، وتقول: «الأسعار نار»."
    [q] = direct(body, [])
    assert q.speaker is None


def test_the_speaker_phrase_ends_where_a_circumstantial_clause_begins():
    body = "في مزرعته، يقول الحبيب وهو يفرغ الزيتون في صندوق خشبي: «الموسم جيد»."
    ents = [ent("O1", "صندوق خشبي", "ORG", body)]
    [q] = direct(body, ents)
    assert q.speaker.name == "الحبيب"


def test_a_thousands_separator_does_not_split_the_subject():
    body = 'Jane Porter, whose father lost almost £40,000, said outside court: "He trusted them."'
    ents = [ent("E1", "Jane Porter", "PER", body)]
    [q] = direct(body, ents, "en")
    assert q.speaker.entity_id == "E1"


def test_a_demonym_is_a_description_of_the_one_speaking():
    body = (
        'Rovers manager Jan de Vries praised his players. "We kept going," the Dutchman said. '
        '"Days like this are why you do the job."'
    )
    ents = [ent("E1", "Jan de Vries", "PER", body)]
    speakers = [q.speaker.entity_id for q in direct(body, ents, "en")]
    assert speakers == ["E1", "E1"]


def test_a_subject_behind_a_role_noun_takes_the_pronoun():
    body = (
        '"It was a great goal," Mark Reid told Sky Sports.\n\n'
        'City boss Kieran Dale was left fuming. "Four minutes were shown," he said.'
    )
    ents = [ent("E1", "Mark Reid", "PER", body), ent("E2", "Kieran Dale", "PER", body)]
    assert [q.speaker.entity_id for q in direct(body, ents, "en")] == ["E1", "E2"]


def test_a_role_word_inside_an_organisations_name_is_the_organisation():
    body = (
        "Health Secretary Ruth Ongeri toured the camp.\n\n"
        'In a statement, the World Health Organization said it was "ready to help".'
    )
    ents = [ent("E1", "Ruth Ongeri", "PER", body), ent("O1", "World Health Organization", "ORG", body)]
    [q] = [x for x in run(body, ents, "en") if x.kind == "mixed"]
    assert q.speaker.entity_id == "O1"


def test_a_source_phrase_is_not_a_name_the_organisation_beyond_it_is():
    body = "وسجلت البلاد 275 حالة وفاة العام الماضي، وفقا لإحصائية الإدارة المركزية للإحصاء."
    [q] = [x for x in run(body, []) if x.kind == "indirect"]
    assert q.speaker.name == "الإدارة المركزية للإحصاء"
    body = "ومن المتوقع أن يبلغ التضخم 2 بالمئة، وفقا لتوقعات صندوق النقد الدولي."
    ents = [ent("O1", "صندوق النقد الدولي", "ORG", body)]
    [q] = [x for x in run(body, ents) if x.kind == "indirect"]
    assert q.speaker.entity_id == "O1"


def test_what_no_name_is_never_a_speaker():
    from newsenrich.nlp.speakers.names import speaker_name

    for word in ("سموه", "بيدها", "لتوقعات", "لما", "حسب ما", "الأحد", "وأضاف", "56", "عمّان"):
        assert not speaker_name(word, "ar"), word
    for name in ("الحبيب", "أم محمد", "أبو علي", "علي الخفاجي", "ريما خوري"):
        assert speaker_name(name, "ar"), name
    for word in ("fraud", "Monday", "56"):
        assert not speaker_name(word, "en"), word


def test_an_outlet_given_the_statement_is_not_the_speaker():
    body = "وقالت الكاتبة سلمى العتيبي لـ«الشرق الأوسط»: «لم أتوقع هذا الإقبال»."
    ents = [ent("O1", "الشرق الأوسط", "ORG", body)]
    [q] = direct(body, ents)
    assert q.speaker.name == "سلمى العتيبي"


def test_an_outlet_that_relayed_a_report_is_not_its_speaker():
    body = "وكانت المديرية قد أعلنت أن الموسم تأخر، حسب ما نقلته صحيفة «الصباح» الرسمية."
    ents = [ent("O1", "الصباح", "ORG", body)]
    for q in run(body, ents):
        assert (q.speaker.entity_id if q.speaker else None) != "O1"


def test_a_role_is_held_by_the_person_in_its_own_sentence():
    body = (
        "أجرى اللواء كمال رشدي، محافظ المدينة، زيارة للمستشفى بحضور الدكتورة منى سالم.\n\n"
        "واكد المحافظ ان الملف الصحي أولوية."
    )
    ents = [ent("E1", "كمال رشدي", "PER", body), ent("E2", "منى سالم", "PER", body)]
    [q] = [x for x in run(body, ents) if x.kind == "indirect"]
    assert q.speaker.entity_id == "E1"


def test_a_qualified_role_skips_the_holder_qualified_otherwise():
    body = (
        "أعلن وزير الطاقة معتز الدباس ونظيره السوري وزير الكهرباء فراس السقا بدء التزويد.\n\n"
        "وقال الوزير الأردني: «هذه خطوة مهمة».\n\n"
        "من جانبه، قال الوزير السوري: «شعبنا عانى طويلا»."
    )
    ents = [ent("E1", "معتز الدباس", "PER", body), ent("E2", "فراس السقا", "PER", body)]
    assert [q.speaker.entity_id for q in direct(body, ents)] == ["E1", "E2"]


def test_a_surname_after_a_first_name_starting_like_a_proclitic():
    from newsenrich.nlp.speakers.names import full_name_of_surname

    assert full_name_of_surname("السقا", "قال وزير الكهرباء فراس السقا إن", "ar") == "فراس السقا"


def assembled(body: str, lang: str) -> Attributed:
    """What the join makes of `body` with no tagger entities: attribution alone."""
    from newsenrich.nlp.enrichment import attribute_quotes

    return attribute_quotes(Article("a", lang, None, body), [], extract_quotes(body, load(lang)))


def test_a_determiner_opening_the_sentence_is_no_speaker_and_no_entity():
    body = (
        "Researchers at the institute found fewer krill this year. "
        "Several other groups have reported similar trends in the Southern Ocean."
    )
    out = assembled(body, "en")
    assert all((q.speaker.name if q.speaker else None) != "Several" for q in out.quotes)
    assert all(e.name != "Several" for e in out.entities)


def test_a_named_speaker_is_promoted_even_when_normalising_makes_the_name_look_like_a_word():
    # ألفة normalises to الفة (looks definite); علي normalises like the preposition على
    body = (
        "وقالت المديرة العامة للديوان، ألفة الكافي، في تصريح للإذاعة: «الموسم سيكون جيدا».\n\n"
        "وأكد مدير دار النشر، علي الخفاجي، أن الإقبال على الكتب كبير هذا العام."
    )
    out = assembled(body, "ar")
    people = {e.name for e in out.entities if e.label == "PER"}
    assert {"ألفة الكافي", "علي الخفاجي"} <= people
    assert all(q.speaker and q.speaker.entity_id for q in out.quotes)


def test_a_role_of_an_organisation_goes_to_the_person_holding_it():
    """`أوضحت وكيل وزارة الصحة`: the undersecretary speaks, the ministry is only whose role it
    is; the article named her in apposition (`سحر عبدالمنعم وكيل وزارة الصحة`)."""
    body = (
        "زار المحافظ المستشفى بحضور الدكتورة منى الحداد وكيل وزارة الصحة بالمحافظة.\n\n"
        "من جانبها، أوضحت وكيل وزارة الصحة أن المستشفى يستقبل 600 حالة يوميا.\n\n"
        "وأضافت: «وصل ثلاثة أطباء إضافيين»."
    )
    ents = [
        ent("E1", "منى الحداد", "PER", body),
        ent("O1", "وزارة الصحة بالمحافظة", "ORG", body, "وزارة الصحة"),
    ]
    quotes = run(body, ents)
    assert [q.speaker.entity_id for q in quotes] == ["E1", "E1"]


def test_a_role_of_an_organisation_nobody_holds_is_the_organisation():
    body = "وقال مدير هيئة الطرق إن الطريق سيفتح الأسبوع المقبل."
    ents = [ent("O1", "هيئة الطرق", "ORG", body)]
    [q] = run(body, ents)
    assert q.speaker.entity_id == "O1"


def test_a_definite_head_noun_refers_back_to_the_office_and_the_body_it_represents():
    """`وقالت الإدارة` names no one: its head noun points back at `الإدارة العامة للإعلام`, which
    the article gave as the ministry's representative (the entities name it as the ministry),
    so the ministry speaks; an office of the same head named later (inside the quote) is not
    meant."""
    body = (
        "أعلنت وزارة النقل، ممثلة في الإدارة العامة للإعلام، أن الطريق أغلق مساء أمس.\n\n"
        "وقالت الإدارة في بيان إن فرقا من الإدارة العامة للطرق باشرت الإصلاح.\n\n"
        "وأكدت هيئة الموانئ أن الملاحة مستمرة، وقالت الهيئة إن الأرصفة جاهزة."
    )
    ents = [
        ent("E1", "وزارة النقل", "ORG", body, "وزارة النقل", "الإدارة العامة للإعلام"),
        ent("E3", "الإدارة العامة للطرق", "ORG", body),
        ent("E4", "هيئة الموانئ", "ORG", body),
    ]
    said = {q.text[:12]: q.speaker.entity_id for q in run(body, ents) if q.kind == "indirect"}
    want = {"الطريق أغلق ": "E1", "فرقا من الإد": "E1", "الملاحة مستم": "E4", "الأرصفة جاهز": "E4"}
    assert said == want, said
    # Given no representative (`بالتعاون مع`: alongside), the office itself speaks.
    body = (
        "أعلنت وزارة النقل، بالتعاون مع الإدارة العامة للإعلام، أن الطريق أغلق مساء أمس.\n\n"
        "وقالت الإدارة في بيان إن فرقا من الإدارة العامة للطرق باشرت الإصلاح."
    )
    ents = [ent("E1", "وزارة النقل", "ORG", body), ent("E2", "الإدارة العامة للإعلام", "ORG", body)]
    ents.append(ent("E3", "الإدارة العامة للطرق", "ORG", body))
    said = {q.text[:12]: q.speaker.entity_id for q in run(body, ents) if q.kind == "indirect"}
    assert said == {"الطريق أغلق ": "E1", "فرقا من الإد": "E2"}, said


def test_a_clause_after_its_source_starts_after_the_sources_closing_mark():
    body = "وبحسب منظمة الأمم المتحدة للطفولة (يونيسف)، فإن أكثر من ألف طفل يعانون من سوء التغذية."
    ents = [ent("O1", "منظمة الأمم المتحدة للطفولة", "ORG", body)]
    [q] = run(body, ents)
    assert q.text.startswith("أكثر من ألف طفل") and q.speaker.entity_id == "O1"


def test_a_feminine_title_before_a_name_says_her_gender_from_the_start():
    """`سألته النائبة رنا …، أجاب:` — a masculine cue is not hers, though the text says `قالت`
    of her only later; adjectives in ة and a pronoun in ه say nothing."""
    body = (
        "قال الوزير سامي الحسن: «الموازنة متوازنة».\n\n"
        "وعندما سألته النائبة رنا الخطيب عن الأجور، أجاب: «الملف لدى وزارة العمل».\n\n"
        "وقالت الخطيب للصحافيين إن الكتل ستطالب بالتعديل."
    )
    ents = [
        ent("E1", "سامي الحسن", "PER", body),
        ent("E2", "رنا الخطيب", "PER", body, "رنا الخطيب", "الخطيب"),
    ]
    assert [q.speaker.entity_id for q in direct(body, ents)] == ["E1", "E1"]


def test_an_adjective_or_a_pronoun_in_front_of_a_name_gives_no_gender():
    from newsenrich.nlp.speakers.discourse import _feminine_title_before

    lex = load("ar")
    for lead, feminine in [
        ("سألته النائبة ", True),
        ("ووصفت الوزيرة ", True),
        ("استقبلت والسيدة ", True),
        ("قال رئيس الهيئة العامة ", False),
        ("رئيس الحكومة السابقة ", False),
        ("رئيس اللجنة التنفيذية ", False),
        ("التقى نظيره ", False),
        ("قالت النائبة\n", False),
    ]:
        body = lead + "محمد علي"
        assert _feminine_title_before(body, len(lead), lex) is feminine, lead
