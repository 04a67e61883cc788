"""The faust app of a worker and the topics it uses, declared in one place."""

from __future__ import annotations

from dataclasses import dataclass

import faust

from newsenrich.config import Settings


@dataclass(frozen=True)
class Topics:
    raw: faust.TopicT
    entities: faust.TopicT
    quotes: faust.TopicT
    enriched: faust.TopicT
    deadletter: faust.TopicT


def make_app(worker: str, settings: Settings) -> tuple[faust.App, Topics]:
    """A faust app whose consumer group is `<APP_PREFIX>-<worker>`.

    Values stay bytes on the wire: decoding happens in our code so a bad
    message becomes a dead letter with a reason instead of a faust crash.
    Producers wait for all in-sync replicas (acks=all); idempotence stays off
    because Tansu rejects InitProducerId and the outputs are idempotent by key.
    """
    (settings.data_dir / worker).mkdir(parents=True, exist_ok=True)
    app = faust.App(
        f"{settings.app_prefix}-{worker}",
        broker=[f"kafka://{h.strip()}" for h in settings.bootstrap_servers.split(",")],
        key_serializer="raw",
        value_serializer="raw",
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication,
        broker_session_timeout=settings.broker_session_timeout_s,
        broker_heartbeat_interval=settings.broker_heartbeat_s,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        datadir=str(settings.data_dir / worker),
        web_enabled=False,
        store="memory://",
    )

    def topic(name: str) -> faust.TopicT:
        return app.topic(name, key_type=bytes, value_type=bytes, partitions=settings.topic_partitions)

    topics = Topics(
        raw=topic(settings.topic_raw),
        entities=topic(settings.topic_entities),
        quotes=topic(settings.topic_quotes),
        enriched=topic(settings.topic_enriched),
        deadletter=topic(settings.topic_deadletter),
    )
    return app, topics
