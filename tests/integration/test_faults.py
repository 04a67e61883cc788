"""The faults a production stream must survive, tried on the real broker.

Each test is one experiment of the runtime issue: what was sent, what came out
enriched, what was dead-lettered, and that nothing was lost or duplicated and
no worker needed a restart by hand.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import random
import signal
import time
from collections import Counter

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from newsenrich.devtools.broker import EmbeddedBroker

from .conftest import Pipeline
from .test_operations import get, wait_for
from .test_pipeline import SEEDS, ids_of

pytestmark = pytest.mark.integration

WORKERS = ("entities", "quotes", "joiner")
PEOPLE = ["سامي الحداد", "ليلى منصور", "كريم الشامي", "هدى العلي", "Maria Lopez", "David Chen"]
PLACES = ["عمان", "بيروت", "تونس", "الرباط", "Lisbon", "Toronto"]


def short_articles(n: int, prefix: str = "a") -> list[tuple[bytes, bytes]]:
    """`n` distinct short articles, Arabic and English, each with a speaker and a quote."""
    out = []
    for i in range(n):
        who, where = PEOPLE[i % len(PEOPLE)], PLACES[i % len(PLACES)]
        if i % 3 == 2:
            body = f'{who} arrived in {where} on Monday. "We will publish report number {i} soon," she said.'
        else:
            body = f"وصل {who} إلى {where} يوم الاثنين. وقال: «سننشر التقرير رقم {i} قريبا»."
        article = {"id": f"{prefix}-{i:04d}", "title": f"خبر {i}", "body": body}
        out.append((article["id"].encode(), orjson.dumps(article)))
    return out


def malformed(n: int, seed: int = 7) -> list[tuple[bytes | None, bytes]]:
    """`n` raw messages a broken feed could send, of every kind the raw stage must refuse."""
    rng = random.Random(seed)
    kinds = [
        lambda i: rng.randbytes(rng.randint(0, 300)),
        lambda i: b'{"id": "x%d", "body": "\xff\xfe\xfa"}' % i,
        lambda i: b"<html>%d</html>" % i,
        lambda i: orjson.dumps([i, "a list, not an object"]),
        lambda i: orjson.dumps({"id": f"bad-{i}", "text": "no body"}),
        lambda i: orjson.dumps({"id": f"bad-{i}", "body": 12}),
        lambda i: orjson.dumps({"id": f"bad-{i}", "body": " \n\t "}),
        lambda i: orjson.dumps({"id": f"bad-{i}", "body": "Bonjour", "language": "fr"}),
        lambda i: orjson.dumps({"id": "", "body": "نص"}),
        lambda i: orjson.dumps({"id": "i" * 5000, "body": "نص"}),
        lambda i: b'{"a":' * 500 + b"1" + b"}" * 500,
        lambda i: orjson.dumps({"id": f"bad-{i}", "body": "كلمة " * 5000}),
        lambda i: b"",
        lambda i: b"null",
    ]
    out: list[tuple[bytes | None, bytes]] = []
    for i in range(n):
        key = None if i % 5 == 0 else f"bad-{i}".encode()
        out.append((key, kinds[i % len(kinds)](i)))
    return out


async def produce_many(pipeline: Pipeline, messages: list[tuple[bytes | None, bytes]], **kw: int) -> None:
    producer = AIOKafkaProducer(**pipeline.settings.kafka_client_kwargs(), acks="all", linger_ms=5, **kw)
    await producer.start()
    try:
        futures = [await producer.send(pipeline.settings.topic_raw, v, key=k) for k, v in messages]
        await asyncio.gather(*futures)
    finally:
        await producer.stop()


def letters_by_stage(msgs) -> dict[str, Counter]:
    """For each stage, how many dead letters each raw offset got."""
    out: dict[str, Counter] = {}
    for m in msgs:
        letter = orjson.loads(m.value)
        src = letter["source"]
        out.setdefault(letter["stage"], Counter())[(src["partition"], src["offset"])] += 1
    return out


async def test_two_thousand_malformed_among_two_hundred_good(pipeline: Pipeline):
    """Every good article enriched once; every bad one dead-lettered once per raw stage."""
    pipeline.start(*WORKERS, BATCH_SIZE="16")
    good = short_articles(200, "good")
    bad = malformed(2000)
    mixed = bad[:]
    for i, g in enumerate(good):
        mixed.insert(i * 11, g)
    await produce_many(pipeline, mixed)
    s = pipeline.settings
    want = {k.decode() for k, _ in good}
    enriched = await pipeline.collect(s.topic_enriched, lambda ms: set(ids_of(ms)) >= want, timeout_s=400)
    letters = await pipeline.collect(s.topic_deadletter, lambda ms: len(ms) >= 2 * len(bad), settle_s=3)
    assert Counter(ids_of(enriched)) == Counter(want), "each good article exactly once"
    by_stage = letters_by_stage(letters)
    assert set(by_stage) == {"entities", "quotes"}
    for stage, per_offset in by_stage.items():
        assert len(per_offset) == len(bad), f"{stage}: every bad message dead-lettered"
        assert set(per_offset.values()) == {1}, f"{stage}: and only once"
    assert all(pipeline.procs[n].poll() is None for n in WORKERS)


async def test_an_oversized_article_is_dead_lettered_within_the_limit_and_nothing_stalls(pipeline: Pipeline):
    pipeline.start(*WORKERS, MAX_MESSAGE_BYTES="1000000")
    huge_body = ("كلمة " * 420_000).encode()  # 4.2 MB
    huge = b'{"id": "huge", "body": "' + huge_body + b'"}'
    after = short_articles(4, "after")
    await produce_many(pipeline, [(b"huge", huge), *after], max_request_size=8_000_000)
    s = pipeline.settings
    want = {k.decode() for k, _ in after}
    enriched = await pipeline.collect(s.topic_enriched, lambda ms: set(ids_of(ms)) >= want, timeout_s=120)
    assert Counter(ids_of(enriched)) == Counter(want)
    letters = await pipeline.collect(s.topic_deadletter, lambda ms: len(ms) >= 2, settle_s=2)
    assert sorted(orjson.loads(m.value)["stage"] for m in letters) == ["entities", "quotes"]
    for m in letters:
        assert len(m.value) + len(m.key or b"") <= 1_000_000, "a dead letter never exceeds the limit"
        letter = orjson.loads(m.value)
        assert letter["reason"] == "body_too_large" and letter["original_truncated"] is True
        assert letter["original_size_bytes"] == len(huge)
        assert letter["original_sha256"] == hashlib.sha256(huge).hexdigest()
        assert huge.startswith(base64.b64decode(letter["original_b64"]))
    for name in WORKERS:
        assert pipeline.procs[name].poll() is None
        assert get(pipeline.ports[name], "/healthz")[0] == 200


async def test_an_idle_joiner_stays_live(pipeline: Pipeline):
    """Liveness is progress on the input partitions: the joiner's own changelog is not input."""
    pipeline.start(*WORKERS, LIVENESS_STALL_S="2")
    await pipeline.produce(short_articles(3, "idle"))
    await pipeline.collect(pipeline.settings.topic_enriched, lambda ms: len(ms) >= 3)
    await asyncio.sleep(8)  # four stall periods with nothing to do
    for name in WORKERS:
        status, body = get(pipeline.ports[name], "/healthz")
        assert status == 200, (name, body)


