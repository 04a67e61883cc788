"""The runtime's delivery step against a scripted producer: what is retried, what is dead-lettered."""

from __future__ import annotations

import asyncio

import orjson
import pytest
from aiokafka import errors as kafka_errors

from newsenrich.runtime.delivery import Stopping, deliver
from newsenrich.stages.base import DEADLETTER, ENTITIES, Emit, Message

NAMES = {ENTITIES: "t.entities", DEADLETTER: "t.dead"}


class ScriptedProducer:
    """Fails each send with the next scripted error for its topic, then succeeds."""

    def __init__(self, failures: dict[str, list[BaseException]]):
        self.failures = failures
        self.sent: list[tuple[str, bytes]] = []

    async def send(self, topic, key, value, partition, timestamp, headers):
        fut = asyncio.get_running_loop().create_future()
        errors = self.failures.get(topic, [])
        if errors:
            fut.set_exception(errors.pop(0))
        else:
            self.sent.append((topic, key))
            fut.set_result(None)
        return fut


def emit(i: int) -> Emit:
    src = Message("raw", "t.raw", 0, i, f"a{i}".encode(), b'{"id": "a%d", "body": "x"}' % i)
    return Emit(ENTITIES, f"a{i}".encode(), b"{}", source=src)


async def run(producer, emits, stopping=None):
    return await deliver(
        producer,
        NAMES,
        emits,
        stage="entities",
        max_bytes=100_000,
        stopping=stopping or asyncio.Event(),
        backoff_max_s=0.01,
    )


async def test_a_transient_error_is_retried_until_the_record_is_delivered():
    p = ScriptedProducer(
        {"t.entities": [kafka_errors.KafkaTimeoutError(), kafka_errors.NotLeaderForPartitionError()]}
    )
    out = await run(p, [emit(1)])
    assert [e.key for e in out] == [b"a1"] and p.sent == [("t.entities", b"a1")]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (kafka_errors.MessageSizeTooLargeError(), "output_too_large"),
        (kafka_errors.TopicAuthorizationFailedError(), "produce_rejected"),
    ],
)
async def test_a_record_refused_for_good_dead_letters_its_input_and_the_rest_goes_on(error, reason):
    p = ScriptedProducer({"t.entities": [error]})
    out = await run(p, [emit(1), emit(2)])
    by_topic = sorted((e.topic, e.key, e.reason) for e in out)
    assert by_topic == [(DEADLETTER, b"a1", reason), (ENTITIES, b"a2", "")]
    letter = orjson.loads(next(e.value for e in out if e.reason))
    assert letter["reason"] == reason and letter["source"]["offset"] == 1


async def test_stopping_ends_the_retries_and_nothing_is_reported_delivered():
    stopping = asyncio.Event()
    p = ScriptedProducer({"t.entities": [kafka_errors.KafkaTimeoutError()] * 1000})
    task = asyncio.create_task(run(p, [emit(1)], stopping))
    await asyncio.sleep(0.05)
    stopping.set()
    with pytest.raises(Stopping):
        await asyncio.wait_for(task, 2)
    assert p.sent == []


async def test_a_batch_finished_as_the_stop_began_is_still_sent_once():
    stopping = asyncio.Event()
    stopping.set()
    p = ScriptedProducer({})
    out = await run(p, [emit(1)], stopping)
    assert [e.key for e in out] == [b"a1"]


@pytest.mark.parametrize(("value", "expected"), [("true", {"enable_idempotence": True}), ("false", {})])
async def test_workers_produce_idempotently_unless_told_not_to(value, expected, tmp_path):
    """Without idempotence a broker crash that loses an acknowledgement writes a record twice."""
    from newsenrich.config import Settings
    from newsenrich.runtime.app import make_app

    env = {"PRODUCER_IDEMPOTENCE": value, "METRICS_PORT": "0", "NEWSENRICH_DATA_DIR": str(tmp_path)}
    app, _, _ = make_app("quotes", Settings.from_env(env), frozenset())
    assert dict(app.producer._settings_extra()) == expected


async def test_a_dead_letter_the_broker_refuses_as_too_large_is_sent_cut_short():
    """A broker whose own limit is below MAX_MESSAGE_BYTES refuses even the dead letter cut to
    fit ours: it goes again cut to the least that says what failed, never retried for ever."""
    big = Message("raw", "t.raw", 0, 7, b"a7", b'{"id": "a7", "body": "' + b"x" * 90_000 + b'"}')
    p = ScriptedProducer(
        {
            "t.entities": [kafka_errors.MessageSizeTooLargeError()],
            "t.dead": [kafka_errors.MessageSizeTooLargeError()],
        }
    )
    out = await run(p, [Emit(ENTITIES, b"a7", b"{}", source=big)])
    assert p.sent == [("t.dead", b"a7")]
    (letter,) = out
    assert len(letter.value) <= 16 * 1024
    assert orjson.loads(letter.value)["reason"] == "output_too_large"
    assert orjson.loads(letter.value)["article_id"] == "a7"


def test_the_producer_limit_follows_max_message_bytes(tmp_path):
    """Left at its 1 MB default, a result under a raised MAX_MESSAGE_BYTES was refused at send
    time, and its dead letter with it, on every retry: the stage held for good."""
    from newsenrich.config import Settings
    from newsenrich.runtime.app import make_app

    env = {"MAX_MESSAGE_BYTES": "8000000", "METRICS_PORT": "0", "NEWSENRICH_DATA_DIR": str(tmp_path)}
    app, _, _ = make_app("entities", Settings.from_env(env), frozenset())
    assert app.conf.producer_max_request_size > 8_000_000
    assert app.conf.consumer_max_fetch_size > 8_000_000
