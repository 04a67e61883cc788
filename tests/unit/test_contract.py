"""The typed values to and from the JSON the topics carry (events/contract.py)."""

from __future__ import annotations

from newsenrich.events.contract import (
    entity_json,
    entity_of,
    evidence_json,
    evidence_of,
    quote_json,
    span_json,
    span_of,
    speaker_json,
)
from newsenrich.nlp.lexicon import load
from newsenrich.nlp.quotes import extract_quotes
from newsenrich.nlp.values import Entity, EntityMention, Quote, QuoteSpan, Speaker, SpeakerEvidence
from tests.unit.test_quote_properties import first_error  # validates against a schema $def


def test_an_entity_survives_the_round_trip():
    e = Entity(
        "E1", "ريم سالم", "PER", [EntityMention(0, 3, "ريم", "title"), EntityMention(9, 17, "ريم سالم")]
    )
    assert entity_of(entity_json(e)) == e
    assert entity_json(e)["mentions"][1] == {"start": 9, "end": 17, "text": "ريم سالم", "field": "body"}


def test_evidence_writes_its_optional_fields_only_when_set():
    bare = SpeakerEvidence("elided", "f")
    assert evidence_json(bare) == {"kind": "elided", "gender": "f", "region": None, "name": None}
    full = SpeakerEvidence(
        "explicit", "m", (4, 9), "X", np="role", head="وزير", of="البنك", pre_region=(0, 3)
    )
    as_json = evidence_json(full)
    assert as_json["region"] == [4, 9] and as_json["pre_region"] == [0, 3] and "qualifier" not in as_json
    assert evidence_of(as_json) == full


def test_quote_candidates_from_the_rules_are_valid_and_survive_the_round_trip():
    body = "وقالت الوزيرة ريم سالم: «الخطة جاهزة». وأضافت أن التنفيذ يبدأ غدا."
    spans = extract_quotes(body, load("ar"))
    assert spans
    for q in spans:
        assert first_error("quote_candidate", span_json(q)) is None
        assert span_of(span_json(q)) == q
    assert span_of({**span_json(spans[0]), "evidence": None}).evidence is None


def test_a_speaker_keeps_its_place_only_when_named_next_to_the_cue():
    assert "start" not in speaker_json(Speaker("ريم سالم", "E1", "discourse", 4, 9))
    assert speaker_json(Speaker("ريم سالم", "E1", "explicit", 4, 9))["end"] == 9
    assert "start" not in speaker_json(Speaker("ريم", None, "explicit"))
    q = Quote("direct", "نعم", 20, 23, "قالت", None)
    assert first_error("quote", quote_json(q)) is None and quote_json(q)["speaker"] is None
    assert QuoteSpan("direct", "نعم", 20, 23, None, None) == span_of(
        span_json(QuoteSpan("direct", "نعم", 20, 23, None, None))
    )
