"""Consumer lag as Kafka tools count it, and whether the brokers answer at all.

The lag is the log end offset minus the group's committed offset, per input
partition: what would be read again if the worker died now, and what waits.
The fetch position, which the gauge used to read, runs ahead of the commits
by everything fetched and buffered, and stops moving when faust pauses a
partition, so it read 4 while 3,000 articles waited.

The probe is its own client of the group (it never joins it: it only asks for
the committed offsets and the log ends), so it measures what the broker
knows, not what this process believes; the same requests failing is how a
worker learns that the brokers are gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from newsenrich.config import Settings
from newsenrich.observability import CONSUMER_LAG, Health

log = logging.getLogger(__name__)


class LagProbe:
    def __init__(self, settings: Settings, group: str, health: Health, timeout_s: float = 5.0):
        self.settings = settings
        self.group = group
        self.health = health
        self.timeout_s = timeout_s
        self._client: AIOKafkaConsumer | None = None

    async def _consumer(self) -> AIOKafkaConsumer:
        if self._client is None:
            client = AIOKafkaConsumer(
                **self.settings.kafka_client_kwargs(),
                group_id=self.group,
                enable_auto_commit=False,
                request_timeout_ms=int(self.timeout_s * 1000),
            )
            await client.start()
            self._client = client
        return self._client

    async def measure(self, assigned: set[Any]) -> None:
        """Update the lag gauge for the assigned input partitions; note whether the brokers answered."""
        tps = sorted(
            (TopicPartition(tp.topic, tp.partition) for tp in assigned if tp.topic in self.health.inputs),
            key=lambda tp: (tp.topic, tp.partition),
        )
        try:
            lags = await asyncio.wait_for(self._lags(tps), self.timeout_s)
        except Exception as exc:  # an outage shows as a timeout, a connection error or no coordinator
            if self._client is not None:
                client, self._client = self._client, None
                asyncio.get_running_loop().create_task(_close(client))
            self.health.unreachable(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
            return
        self.health.reachable()
        now = {(tp.topic, tp.partition): lag for tp, lag in lags.items()}
        for topic, partition in set(self.health.lag) - set(now):  # revoked: no longer this worker's
            with contextlib.suppress(KeyError):
                CONSUMER_LAG.remove(self.health.worker, topic, str(partition))
        self.health.lag = now
        for (topic, partition), lag in now.items():
            CONSUMER_LAG.labels(self.health.worker, topic, str(partition)).set(lag)

    async def _lags(self, tps: list[TopicPartition]) -> dict[TopicPartition, int]:
        consumer = await self._consumer()
        if not tps:
            await consumer.topics()  # still ask the brokers something: an idle worker sees outages too
            return {}
        ends = await consumer.end_offsets(tps)
        out = {}
        for tp in tps:
            committed = await consumer.committed(tp)
            if committed is None:  # nothing committed yet: the group starts from the earliest offset
                committed = (await consumer.beginning_offsets([tp]))[tp]
            out[tp] = max(0, ends[tp] - committed)
        return out

    async def close(self) -> None:
        if self._client is not None:
            await _close(self._client)
            self._client = None


async def _close(client: AIOKafkaConsumer) -> None:
    try:
        await asyncio.wait_for(client.stop(), 5)
    except Exception:  # stopping a client of a broker that is gone
        log.debug("lag probe client did not stop cleanly", exc_info=True)
