"""Consumer lag as Kafka tools count it, and whether the brokers answer at all.

The lag is the log end offset minus the group's committed offset, per input
partition: what would be read again if the worker died now, and what waits.
The fetch position, which the gauge used to read, runs ahead of the commits
by everything fetched and buffered, and stops moving when faust pauses a
partition, so it read 4 while 3,000 articles waited.

The log ends are asked of the brokers each time (ListOffsets, through faust's
consumer); the committed offsets are those faust read from the group when
the partitions were assigned and has committed since. The same request
failing is how a worker learns that the brokers are gone. (A second client
in the worker's group, asking for its offsets, was tried first: on Tansu it
left a restarted joiner without messages.)
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from newsenrich.observability import CONSUMER_LAG, Health


async def measure_lag(consumer: Any, health: Health, timeout_s: float = 5.0) -> None:
    """Update the lag gauge for the assigned input partitions of faust's `consumer`, and note
    in `health` whether the brokers answered within `timeout_s`."""
    tps = [tp for tp in consumer.assignment() if tp.topic in health.inputs]
    try:
        lags = await asyncio.wait_for(_lags(consumer, tps), timeout_s)
    except Exception as exc:  # an outage shows as a timeout, a connection error or no leader
        health.unreachable(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
        return
    health.reachable()
    now = {(tp.topic, tp.partition): lag for tp, lag in lags.items()}
    for topic, partition in set(health.lag) - set(now):  # revoked: no longer this worker's
        with contextlib.suppress(KeyError):
            CONSUMER_LAG.remove(health.worker, topic, str(partition))
    health.lag = now
    for (topic, partition), lag in now.items():
        CONSUMER_LAG.labels(health.worker, topic, str(partition)).set(lag)


async def _lags(consumer: Any, tps: list[Any]) -> dict[Any, int]:
    if not tps:
        # still ask the brokers something: an idle worker sees outages too
        await consumer.earliest_offsets(*consumer.assignment())
        return {}
    ends = await consumer.highwaters(*tps)
    committed = {tp: consumer._committed_offset.get(tp) for tp in tps}  # faust keeps no public view
    missing = [tp for tp, c in committed.items() if c is None]
    if missing:  # nothing committed yet: the group starts from the earliest offset
        committed |= await consumer.earliest_offsets(*missing)
    return {tp: max(0, (ends[tp] or 0) - committed[tp]) for tp in tps}
