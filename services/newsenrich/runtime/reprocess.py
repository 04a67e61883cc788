"""Re-enrich a time range: new groups for the raw topic's readers, starting at a point in time.

After new models or rules ship, the raw articles of a period are enriched
again by new consumer groups: `reprocess --since TIME` commits, for the
entities and quotes groups of the next REPROCESS_EPOCH, the raw topic's
offsets at TIME; the new deploy's workers, started with that epoch, read the
range and go on with live articles. The joiner (its group and state
unchanged) sees halves of a new enrichment version and writes new records
that replace the old ones on the compacted enriched topic; halves of an
unchanged version are recognised as duplicates and write nothing.

New groups rather than resetting the running ones: a reset needs every
member of a group gone first and is overwritten by the next commit of one
that is not, while a group nobody has used takes a commit from outside at
once, on Kafka and on Tansu alike, and the old deploy's groups are left as
they were (the way back is the old epoch).
"""

from __future__ import annotations

from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from newsenrich.config import Settings
from newsenrich.runtime.offsets import log_ends, offset_at

RAW_READERS = ("entities", "quotes")


class GroupUsed(Exception):
    """The new epoch's group already has committed offsets: it was used before."""


@dataclass(frozen=True)
class Reset:
    group: str
    offsets: dict[int, int]  # partition -> the first offset read again
    ends: dict[int, int]  # partition -> log end when reset

    @property
    def articles(self) -> int:
        return sum(self.ends[p] - o for p, o in self.offsets.items())


async def reprocess(
    settings: Settings, since_ms: int, epoch: int, workers: tuple[str, ...] = RAW_READERS
) -> list[Reset]:
    """Commit the raw topic's offsets at `since_ms` for `workers`' groups of `epoch`."""
    if epoch <= 0:
        raise ValueError("a reprocessing epoch is a number above 0")
    groups = [settings.group_id(w, epoch) for w in workers]
    return [await _start_at(settings, group, since_ms) for group in groups]


async def _start_at(settings: Settings, group: str, since_ms: int) -> Reset:
    consumer = AIOKafkaConsumer(**settings.kafka_client_kwargs(), group_id=group, enable_auto_commit=False)
    await consumer.start()
    try:
        partitions = consumer.partitions_for_topic(settings.topic_raw)
        if partitions is None:
            await consumer.topics()
            partitions = consumer.partitions_for_topic(settings.topic_raw)
        if not partitions:
            raise KafkaError(f"no topic {settings.topic_raw} on the brokers")
        tps = [TopicPartition(settings.topic_raw, p) for p in sorted(partitions)]
        consumer.assign(tps)
        used = {tp.partition: c for tp in tps if (c := await consumer.committed(tp)) is not None}
        if used:
            raise GroupUsed(
                f"group {group} already has committed offsets {used}: that epoch was used; "
                "reprocess with a higher --epoch"
            )
        ends = await log_ends(consumer, tps)
        offsets = {tp: await offset_at(consumer, tp, since_ms) for tp in tps}
        await consumer.commit(offsets)
        return Reset(
            group, {tp.partition: o for tp, o in offsets.items()}, {tp.partition: ends[tp] for tp in tps}
        )
    finally:
        await consumer.stop()
