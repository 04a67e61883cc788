"""Speaker attribution from quote evidence and entities."""

from newsenrich.nlp.lexicon import load
from newsenrich.nlp.quotes import extract_quotes
from newsenrich.nlp.speakers import attribute
from newsenrich.nlp.values import Entity, EntityMention


def ent(eid, name, label, body, *forms):
    mentions = []
    for f in forms or (name,):
        i = -1
        while (i := body.find(f, i + 1)) >= 0:
            mentions.append(EntityMention(i, i + len(f), f, "body"))
    return Entity(eid, name, label, mentions)


def run(body, entities, lang="ar"):
    return attribute(extract_quotes(body, load(lang)), entities, body, lang)


def test_person_in_the_region_beats_the_organisation():
    body = '"سترتفع الأسعار قريبا"، قال المحلل في شركة «نور كابيتال» سامر يوسف.'
    ents = [ent("E1", "نور كابيتال", "ORG", body), ent("E2", "سامر يوسف", "PER", body)]
    [q] = [x for x in run(body, ents) if x.kind == "direct"]
    assert q.speaker.entity_id == "E2"


def test_elided_speaker_is_the_previous_speaker_not_the_nearest_person():
    body = (
        "وقالت الوزيرة ريم سالم: «الخطة جاهزة للتنفيذ الفوري».\n"
        "وجرى لاحقا لقاء مع السفير مراد فهمي في مكتبها.\n"
        "وأضافت: «لن نقبل بأي تأخير في التنفيذ»."
    )
    ents = [ent("E1", "ريم سالم", "PER", body), ent("E2", "مراد فهمي", "PER", body)]
    quotes = [x for x in run(body, ents) if x.kind == "direct"]
    assert [q.speaker.entity_id for q in quotes] == ["E1", "E1"]
    assert quotes[1].speaker.resolution == "discourse"


def test_english_pronoun_resolves_to_the_sentence_subject():
    body = (
        '"Water levels are falling," said Anna Lindqvist.\n'
        "Governor Paul Mendes toured the shelters on Friday. "
        "He told reporters that more funds would follow."
    )
    ents = [ent("E1", "Anna Lindqvist", "PER", body), ent("E2", "Paul Mendes", "PER", body)]
    [ind] = [x for x in run(body, ents, "en") if x.kind == "indirect"]
    assert ind.speaker.entity_id == "E2"


def test_speaker_name_without_entity_is_kept_as_text():
    body = "وقال الخوري: «سنواصل العمل»."
    [q] = [x for x in run(body, []) if x.kind == "direct"]
    assert q.speaker.name == "الخوري"
    assert q.speaker.entity_id is None


def test_short_name_guess_links_to_full_entity():
    body = "استقبل الرئيس كمال داود الوفد. وقال داود: «نرحب بكم»."
    ents = [ent("E1", "كمال داود", "PER", body, "كمال داود")]
    [q] = [x for x in run(body, ents) if x.kind == "direct"]
    assert q.speaker.entity_id == "E1"


def test_name_guess_picks_the_person_even_if_the_tagger_mislabelled_the_firm():
    body = '"سترتفع الأسعار قريبا"، قال المحلل في شركة «نور كابيتال» سامر يوسف.'
    ents = [ent("E1", "نور كابيتال", "PER", body), ent("E2", "سامر يوسف", "PER", body)]
    [q] = [x for x in run(body, ents) if x.kind == "direct"]
    assert q.speaker.entity_id == "E2"


def test_speaker_missed_by_the_tagger_becomes_an_entity():
    from newsenrich.nlp.speakers import promote_speakers

    body = "وقال المدير التنفيذي، «فراس نعيم»، في بيان: «الأرباح قياسية».\nوأشار نعيم إلى أن الخطة مستمرة."
    quotes = run(body, [])
    added = promote_speakers(quotes, [], None, body)
    [e] = added
    assert e.name == "فراس نعيم" and e.label == "PER"
    assert [m.text for m in e.mentions] == ["فراس نعيم", "نعيم"]
    requoted = attribute(extract_quotes(body, load("ar")), added, body, "ar")
    assert all(q.speaker.entity_id == "E1" for q in requoted)


def test_role_nouns_and_definite_common_nouns_are_not_promoted():
    from newsenrich.nlp.speakers import promote_speakers

    body = "وقالت الوزارة في بيان: «الوضع مستقر»."
    assert promote_speakers(run(body, []), [], None, body) == []


def test_a_name_in_quote_marks_is_dropped_when_it_is_an_entity():
    body = 'وأكد الوزير أن الحلف "منظمة التحالف" مستمر.'
    ents = [ent("E1", "منظمة التحالف", "ORG", body)]
    assert [x for x in run(body, ents) if x.kind != "indirect"] == []


def test_a_source_named_by_according_to_is_not_promoted():
    from newsenrich.nlp.speakers import promote_speakers

    body = "ارتفعت أسعار الوقود في العاصمة، حسبما أفادت وسائل إعلام محلية."
    quotes = run(body, [])
    [q] = quotes
    assert q.speaker.resolution == "source"
    assert promote_speakers(quotes, [], None, body) == []


def test_a_named_speaker_the_tagger_called_misc_or_an_unknown_place_is_a_person():
    from newsenrich.nlp.speakers import speakers_are_people

    body = "قالت ريما خوري: «تحسنت الكهرباء». وقالت الوزارة: «نعمل على ذلك». وقالت مصر: «نرحب»."
    ents = [
        ent("E1", "ريما خوري", "MISC", body),
        ent("E2", "الوزارة", "ORG", body),
        ent("E3", "مصر", "LOC", body),
    ]
    candidates = extract_quotes(body, load("ar"))
    quotes = attribute(candidates, ents, body, "ar")
    speakers_are_people(quotes, ents, "ar", candidates)
    assert [e.label for e in ents] == ["PER", "ORG", "LOC"], "organisations and countries speak too"