async def test_sigterm_ends_a_worker_within_the_grace_period_even_mid_retry(tmp_path, stanza_dir):
    broker = EmbeddedBroker(log_path=tmp_path / "tansu.log")
    broker.start()
    p = Pipeline(broker.bootstrap, tmp_path, stanza_dir)
    try:
        await p.create_topics()
        p.start("quotes", SHUTDOWN_GRACE_S="6")
        await wait_for(lambda: get(p.ports["quotes"], "/readyz")[0] == 200)
        await p.produce(short_articles(2, "pre"))
        await p.collect(p.settings.topic_quotes, lambda ms: len(ms) >= 2)
        broker.kill()  # the worker now retries: fetches and commits fail, the broker is gone
        await asyncio.sleep(3)
        proc = p.procs.pop("quotes")
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        took = time.monotonic() - t0
        assert took < 6 + 3, f"SIGTERM took {took:.1f}s, over SHUTDOWN_GRACE_S"
    finally:
        p.stop_all()
        broker.stop()


HALT_LIMITS = {"MAX_BODY_CHARS": "40000", "BATCH_SIZE": "64"}  # 64: the default batch size


async def halt_the_quotes_worker(pipeline: Pipeline, **env: str) -> tuple[int, list, list]:
    """A quotes worker whose every result is too large, stopped by its dead-letter limit.

    Returns its metrics port, the articles sent and their dead letters.
    """
    pipeline.start("quotes", MAX_MESSAGE_BYTES="16384", DLQ_MAX_IN_ROW="3", **HALT_LIMITS, **env)
    port = pipeline.ports["quotes"]
    await wait_for(lambda: get(port, "/readyz")[0] == 200)
    lines = [f"وقال الوزير سامي الحداد في اللقاء رقم {i}: «سنواصل العمل على هذا الملف»." for i in range(200)]
    many_quotes = [
        (f"q-{i}".encode(), orjson.dumps({"id": f"q-{i}", "body": "\n".join(lines)})) for i in range(8)
    ]
    await pipeline.produce(many_quotes)
    await wait_for(lambda: get(port, "/readyz")[0] == 503, timeout_s=60)
    body = get(port, "/readyz")[1]
    assert "DLQ_MAX_IN_ROW" in orjson.loads(body)["halted"]
    s = pipeline.settings
    letters = await pipeline.collect(s.topic_deadletter, lambda ms: len(ms) >= 3, settle_s=3)
    return port, many_quotes, letters


