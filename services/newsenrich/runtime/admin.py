"""Topic administration: create the service's topics, wait for the brokers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from newsenrich.config import Settings

log = logging.getLogger(__name__)


async def ensure_topics(settings: Settings) -> None:
    """Create the service's topics that do not exist yet; existing ones are left as they are."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic
    from aiokafka.errors import TopicAlreadyExistsError

    names, partitions, replication = settings.topics(), settings.topic_partitions, settings.topic_replication
    configs = settings.topic_configs()
    admin = AIOKafkaAdminClient(**settings.kafka_client_kwargs())
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [n for n in names if n not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):
                await admin.create_topics(
                    [
                        NewTopic(
                            n,
                            num_partitions=partitions,
                            replication_factor=replication,
                            topic_configs=configs.get(n, {}),
                        )
                        for n in missing
                    ]
                )
            log.info("created topics %s (%d partitions)", missing, partitions)
    finally:
        await admin.close()


async def wait_for_broker(settings: Settings, timeout_s: float = 60.0) -> None:
    """Return once a metadata request succeeds: the broker is up, not just listening."""
    from aiokafka import AIOKafkaClient

    deadline = time.monotonic() + timeout_s
    quiet = logging.getLogger("aiokafka")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # one line per failed attempt, for two minutes, helps nobody
    try:
        while True:
            client = AIOKafkaClient(**settings.kafka_client_kwargs())
            try:
                await client.bootstrap()
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.5)
            finally:
                await client.close()
    finally:
        quiet.setLevel(level)
