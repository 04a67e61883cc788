"""What a joiner must read before it pairs re-delivered halves: the records already out.

The joiner writes an enriched record, then its state saying so, then
acknowledges the halves. Killed between the first write and the commit of the
last, it leaves records on the output topic that its recovered state may not
know of (the state write was still buffered, or the changelog was not read to
its end), and the halves come again: without this, they would be joined and
written a second time (9 copies for 300 articles after one SIGKILL).

So the first time a joiner sees an input partition after being assigned it,
it reads the output topic's partition of the same number (all topics have
TOPIC_PARTITIONS partitions and are keyed by article id, so the halves of
partition p are joined into partition p) from shortly before the first
re-delivered half was written to the end, and records each article found
there as emitted. Anything written from a re-delivered half was written after
that half, so nothing the crash left is missed; the read covers at most what
was written since the oldest uncommitted half, not the topic's history.
"""

from __future__ import annotations

import logging
import time
from collections.abc import MutableMapping

import orjson
from aiokafka import TopicPartition

from newsenrich.config import Settings
from newsenrich.events.codec import dumps, loads
from newsenrich.join import already_out
from newsenrich.runtime.offsets import offset_at, retried, side_reader
from newsenrich.stages.base import Message

log = logging.getLogger(__name__)

# How far before the first re-delivered half to start reading: the halves are stamped by the
# clocks of the entities and quotes workers, the records by the joiner's, and clocks drift.
CLOCK_SKEW_MS = 60_000


class OutputFence:
    """Per assignment: which input partitions were caught up with the output topic."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.topic = settings.topic_enriched
        self.caught_up: set[tuple[str, int]] = set()

    def reset(self) -> None:
        """A new assignment: partitions may come with halves another joiner left half done."""
        self.caught_up.clear()

    async def catch_up(self, batch: list[Message], state: MutableMapping[str, bytes]) -> int:
        """Before `batch` is joined: record in `state` what is already out for its new partitions.

        Returns how many records were read.
        """
        since: dict[int, int] = {}
        new = {(m.topic, m.partition) for m in batch} - self.caught_up
        if not new:
            return 0
        for m in batch:
            if (m.topic, m.partition) in new:
                ts = m.timestamp_ms or 0
                since[m.partition] = min(since.get(m.partition, ts), ts)
        async for attempt in retried(attempts=20, max_wait_s=10):
            with attempt:
                found = await self._read(since)
        now = time.time()
        for key, (fingerprint, offset, models) in found.items():
            current = state.get(key)
            after = already_out(loads(current) if current else None, fingerprint, offset, models, now)
            state[key] = dumps(after)
        self.caught_up |= new
        n = len(found)
        if found:
            log.info("caught up with %s: %d articles already out in %s", self.topic, n, sorted(since))
        return n

    async def _read(self, since: dict[int, int]) -> dict[str, tuple[str, int, dict[str, object]]]:
        """The last record per article id in each partition from `since[p]` - skew to its end."""
        found: dict[str, tuple[str, int, dict[str, object]]] = {}
        tps = [TopicPartition(self.topic, p) for p in sorted(since)]
        kwargs = self.settings.kafka_client_kwargs()
        async with side_reader(kwargs, tps, auto_offset_reset="earliest") as consumer:
            ends = await consumer.end_offsets(tps)
            for tp in tps:
                start = await offset_at(consumer, tp, max(0, since[tp.partition] - CLOCK_SKEW_MS))
                consumer.seek(tp, start)
                position = start
                while position < ends[tp]:
                    got = (await consumer.getmany(tp, timeout_ms=2000)).get(tp, [])
                    if not got:
                        break  # the end moved back (a compacted tail): nothing more to read
                    for record in got:
                        position = record.offset + 1
                        _remember(found, record.value)
        return found


def _remember(found: dict[str, tuple[str, int, dict[str, object]]], value: bytes | None) -> None:
    if not value:
        return  # a tombstone
    try:
        record = orjson.loads(value)
        offset = record["raw_position"]["offset"]
        found[record["id"]] = (record["fingerprint"], offset, record.get("models") or {})
    except (orjson.JSONDecodeError, KeyError, TypeError):
        log.warning("a record on the enriched topic without id, fingerprint or raw position; skipped")