async def test_the_dead_letter_limit_stops_a_stage_and_loses_nothing_after_it(pipeline: Pipeline):
    """A deploy whose every result is refused (here: over a tiny message limit) must not drain
    the input into the dead-letter topic: the stage stops and turns unready. At the default
    batch size, what arrives after the halt waits in Kafka (nothing acknowledged, no offset
    committed past it) and comes out once the cause is fixed and the worker restarted."""
    port, many_quotes, letters = await halt_the_quotes_worker(pipeline)
    s = pipeline.settings
    assert {orjson.loads(m.value)["reason"] for m in letters} == {"output_too_large"}
    assert get(port, "/healthz")[0] == 200, "halted is not dead: no restart loop"

    after = short_articles(5, "after-halt")
    await pipeline.produce(after)
    await asyncio.sleep(8)  # a halted stage that still consumed would fetch, ack and commit these now
    assert get(port, "/readyz")[0] == 503
    assert len(await pipeline.collect(s.topic_deadletter, lambda ms: True)) == len(letters)

    pipeline.kill("quotes", signal.SIGTERM)  # the fix: the deploy's own message limit again
    pipeline.start("quotes", **HALT_LIMITS)
    want = {k.decode() for k, _ in after}
    results = await pipeline.collect(s.topic_quotes, lambda ms: set(ids_of(ms)) >= want, timeout_s=120)
    dead_ids = {m.key.decode() for m in letters}
    assert {k.decode() for k, _ in many_quotes} <= set(ids_of(results)) | dead_ids, "nothing lost"


async def test_a_feed_meta_too_large_for_the_results_is_left_out_and_nothing_halts(pipeline: Pipeline):
    """Valid input whose `meta` alone (raw HTML the feed passes along) pushes a result over
    MAX_MESSAGE_BYTES is the feed's doing, not the stage's failure: at the default batch size
    every article is enriched, its meta replaced by a note, nothing is dead-lettered and no
    stage halts. (On 6397a69 they were dead-lettered as output_too_large and the stages
    stopped on DLQ_MAX_SHARE, leaving what followed unprocessed.)"""
    env = {"MAX_MESSAGE_BYTES": "200000", "BATCH_SIZE": "64"}
    pipeline.start(*WORKERS, **env)
    heavy = []
    for i in range(30):
        article = {
            "id": f"meta-{i:02d}",
            "body": f"وقال سامي الحداد: «التقرير رقم {i} جاهز».",
            "meta": {"html": "<p>" * 80_000},
        }
        heavy.append((article["id"].encode(), orjson.dumps(article)))
    after = short_articles(5, "after-meta")
    await pipeline.produce(heavy + after)
    s = pipeline.settings
    want = {k.decode() for k, _ in heavy + after}
    msgs = await pipeline.collect(
        s.topic_enriched, lambda ms: set(ids_of(ms)) >= want, timeout_s=240, settle_s=2
    )
    records = {m.key.decode(): orjson.loads(m.value) for m in msgs}
    assert all("newsenrich_omitted" in records[k.decode()]["meta"] for k, _ in heavy)
    assert await pipeline.collect(s.topic_deadletter, lambda ms: True) == []
    for name in WORKERS:
        assert get(pipeline.ports[name], "/readyz")[0] == 200, f"{name} halted"


