"""Finding the offset at a point in time, on brokers that answer the question and on one that does not."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, TopicPartition


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
