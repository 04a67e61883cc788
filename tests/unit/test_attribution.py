"""Speaker attribution from quote evidence and entities."""

from newsenrich.nlp.attribution import attribute
from newsenrich.nlp.lexicon import load
from newsenrich.nlp.quotes import extract_quotes


def ent(eid, name, label, body, *forms):
    mentions = []
    for f in forms or (name,):
        i = -1
        while (i := body.find(f, i + 1)) >= 0:
            mentions.append({"start": i, "end": i + len(f), "text": f, "field": "body"})
    return {"id": eid, "name": name, "label": label, "mentions": mentions}


def run(body, entities, lang="ar"):
    return attribute(extract_quotes(body, load(lang)), entities, body, lang)


def test_person_in_the_region_beats_the_organisation():
    body = '"سترتفع الأسعار قريبا"، قال المحلل في شركة «نور كابيتال» سامر يوسف.'
    ents = [ent("E1", "نور كابيتال", "ORG", body), ent("E2", "سامر يوسف", "PER", body)]
    [q] = [x for x in run(body, ents) if x["kind"] == "direct"]
    assert q["speaker"]["entity_id"] == "E2"


def test_elided_speaker_is_the_previous_speaker_not_the_nearest_person():
    body = (
        "وقالت الوزيرة ريم سالم: «الخطة جاهزة للتنفيذ الفوري».\n"
        "وجرى لاحقا لقاء مع السفير مراد فهمي في مكتبها.\n"
        "وأضافت: «لن نقبل بأي تأخير في التنفيذ»."
    )
    ents = [ent("E1", "ريم سالم", "PER", body), ent("E2", "مراد فهمي", "PER", body)]
    quotes = [x for x in run(body, ents) if x["kind"] == "direct"]
    assert [q["speaker"]["entity_id"] for q in quotes] == ["E1", "E1"]
    assert quotes[1]["speaker"]["resolution"] == "discourse"


def test_english_pronoun_resolves_to_the_sentence_subject():
    body = (
        '"Water levels are falling," said Anna Lindqvist.\n'
        "Governor Paul Mendes toured the shelters on Friday. "
        "He told reporters that more funds would follow."
    )
    ents = [ent("E1", "Anna Lindqvist", "PER", body), ent("E2", "Paul Mendes", "PER", body)]
    [ind] = [x for x in run(body, ents, "en") if x["kind"] == "indirect"]
    assert ind["speaker"]["entity_id"] == "E2"


def test_speaker_name_without_entity_is_kept_as_text():
    body = "وقال الخوري: «سنواصل العمل»."
    [q] = [x for x in run(body, []) if x["kind"] == "direct"]
    assert q["speaker"]["name"] == "الخوري"
    assert q["speaker"]["entity_id"] is None


def test_short_name_guess_links_to_full_entity():
    body = "استقبل الرئيس كمال داود الوفد. وقال داود: «نرحب بكم»."
    ents = [ent("E1", "كمال داود", "PER", body, "كمال داود")]
    [q] = [x for x in run(body, ents) if x["kind"] == "direct"]
    assert q["speaker"]["entity_id"] == "E1"
