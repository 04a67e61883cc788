"""The stages on the in-memory runner: the runtime's delivery guarantees, without a broker."""

from __future__ import annotations

import base64

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsenrich.events.schemas import first_error
from newsenrich.memory import DeliveryFailed, MemoryBroker, MemoryRunner
from newsenrich.nlp.pipeline import LanguageModels
from newsenrich.stages.base import DEADLETTER, ENRICHED, ENTITIES, QUOTES, RAW, DeadLetterLimit
from newsenrich.stages.entities import EntitiesStage
from newsenrich.stages.joiner import JoinerStage
from newsenrich.stages.quotes import QuotesStage

RAW_KW = {"languages": frozenset({"ar", "en"}), "max_body_chars": 100_000, "max_message_bytes": 1_000_000}


class NoNer:
    def __init__(self):
        self.models = {lang: LanguageModels(lang, {"tokenize": "x"}, {"ner": None}) for lang in ("ar", "en")}


def article(i: int, body: str = '"We are ready," said Ana Ruiz.') -> bytes:
    return orjson.dumps({"id": f"a{i}", "body": body})


def pipeline(**kw):
    stages = [
        EntitiesStage(NoNer(), **RAW_KW),
        QuotesStage(**RAW_KW),
        JoinerStage(max_message_bytes=1_000_000),
    ]
    return MemoryRunner(stages, **kw)


def letters(runner):
    return [orjson.loads(m.value) for m in runner.broker.records(DEADLETTER)]


def test_every_good_article_is_enriched_once_and_every_bad_one_dead_lettered_once_per_stage():
    runner = pipeline(batch_size=3)
    for i in range(5):
        runner.broker.send(RAW, f"a{i}".encode(), article(i))
    runner.broker.send(RAW, None, b"\xff\xfe not utf-8")
    runner.broker.send(RAW, None, b"{not json")
    runner.run()
    enriched = [orjson.loads(m.value) for m in runner.broker.records(ENRICHED)]
    assert sorted(e["id"] for e in enriched) == [f"a{i}" for i in range(5)]
    for e in enriched:
        assert first_error("enriched_article", e) is None
    dead = letters(runner)
    assert sorted((d["stage"], d["reason"]) for d in dead) == sorted(
        [("entities", "not_utf8"), ("quotes", "not_utf8"), ("entities", "not_json"), ("quotes", "not_json")]
    )
    for d in dead:
        assert first_error("dead_letter", d) is None


def test_nothing_is_acknowledged_until_the_batch_is_delivered():
    refusing = {"on": True}
    broker = MemoryBroker(refuse=lambda emits: refusing["on"])
    runner = pipeline(batch_size=10, broker=broker)
    broker.send(RAW, b"a1", article(1))
    quotes = runner.stages[1]
    with pytest.raises(DeliveryFailed):
        runner.step(quotes)
    assert runner.committed["quotes"][RAW] == 0  # not acknowledged: the message comes again
    refusing["on"] = False
    assert runner.step(quotes)
    assert runner.committed["quotes"][RAW] == 1
    assert len(broker.records(QUOTES)) == 1


def test_joiner_state_is_written_only_after_its_output_is_delivered():
    refusing = {"on": False}
    broker = MemoryBroker(refuse=lambda emits: refusing["on"] and any(e.topic == ENRICHED for e in emits))
    runner = pipeline(broker=broker)
    broker.send(RAW, b"a1", article(1))
    entities, quotes, joiner = runner.stages
    runner.step(entities)
    runner.step(quotes)
    refusing["on"] = True
    with pytest.raises(DeliveryFailed):
        runner.step(joiner)
    assert runner.state["joiner"] == {}  # a crash here must not leave the article marked emitted
    refusing["on"] = False
    runner.step(joiner)
    state = orjson.loads(runner.state["joiner"]["a1"])
    assert state["emitted"] is not None
    assert len(broker.records(ENRICHED)) == 1
    # The halves again (a re-delivery): no second enriched record.
    for role in (ENTITIES, QUOTES):
        for m in list(broker.records(role)):
            broker.send(role, m.key, m.value)
    runner.run()
    assert len(broker.records(ENRICHED)) == 1


def test_a_failing_batch_is_retried_one_article_at_a_time(monkeypatch):
    from newsenrich.stages import quotes as quotes_module

    real = quotes_module.find_quotes

    def flaky(a):
        if a.id == "a2":
            raise ValueError("boom")
        return real(a)

    monkeypatch.setattr(quotes_module, "find_quotes", flaky)
    runner = pipeline(batch_size=10)
    for i in range(4):
        runner.broker.send(RAW, f"a{i}".encode(), article(i))
    runner.run()
    assert sorted(orjson.loads(m.value)["id"] for m in runner.broker.records(QUOTES)) == ["a0", "a1", "a3"]
    [d] = letters(runner)
    assert (d["stage"], d["reason"], d["article_id"]) == ("quotes", "processing_error", "a2")
    assert "ValueError: boom" in d["detail"]


def test_a_result_over_the_message_limit_dead_letters_its_input_and_the_letter_fits():
    runner = pipeline(max_message_bytes=20_000)
    body = "كلمة " * 3000  # a quotes result over 20 kB (the body is carried along)
    runner.broker.send(RAW, b"big", orjson.dumps({"id": "big", "body": "وقال سمير: «" + body + "»."}))
    runner.run()
    dead = letters(runner)
    assert {d["reason"] for d in dead} == {"output_too_large"}
    for m in runner.broker.records(DEADLETTER):
        assert len(m.value) <= 20_000
        d = orjson.loads(m.value)
        assert d["original_truncated"] and d["original_size_bytes"] > 20_000
        assert first_error("dead_letter", d) is None