async def test_a_very_long_article_holds_nobody_up(pipeline: Pipeline):
    """A 500,000-character article (MAX_BODY_CHARS raised to allow it) comes out enriched in
    under 30 s, while short articles sent one a second behind it come out within a few
    seconds each: its NER runs in steps beside them, never all of it before them."""
    pipeline.start(*WORKERS, MAX_BODY_CHARS="600000", MAX_MESSAGE_BYTES="8000000")
    s = pipeline.settings
    await pipeline.collect(s.topic_enriched, lambda ms: True)  # topics exist before timing starts
    seeds = [p.read_text().split("\n", 1)[1] for p in sorted(SEEDS.glob("*.txt"))]
    body = ("\n\n".join(seeds) * 200)[:500_000]
    big = orjson.dumps({"id": "big", "title": "مقال طويل جدا", "body": body})
    behind = short_articles(12, "behind")
    warm = short_articles(2, "warm")
    await produce_many(pipeline, warm)  # models and connections warm before timing starts
    await pipeline.collect(s.topic_enriched, lambda ms: set(ids_of(ms)) >= {k.decode() for k, _ in warm})

    arrived: dict[str, float] = {}
    sent: dict[str, float] = {}

    async def watch() -> None:
        consumer = AIOKafkaConsumer(
            bootstrap_servers=s.bootstrap_servers, max_partition_fetch_bytes=16_000_000
        )
        await consumer.start()
        try:
            tps = [TopicPartition(s.topic_enriched, p) for p in range(s.topic_partitions)]
            consumer.assign(tps)
            await consumer.seek_to_end(*tps)
            want = {"big", *(k.decode() for k, _ in behind)}
            while not want <= arrived.keys():
                for msgs in (await consumer.getmany(timeout_ms=100)).values():
                    for m in msgs:
                        arrived.setdefault(m.key.decode(), time.monotonic())
        finally:
            await consumer.stop()

    slowest: dict[str, float] = dict.fromkeys(WORKERS, 0.0)

    async def probe() -> None:  # how long each worker's /healthz takes to answer meanwhile
        while True:
            for name in WORKERS:
                t0 = time.monotonic()
                await asyncio.to_thread(get, pipeline.ports[name], "/healthz")
                slowest[name] = max(slowest[name], time.monotonic() - t0)
            await asyncio.sleep(0.1)

    watcher = asyncio.create_task(watch())
    prober = asyncio.create_task(probe())
    await asyncio.sleep(2)  # the watcher is at the end of the topic
    producer = AIOKafkaProducer(**s.kafka_client_kwargs(), acks="all", max_request_size=8_000_000)
    await producer.start()
    try:
        sent["big"] = time.monotonic()
        await producer.send_and_wait(s.topic_raw, big, key=b"big")
        for key, value in behind:
            await asyncio.sleep(1)
            sent[key.decode()] = time.monotonic()
            await producer.send_and_wait(s.topic_raw, value, key=key)
    finally:
        await producer.stop()
    await asyncio.wait_for(watcher, 120)
    prober.cancel()
    waited = {k: round(arrived[k] - sent[k], 1) for k in sent}
    assert waited["big"] < 30, waited
    behind_waits = sorted(v for k, v in waited.items() if k != "big")
    assert behind_waits[-1] < 5, f"a short article waited {behind_waits[-1]} s behind the long one: {waited}"
    assert get(pipeline.ports["entities"], "/healthz")[0] == 200
    assert max(slowest.values()) < 0.8, (
        f"a worker's event loop was held (seconds to answer /healthz): {slowest}"
    )
