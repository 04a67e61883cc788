"""Monitoring that sees trouble: the lag gauge counts what waits, readiness sees the brokers go.

Two defects of the first operator's day: `newsenrich_consumer_lag` read the
fetch position, so it said 4 while thousands of articles waited; and the
probes stayed 200 through a broker outage.
"""

from __future__ import annotations

import asyncio
import re
import time

import orjson
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from newsenrich.devtools.broker import EmbeddedBroker

from .conftest import Pipeline
from .test_broker_restart import s3_env  # noqa: F401  (a fixture)
from .test_faults import halt_the_quotes_worker, produce_many, short_articles
from .test_operations import get, wait_for

pytestmark = pytest.mark.integration


async def committed_lag(pipeline: Pipeline, worker: str) -> dict[int, int]:
    """Log end minus the group's committed offset, per raw partition, as Kafka's own tools count it."""
    s = pipeline.settings
    consumer = AIOKafkaConsumer(bootstrap_servers=s.bootstrap_servers, group_id=s.group_id(worker))
    await consumer.start()
    try:
        tps = [TopicPartition(s.topic_raw, p) for p in range(s.topic_partitions)]
        ends = await consumer.end_offsets(tps)
        starts = await consumer.beginning_offsets(tps)
        out = {}
        for tp in tps:
            committed = await consumer.committed(tp)
            out[tp.partition] = ends[tp] - (starts[tp] if committed is None else committed)
        return out
    finally:
        await consumer.stop()


def gauge(port: int, worker: str, topic: str) -> dict[int, float]:
    text = get(port, "/metrics")[1].decode()
    pattern = (
        rf'newsenrich_consumer_lag{{partition="(\d+)",topic="{re.escape(topic)}",worker="{worker}"}} (\S+)'
    )
    return {int(p): float(v) for p, v in re.findall(pattern, text)}


async def test_the_lag_gauge_counts_what_waits_behind_the_committed_offset(pipeline: Pipeline):
    port, _, _ = await halt_the_quotes_worker(pipeline)
    waiting = short_articles(60, "waits")
    # one at a time: Tansu's log end counts a batch of records as one
    await pipeline.produce(waiting)
    await asyncio.sleep(7)  # past a commit interval and a lag measurement
    want = await committed_lag(pipeline, "quotes")
    assert sum(want.values()) >= len(waiting), want
    await wait_for(lambda: gauge(port, "quotes", pipeline.settings.topic_raw) == want, timeout_s=15)


async def test_readiness_turns_off_while_the_brokers_are_gone_and_back_on_after(tmp_path, stanza_dir, s3_env):  # noqa: F811
    """Readiness, not liveness: a worker cannot do anything without brokers, and says so on
    /readyz and `newsenrich_ready`, but a restart would not bring the brokers back, so /healthz
    stays 200 and Kubernetes does not restart every worker at once through an outage."""
    broker = EmbeddedBroker(log_path=tmp_path / "tansu.log", storage="s3://tansu/", env=s3_env)
    broker.start()
    p = Pipeline(broker.bootstrap, tmp_path, stanza_dir)
    try:
        await p.create_topics()
        p.start("quotes", BROKER_UNREACHABLE_S="6")
        port = p.ports["quotes"]
        await wait_for(lambda: get(port, "/readyz")[0] == 200)
        broker.kill()
        gone = time.monotonic()
        await wait_for(lambda: get(port, "/readyz")[0] == 503, timeout_s=30, every_s=0.2)
        took = time.monotonic() - gone
        assert took >= 6, "not before BROKER_UNREACHABLE_S"
        assert "brokers" in orjson.loads(get(port, "/readyz")[1])["brokers"]
        assert get(port, "/healthz")[0] == 200, "an outage is no reason to restart the worker"
        assert "newsenrich_ready" in get(port, "/metrics")[1].decode()
        outage_lines = len(p.log("quotes").splitlines())
        await asyncio.sleep(10)
        broker.start()
        await wait_for(lambda: get(port, "/readyz")[0] == 200, timeout_s=90)
        spam = len(p.log("quotes").splitlines()) - outage_lines
        assert spam < 100, f"{spam} log lines for 10 s more of outage"
        articles = short_articles(3, "after-outage")
        await produce_many(p, articles)
        results = await p.collect(p.settings.topic_quotes, lambda ms: len(ms) >= 3, timeout_s=120)
        assert {m.key for m in results} == {k for k, _ in articles}
    finally:
        p.stop_all()
        broker.stop()
