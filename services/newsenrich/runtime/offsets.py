"""Offsets by time and log ends, on brokers that answer those questions and on one that does not,
read by a short-lived client of the worker's own beside faust's consumer."""

from __future__ import annotations

import contextlib
import time
from collections.abc import AsyncIterator
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential


def retried(attempts: int, max_wait_s: float) -> AsyncRetrying:
    """Retries for a side client's reads: any failure (a broker restarting, a leader moving) is
    tried again with a growing wait, up to `attempts`, then raised."""
    return AsyncRetrying(
        retry=retry_if_exception_type(Exception),
        wait=wait_exponential(multiplier=0.5, max=max_wait_s),
        stop=stop_after_attempt(attempts),
        reraise=True,
    )


@contextlib.asynccontextmanager
async def side_reader(
    client_kwargs: dict[str, Any], tps: list[TopicPartition], **kwargs: Any
) -> AsyncIterator[AIOKafkaConsumer]:
    """A consumer outside any group, assigned `tps`, stopped on leaving: faust's own consumer
    cannot be moved around a partition without disturbing the stream it feeds."""
    consumer = AIOKafkaConsumer(**client_kwargs, enable_auto_commit=False, **kwargs)
    await consumer.start()
    try:
        consumer.assign(tps)
        yield consumer
    finally:
        await consumer.stop()


async def offset_at(consumer: AIOKafkaConsumer, tp: TopicPartition, ts_ms: int) -> int:
    """The first offset of `tp` whose record timestamp is at or after `ts_ms` (the log end if none).

    `tp` must be assigned to `consumer`; its position is moved. Kafka answers
    with ListOffsets. Tansu answers offset 0 with timestamp -1 whatever is
    asked, so when a broker gives no timestamp the offset is found by a binary
    search over the records' own timestamps (a few fetches of one record).
    """
    start = (await consumer.beginning_offsets([tp]))[tp]
    end = (await consumer.end_offsets([tp]))[tp]
    found = (await consumer.offsets_for_times({tp: ts_ms}))[tp]
    if found is None:
        return end
    if found.timestamp is not None and found.timestamp >= 0:
        return found.offset
    lo, hi = start, end
    while lo < hi:
        mid = (lo + hi) // 2
        consumer.seek(tp, mid)
        records = (await consumer.getmany(tp, timeout_ms=2000, max_records=1)).get(tp, [])
        if not records:  # nothing from mid on (compacted away): the answer is below
            hi = mid
        elif records[0].timestamp < ts_ms:
            lo = records[0].offset + 1
        else:
            hi = mid
    return lo


async def log_ends(
    consumer: AIOKafkaConsumer, tps: list[TopicPartition], *, within_s: float = 10.0
) -> dict[TopicPartition, int]:
    """The offset after each partition's last record, read rather than only asked.

    `tps` must be assigned to `consumer`; their positions are moved. Kafka's
    ListOffsets gives the log end. Tansu gives the base offset of the last
    batch plus one, so the rest of that batch is not counted; reading on from
    the answer until a fetch comes back empty finds it. On Kafka that costs
    one empty fetch. Reading stops after `within_s` even if records keep coming
    (a log another client is writing to has no settled end).
    """
    ends: dict[TopicPartition, int] = dict(await consumer.end_offsets(tps))
    for tp in tps:
        consumer.seek(tp, ends[tp])
    deadline = time.monotonic() + within_s
    while tps and time.monotonic() < deadline:
        got = await consumer.getmany(*tps, timeout_ms=1000)
        if not any(got.values()):
            break
        for tp, records in got.items():
            if records:
                ends[tp] = max(ends[tp], records[-1].offset + 1)
    return ends
