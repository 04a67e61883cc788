"""`newsenrich replay`: produce seed or dump articles to the raw topic, keyed by id, paced."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from aiokafka import AIOKafkaProducer

from newsenrich.config import Settings
from newsenrich.sources import read_records

log = logging.getLogger(__name__)


@dataclass
class ReplayReport:
    sent: int
    seconds: float
    ids: list[str]


async def replay(
    paths: Iterable[str], settings: Settings, *, rate: float = 0.0, loop: bool = False
) -> ReplayReport:
    """Send every record once (or forever with `loop`), `rate` per second (0 = unpaced)."""
    records = list(read_records(paths))
    if not records:
        raise SystemExit("replay: no articles found in the paths given")
    producer = AIOKafkaProducer(
        **settings.kafka_client_kwargs(),
        acks="all",
        linger_ms=5,
        enable_idempotence=settings.producer_idempotence,
    )
    try:
        await producer.start()
    except BaseException:
        await producer.stop()  # no "Unclosed AIOKafkaProducer" after a broker that did not answer
        raise
    start = time.monotonic()
    sent = 0
    ids: list[str] = []
    try:
        while True:
            for rec in records:
                if rate > 0:
                    due = start + sent / rate
                    await asyncio.sleep(max(0.0, due - time.monotonic()))
                meta = await producer.send_and_wait(settings.topic_raw, rec.value, key=rec.key)
                sent += 1
                ids.append(rec.key.decode() if rec.key else "?")
                log.info("sent %s -> %s/%d@%d", rec.origin, meta.topic, meta.partition, meta.offset)
            if not loop:
                break
    finally:
        await producer.stop()
    return ReplayReport(sent, time.monotonic() - start, ids)