def test_a_huge_raw_message_is_rejected_before_it_is_read_and_its_dead_letter_fits():
    runner = pipeline(max_message_bytes=50_000)
    runner.broker.send(RAW, b"huge", b'{"id": "huge", "body": "' + b"x" * 600_000 + b'"}')
    runner.stages[0].max_body_chars = runner.stages[1].max_body_chars = 100
    runner.run()
    for m in runner.broker.records(DEADLETTER):
        d = orjson.loads(m.value)
        assert d["reason"] == "body_too_large" and d["original_truncated"]
        assert len(m.value) <= 50_000
        assert len(base64.b64decode(d["original_b64"])) < 50_000


def test_deep_nesting_is_a_schema_violation_not_a_crash():
    deep = b'{"id": "d", "body": "x", "meta": ' + b"[" * 500 + b"]" * 500 + b"}"
    runner = pipeline()
    runner.broker.send(RAW, b"d", deep)
    runner.run()
    assert {(d["reason"], "nested" in d["detail"]) for d in letters(runner)} == {("schema_violation", True)}


def test_the_dead_letter_limit_stops_a_stage_that_fails_everything(monkeypatch):
    from newsenrich.stages import quotes as quotes_module

    monkeypatch.setattr(quotes_module, "find_quotes", lambda a: 1 / 0)
    runner = pipeline(batch_size=5, limit=lambda: DeadLetterLimit(max_share=0.5, window=10, max_in_row=None))
    for i in range(40):
        runner.broker.send(RAW, f"a{i}".encode(), article(i))
    runner.run()
    assert "quotes" in runner.halted and "entities" not in runner.halted
    assert runner.committed["quotes"][RAW] == 10  # it stopped: the rest waits in the topic
    assert runner.committed["entities"][RAW] == 40


def test_input_rejections_do_not_trip_the_limit():
    """A broken feed is the feed's fault: its messages are dead-lettered and the stage goes on."""
    runner = pipeline(batch_size=5, limit=lambda: DeadLetterLimit(max_share=0.5, window=10, max_in_row=3))
    for i in range(30):
        runner.broker.send(RAW, f"bad{i}".encode(), b"not json")
    runner.broker.send(RAW, b"a0", article(0))
    runner.run()
    assert runner.halted == {}
    assert len(letters(runner)) == 60 and len(runner.broker.records(ENRICHED)) == 1
    limit = DeadLetterLimit(max_share=0.5, window=10, max_in_row=3)
    assert limit.observe([False] * 20) is None
    assert limit.observe([True, True, True]) is not None


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=300),
        st.recursive(
            st.one_of(st.none(), st.booleans(), st.integers(-(2**63), 2**63 - 1), st.text(max_size=30)),
            lambda children: (
                st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
            ),
            max_leaves=20,
        ).map(orjson.dumps),
        st.fixed_dictionaries(
            {"id": st.text(max_size=20), "body": st.text(max_size=200)},
            optional={"title": st.text(max_size=20), "language": st.sampled_from(["ar", "en", "fr", ""])},
        ).map(orjson.dumps),
    )
)
def test_any_raw_message_is_enriched_or_dead_lettered_and_nothing_raises(value):
    runner = pipeline()
    runner.broker.send(RAW, None, value)
    runner.run()
    enriched = runner.broker.records(ENRICHED)
    dead = letters(runner)
    assert len(enriched) + len({d["stage"] for d in dead if d["stage"] != "joiner"}) in (1, 2)
    assert len(enriched) == 1 or {d["stage"] for d in dead} >= {"entities", "quotes"}
    for d in dead:
        assert first_error("dead_letter", d) is None


def test_a_long_article_is_set_apart_from_the_rest_of_its_batch():
    from newsenrich.stages.base import Message
    from newsenrich.stages.entities import EntitiesStage

    stage = EntitiesStage(None, languages=frozenset({"ar"}), max_body_chars=10**6, max_message_bytes=10**7)
    small = [Message("raw", "t", 0, i, b"k", b"x" * 100) for i in range(3)]
    long = [Message("raw", "t", 1, i, b"k", b"x" * (EntitiesStage.ALONE_BYTES + 1)) for i in range(2)]
    parts = stage.parts([long[0], *small, long[1]])
    assert parts == (small, [[long[0]], [long[1]]])
    assert stage.parts(small) == (small, [])


def test_a_meta_too_large_for_the_message_limit_is_left_out_not_dead_lettered():
    """The feed's meta (raw HTML, say) is passed along; when it alone pushes a result over the
    limit the article is still enriched, its meta replaced by a note, its fingerprint kept."""
    limit = 200_000
    kw = RAW_KW | {"max_message_bytes": limit}
    stages = [EntitiesStage(NoNer(), **kw), QuotesStage(**kw), JoinerStage(max_message_bytes=limit)]
    runner = MemoryRunner(stages, batch_size=4, max_message_bytes=limit)
    body = '"We are ready," said Ana Ruiz.'
    runner.broker.send(
        RAW, b"m1", orjson.dumps({"id": "m1", "body": body, "meta": {"html": "<p>" * 100_000}})
    )
    runner.run()
    assert letters(runner) == []
    [record] = runner.broker.records(ENRICHED)
    enriched = orjson.loads(record.value)
    assert "left out" in enriched["meta"]["newsenrich_omitted"]
    assert enriched["quotes"][0]["text"] == "We are ready"
    assert first_error("enriched_article", enriched) is None
