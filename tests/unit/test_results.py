"""Worker results as the workers build them and the joiner reads them, and the two validators.

Every message is checked by the compiled validator (jsonschema-rs) and only a
rejected one by the reference `jsonschema` validator, which words the reason.
Were the two to disagree, a message could pass one stage and be rejected by
the next, or pass everywhere while breaking the contract: the parity tests
below mutate real events field by field and require the same verdict.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import orjson
import pytest

from newsenrich.events.codec import Position, Rejected, dead_letter, fingerprint, now_rfc3339
from newsenrich.events.contract import article_of, enriched_article
from newsenrich.events.results import entities_result, quotes_result, read_result
from newsenrich.events.schemas import _compiled, first_error, validator
from newsenrich.nlp.enrichment import EntitiesPart, find_quotes
from newsenrich.nlp.values import Entity, EntityMention

ARTICLE = {
    "id": "a1",
    "title": "الاقتصاد",
    "body": 'قال الوزير أحمد علي: "الاقتصاد ينمو بسرعة". وأضاف أن الحكومة ستواصل الإصلاح.',
    "language": "ar",
    "published_at": "2026-11-23T10:00:00Z",
    "meta": {"feed": "wire"},
}
POSITION = Position("articles.raw", 1, 42, 1_700_000_000_000)
ENTITIES_PART = EntitiesPart(
    [Entity("E1", "أحمد علي", "PER", [EntityMention(11, 19, "أحمد علي", "body")])],
    {"ner": "ar/test"},
    {"ner": 1.0},
)


def events() -> dict[str, dict[str, Any]]:
    ents = entities_result(ARTICLE, POSITION, ENTITIES_PART)
    quotes = quotes_result(ARTICLE, POSITION, find_quotes(article_of(ARTICLE)))
    enriched = enriched_article(
        article=ARTICLE,
        fingerprint=fingerprint(ARTICLE),
        entities_part=ents,
        quotes_part=quotes,
        raw_position=POSITION.as_dict(),
        enriched_at=now_rfc3339(),
    )
    letter = dead_letter(
        stage="quotes",
        rejected=Rejected("schema_violation", "body: missing", "a1"),
        position=POSITION,
        key=b"a1",
        value=b'{"id": "a1"}',
    )
    return {
        "raw_article": dict(ARTICLE),
        "entities_result": ents,
        "quotes_result": quotes,
        "enriched_article": enriched,
        "dead_letter": letter,
    }


@pytest.mark.parametrize("name", list(events()))
def test_events_as_built_are_valid(name):
    assert first_error(name, events()[name]) is None


BAD_VALUES: list[Any] = [None, 0, -1, 1.5, "", "x" * 300, "Z", [], {}, True, [{}], "not-a-date"]


def mutations(event: Any, depth: int = 0) -> Iterator[Any]:
    """The event with one field removed, retyped or added, at every level down to depth 3."""
    if depth > 3:
        return
    if isinstance(event, dict):
        yield event | {"unexpected_field": 1}
        for key, value in event.items():
            yield {k: v for k, v in event.items() if k != key}
            for bad in BAD_VALUES:
                yield event | {key: bad}
            for changed in mutations(value, depth + 1):
                yield event | {key: changed}
    elif isinstance(event, list) and event:
        yield []
        yield [*event, event[0]]
        for changed in mutations(event[0], depth + 1):
            yield [changed, *event[1:]]


@pytest.mark.parametrize("name", list(events()))
def test_compiled_and_reference_validators_agree(name):
    fast, reference = _compiled(name), validator(name)
    cases = list(mutations(events()[name]))
    assert len(cases) > 50
    disagreements = [case for case in cases if fast.is_valid(copy.deepcopy(case)) != reference.is_valid(case)]
    assert disagreements == []
    # and the mutations do reach both verdicts, or the test would prove nothing
    verdicts = {reference.is_valid(case) for case in cases}
    assert verdicts == {True, False}


@pytest.mark.parametrize("half", ["entities", "quotes"])
def test_joiner_reads_a_half_as_the_worker_wrote_it(half):
    result = events()[f"{half}_result"]
    assert read_result(half, orjson.dumps(result)) == result


@pytest.mark.parametrize(
    ("half", "change", "words"),
    [
        ("quotes", {"fingerprint": "nope"}, "fingerprint"),
        ("quotes", {"source": {}}, "source"),
        ("quotes", {"quotes": None}, "quotes"),
        ("entities", {"article": {"id": "a1"}}, "article"),
        ("entities", {"entities": [{"id": "E1"}]}, "entities/0"),
    ],
)
def test_joiner_rejects_a_malformed_half_with_the_field_named(half, change, words):
    result = events()[f"{half}_result"] | change
    with pytest.raises(Rejected) as info:
        read_result(half, orjson.dumps(result))
    assert info.value.reason == "schema_violation"
    assert words in info.value.detail
    assert info.value.article_id == "a1"


def test_joiner_rejects_a_half_that_is_not_json():
    with pytest.raises(Rejected) as info:
        read_result("entities", b"{oops")
    assert info.value.reason == "not_json"


def test_the_halves_name_the_other_half_as_wrong_schema():
    quotes = events()["quotes_result"]
    with pytest.raises(Rejected, match="entities result"):
        read_result("entities", orjson.dumps(quotes))
