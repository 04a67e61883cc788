"""Log ends and offsets by time, asked of the embedded broker, whose answers need checking."""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
from aiokafka import AIOKafkaProducer, TopicPartition

from newsenrich.runtime.offsets import log_ends, offset_at, side_reader

pytestmark = pytest.mark.integration


async def _produce_batched(broker: str, topic: str, n: int) -> list[int]:
    """`n` records to partition 0, sent together so that the client puts them in few batches."""
    producer = AIOKafkaProducer(bootstrap_servers=broker, linger_ms=50)
    await producer.start()
    try:
        futures = [await producer.send(topic, b"v%d" % i, partition=0) for i in range(n)]
        return [(await f).offset for f in futures]
    finally:
        await producer.stop()


async def test_the_log_end_counts_every_record_of_the_last_batch(broker: str):
    topic = f"ends-{uuid.uuid4().hex[:8]}"
    await _produce_batched(broker, topic, 3)
    offsets = await _produce_batched(broker, topic, 10)
    tp = TopicPartition(topic, 0)
    async with side_reader({"bootstrap_servers": broker}, [tp]) as consumer:
        ends = await log_ends(consumer, [tp])
    assert ends[tp] == offsets[-1] + 1 == 13


async def test_offset_at_finds_the_first_record_at_or_after_a_time(broker: str):
    topic = f"times-{uuid.uuid4().hex[:8]}"
    await _produce_batched(broker, topic, 4)
    await asyncio.sleep(0.05)
    middle_ms = int(time.time() * 1000)
    await asyncio.sleep(0.05)
    later = await _produce_batched(broker, topic, 4)
    tp = TopicPartition(topic, 0)
    async with side_reader({"bootstrap_servers": broker}, [tp]) as consumer:
        assert await offset_at(consumer, tp, middle_ms) == later[0] == 4
        assert await offset_at(consumer, tp, 0) == 0
