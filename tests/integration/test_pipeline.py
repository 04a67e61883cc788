"""End to end on the real broker: seeds in, enriched articles out, bad input dead-lettered."""

from __future__ import annotations

import base64
import signal

import orjson
import pytest

from newsenrich.events.codec import Position
from newsenrich.events.results import entities_result, quotes_result
from newsenrich.events.schemas import first_error
from newsenrich.nlp.enrichment import EntitiesPart, QuotesPart
from newsenrich.runtime.replay import replay
from newsenrich.sources import read_records

from .conftest import ROOT, Pipeline

pytestmark = pytest.mark.integration
SEEDS = ROOT / "seeds"


def ids_of(msgs) -> list[str]:
    return [m.key.decode() for m in msgs]


def assert_offsets_hold(article: dict) -> None:
    for e in article["entities"]:
        for m in e["mentions"]:
            src = article["title"] if m.get("field") == "title" else article["body"]
            assert src[m["start"] : m["end"]] == m["text"]
    for q in article["quotes"]:
        assert article["body"][q["start"] : q["end"]] == q["text"]


async def test_seeds_come_out_enriched_exactly_once(pipeline: Pipeline):
    pipeline.start("entities", "quotes", "joiner")
    report = await replay([str(SEEDS)], pipeline.settings)
    assert report.sent == 2
    msgs = await pipeline.collect(
        pipeline.settings.topic_enriched, lambda ms: len(set(ids_of(ms))) == 2, settle_s=5
    )
    assert sorted(ids_of(msgs)) == sorted(report.ids), "one enriched record per article, no duplicates"
    for m in msgs:
        article = orjson.loads(m.value)
        assert first_error("enriched_article", article) is None
        assert article["id"] == m.key.decode()
        assert article["language"] == "ar"
        assert any(e["label"] == "PER" for e in article["entities"])
        assert any(q["kind"] == "direct" and q["speaker"] for q in article["quotes"])
        assert article["models"]["ner"] and article["models"]["quotes"]
        assert_offsets_hold(article)
    entities = await pipeline.collect(pipeline.settings.topic_entities, lambda ms: len(ms) >= 2)
    quotes = await pipeline.collect(pipeline.settings.topic_quotes, lambda ms: len(ms) >= 2)
    for m in entities:
        assert first_error("entities_result", orjson.loads(m.value)) is None
    for m in quotes:
        assert first_error("quotes_result", orjson.loads(m.value)) is None


BAD = {
    "not_utf8": (b"bad-1", b'{"id": "bad-1", "body": "\xff\xfe"}'),
    "not_json": (b"bad-2", b"<html>not json</html>"),
    "schema_violation": (b"bad-3", orjson.dumps({"id": "bad-3", "text": "no body field"})),
    "empty_body": (b"bad-4", orjson.dumps({"id": "bad-4", "body": "   "})),
    "body_too_large": (b"bad-5", orjson.dumps({"id": "bad-5", "body": "كلمة " * 5000})),
    "unsupported_language": (b"bad-6", orjson.dumps({"id": "bad-6", "body": "Bonjour", "language": "fr"})),
}


async def test_bad_input_is_dead_lettered_and_good_input_still_flows(pipeline: Pipeline):
    pipeline.start("entities", "quotes", "joiner")
    good = next(read_records([SEEDS]))
    await pipeline.produce([*BAD.values(), (good.key, good.value)])
    letters = await pipeline.collect(pipeline.settings.topic_deadletter, lambda ms: len(ms) >= 2 * len(BAD))
    seen = set()
    for m in letters:
        letter = orjson.loads(m.value)
        assert first_error("dead_letter", letter) is None
        _, value = BAD[letter["reason"]]
        assert base64.b64decode(letter["original_b64"]) == value, "the original bytes are kept"
        assert letter["source"]["topic"] == pipeline.settings.topic_raw
        assert letter["detail"]
        seen.add((letter["reason"], letter["stage"]))
    assert seen == {(r, s) for r in BAD for s in ("entities", "quotes")}
    enriched = await pipeline.collect(pipeline.settings.topic_enriched, lambda ms: len(ms) >= 1)
    assert ids_of(enriched) == [good.key.decode()]
    assert all(pipeline.procs[n].poll() is None for n in ("entities", "quotes", "joiner"))


def _copies(n: int) -> list[tuple[bytes, bytes]]:
    """n distinct articles made from the seeds (same text, different ids and titles)."""
    seeds = [orjson.loads(r.value) for r in read_records([SEEDS])]
    out = []
    for i in range(n):
        a = dict(seeds[i % len(seeds)])
        a["id"] = f"copy-{i:03d}"
        a["title"] = f"{a['title']} ({i})"
        out.append((a["id"].encode(), orjson.dumps(a)))
    return out


async def test_worker_killed_mid_stream_loses_no_article(pipeline: Pipeline):
    pipeline.start("quotes", "joiner", "entities")
    articles = _copies(16)
    await pipeline.produce(articles)
    # Kill the NER worker as soon as the first results come out: mid-stream.
    await pipeline.collect(pipeline.settings.topic_entities, lambda ms: len(ms) >= 1)
    pipeline.kill("entities", signal.SIGKILL)
    pipeline.start("entities")
    want = {k.decode() for k, _ in articles}
    msgs = await pipeline.collect(
        pipeline.settings.topic_enriched, lambda ms: set(ids_of(ms)) >= want, timeout_s=240
    )
    assert set(ids_of(msgs)) == want
    assert len(msgs) == len(want), "re-delivered halves must not produce a second enriched record"


async def test_redelivery_is_idempotent_and_a_new_version_replaces_the_old(pipeline: Pipeline):
    pipeline.start("entities", "quotes", "joiner")
    [(key, v1)] = _copies(1)
    a = orjson.loads(v1)
    v2 = orjson.dumps(a | {"body": a["body"] + "\nوقال المتحدث: «هذا تحديث للخبر»."})
    # v1 twice (a re-delivery from the feed), then v2: same key, same partition, in order.
    await pipeline.produce([(key, v1), (key, v1), (key, v2)])
    msgs = await pipeline.collect(pipeline.settings.topic_enriched, lambda ms: len(ms) >= 2, settle_s=4)
    versions = [orjson.loads(m.value) for m in msgs]
    assert len(versions) == 2, "the duplicate of v1 produced no record"
    assert versions[0]["body"] == a["body"] and versions[1]["body"].endswith("للخبر».")
    assert versions[0]["fingerprint"] != versions[1]["fingerprint"]
    assert any(q["text"] == "هذا تحديث للخبر" for q in versions[1]["quotes"])


@pytest.mark.xfail(
    reason="Tansu: after a SIGKILL the restarted joiner sometimes recovers its table and then gets "
    "no messages for minutes (seen once in four runs: the dead member's partitions are not handed "
    "over); on Kafka the session timeout evicts it",
    strict=False,
)
async def test_joiner_restart_keeps_joining(pipeline: Pipeline):
    """The joiner's table is restored from its changelog on restart; new articles still join.

    (That every waiting half comes back is `test_joiner_crash.py`'s; here, only that a
    restarted joiner keeps pairing and emits exactly once per article.)
    """
    pipeline.start("entities", "quotes", "joiner")
    first, second = _copies(2)
    await pipeline.produce([first])
    await pipeline.collect(pipeline.settings.topic_enriched, lambda ms: len(ms) >= 1)
    pipeline.kill("joiner", signal.SIGKILL)
    pipeline.start("joiner")
    await pipeline.produce([second])
    msgs = await pipeline.collect(
        pipeline.settings.topic_enriched, lambda ms: second[0].decode() in ids_of(ms), settle_s=3
    )
    assert sorted(ids_of(msgs)) == sorted([first[0].decode(), second[0].decode()])


def _halves(article_id: str, offset: int, entities: list) -> list[tuple[str, bytes, bytes]]:
    """An entities and a quotes result for one article, built as the workers build them."""
    article = {"id": article_id, "title": None, "body": "قال الرئيس: «نعم».", "language": "ar"}
    position = Position("raw", 0, offset)
    # the entities as given, malformed or not: the JSON a producer could write, not typed values
    ents = entities_result(article, position, EntitiesPart([], {}, {})) | {"entities": entities}
    quotes = quotes_result(article, position, QuotesPart([], {}, {}))
    return [
        ("entities", article_id.encode(), orjson.dumps(ents)),
        ("quotes", article_id.encode(), orjson.dumps(quotes)),
    ]


async def test_a_malformed_half_is_dead_lettered_by_the_joiner_and_joining_goes_on(pipeline: Pipeline):
    """A half that breaks its schema (here an entity without label or mentions) must become a
    dead letter naming the field, not crash the joiner or reach downstream."""
    pipeline.start("joiner")
    s = pipeline.settings
    topic = {"entities": s.topic_entities, "quotes": s.topic_quotes}
    bad = _halves("broken", 1, [{"bogus": 1}])
    good = _halves("fine", 2, [])
    await pipeline.produce_to([(topic[half], key, value) for half, key, value in bad + good])
    letters = await pipeline.collect(s.topic_deadletter, lambda ms: len(ms) >= 1, settle_s=2)
    assert len(letters) == 1, [orjson.loads(m.value)["detail"] for m in letters]
    letter = orjson.loads(letters[0].value)
    assert (letter["stage"], letter["reason"], letter["article_id"]) == (
        "joiner",
        "schema_violation",
        "broken",
    )
    assert "entities result: entities/0" in letter["detail"]
    enriched = await pipeline.collect(s.topic_enriched, lambda ms: len(ms) >= 1, settle_s=2)
    assert ids_of(enriched) == ["fine"]
    assert first_error("enriched_article", orjson.loads(enriched[0].value)) is None
    assert pipeline.procs["joiner"].poll() is None
