"""The faust app of a worker, the topics it uses, and its health: declared in one place.

Three private faust hooks stay, each for a measured reason: the consumer thread
class (faust fixes the fetch wait at 1.5 s; CONSUMER_FETCH_MAX_WAIT_MS sets it),
in `loop.take_batches`, the stream's passive drainer (faust's own `noack_take`
wakes on a fixed clock and costs an idle joiner CPU), and table recovery's
highwater (`recovery.py`: on Tansu it stopped short of the changelog's end and
lost halves).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import faust
from faust.transport.drivers import aiokafka as aiokafka_driver

from newsenrich.config import ENV, Settings
from newsenrich.observability import Health, serve
from newsenrich.runtime.lag import measure_lag
from newsenrich.runtime.recovery import ChangelogTables
from newsenrich.stages.base import DEADLETTER, ENRICHED, ENTITIES, QUOTES, RAW

log = logging.getLogger(__name__)


class _ConsumerThread(aiokafka_driver.AIOKafkaConsumerThread):
    # make_app sets the configured value; the default is the setting's, not a second literal
    fetch_max_wait_ms = int(ENV["CONSUMER_FETCH_MAX_WAIT_MS"][0])

    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        # faust hard-codes fetch_max_wait_ms=1500. Kafka answers a fetch as soon as data
        # arrives whatever the limit, but Tansu answers late in proportion to it (measured:
        # up to ~0.9 s at 2000 ms, ~0.15 s at 500 ms, ~0.05 s at 100 ms), so the limit is
        # CONSUMER_FETCH_MAX_WAIT_MS.
        consumer._fetch_max_wait_ms = self.fetch_max_wait_ms
        return consumer


class _Consumer(aiokafka_driver.Consumer):
    def _new_consumer_thread(self) -> _ConsumerThread:
        return _ConsumerThread(self, loop=self.loop, beacon=self.beacon)


class _Producer(aiokafka_driver.Producer):
    idempotence = True  # make_app sets PRODUCER_IDEMPOTENCE

    def _settings_extra(self) -> Mapping[str, Any]:
        # faust turns idempotence on only inside transactions (exactly_once). At least once
        # needs it too: without it, aiokafka re-sends a batch whose acknowledgement a broker
        # crash lost, and the record is written twice (measured on Tansu, which lacks it).
        extra = dict(super()._settings_extra())
        if self.idempotence:
            extra.setdefault("enable_idempotence", True)
        return extra


class _Transport(aiokafka_driver.Transport):
    Consumer = _Consumer
    Producer = _Producer


class _App(faust.App):
    """faust's App, with our transport and a hook that runs the moment stopping begins.

    faust sends `on_before_shutdown` only after it has waited for every stream to
    drain and committed: with the broker gone that commit never returns, so a
    SIGTERM would hang. `on_stopping` callbacks run first thing in `on_stop`.
    """

    on_stopping: list[Callable[[], None]]
    client_kwargs: dict[str, Any]  # for the clients of its own a worker makes (table recovery)

    def _new_transport(self) -> Any:
        return _Transport(self.conf.broker_consumer, self)

    async def on_stop(self) -> None:
        for callback in getattr(self, "on_stopping", ()):
            callback()
        await super().on_stop()


@dataclass(frozen=True)
class Topics:
    raw: faust.TopicT
    entities: faust.TopicT
    quotes: faust.TopicT
    enriched: faust.TopicT
    deadletter: faust.TopicT

    @property
    def names(self) -> dict[str, str]:
        """Topic role (the stages' names for them) -> topic name (the TOPIC_* settings)."""
        return {
            role: getattr(self, role).get_topic_name()
            for role in (RAW, ENTITIES, QUOTES, ENRICHED, DEADLETTER)
        }


# Room above MAX_MESSAGE_BYTES for what a produce request adds around one record (headers,
# batch and request framing, a few hundred bytes in practice).
REQUEST_FRAMING_BYTES = 64 * 1024


def make_app(worker: str, settings: Settings, inputs: frozenset[str]) -> tuple[faust.App, Topics, Health]:
    """A faust app whose consumer group is `Settings.group_id(worker)`, with metrics and probes.

    Values stay bytes on the wire: decoding happens in our code so a bad
    message becomes a dead letter with a reason instead of a faust crash.
    Producers wait for all in-sync replicas (acks=all) and are idempotent unless
    PRODUCER_IDEMPOTENCE is false (Tansu rejects InitProducerId).
    """
    (settings.data_dir / worker).mkdir(parents=True, exist_ok=True)
    _ConsumerThread.fetch_max_wait_ms = settings.consumer_fetch_max_wait_ms
    _Producer.idempotence = settings.producer_idempotence
    app = _App(
        settings.group_id(worker),
        broker=[f"kafka://{h.strip()}" for h in settings.bootstrap_servers.split(",")],
        key_serializer="raw",
        value_serializer="raw",
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication,
        broker_session_timeout=settings.broker_session_timeout_s,
        broker_heartbeat_interval=settings.broker_heartbeat_s,
        consumer_auto_offset_reset="earliest",
        broker_credentials=faust_credentials(settings),
        producer_acks=-1,
        # The producer's own limit follows MAX_MESSAGE_BYTES (with room for the request's
        # framing): left at its 1 MB default, a result between 1 MB and a raised limit was
        # refused at send time, and its dead letter, cut to fit MAX_MESSAGE_BYTES, was
        # refused again on every retry, which held the stage for good.
        producer_max_request_size=settings.max_message_bytes + REQUEST_FRAMING_BYTES,
        consumer_max_fetch_size=max(4 * 1024 * 1024, settings.max_message_bytes + REQUEST_FRAMING_BYTES),
        datadir=str(settings.data_dir / worker),
        web_enabled=False,
        store="memory://",
        TableManager=ChangelogTables,
        # After a broker restart that lost or rewound the joiner's changelog (Tansu keeps
        # everything in memory; its end offsets are also known to be wrong), faust's check
        # finds the table's recorded offset above the changelog's highwater and stops the
        # worker with ConsistencyError for good. The table's state is still the best record
        # of what was emitted, so recovery goes on from it instead of stopping the joiner.
        recovery_consistency_check=False,
    )
    app.client_kwargs = settings.kafka_client_kwargs()
    health = Health(worker, settings.liveness_stall_s, inputs, settings.broker_unreachable_s)

    def topic(name: str) -> faust.TopicT:
        return app.topic(name, key_type=bytes, value_type=bytes, partitions=settings.topic_partitions)

    topics = Topics(
        raw=topic(settings.topic_raw),
        entities=topic(settings.topic_entities),
        quotes=topic(settings.topic_quotes),
        enriched=topic(settings.topic_enriched),
        deadletter=topic(settings.topic_deadletter),
    )

    if settings.metrics_port:

        @app.task
        async def start_probes() -> None:
            await serve(health, settings.metrics_host, settings.metrics_port)
            log.info("metrics and probes on %s:%d", settings.metrics_host, settings.metrics_port)

    @app.on_rebalance_complete.connect
    async def assigned(sender: faust.App, **kwargs: object) -> None:
        health.assigned = True
        health.progress()  # a rebalance is progress: the clock starts again

    @app.timer(interval=min(5.0, settings.liveness_stall_s / 2, settings.broker_unreachable_s / 3))
    async def lag_and_brokers() -> None:
        await measure_lag(app.consumer, health)

    return app, topics, health


def faust_credentials(settings: Settings) -> object | None:
    """SASL or TLS credentials for faust, from the settings (the password unwrapped only here)."""
    if settings.security_protocol.startswith("SASL"):
        return faust.SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password.get_secret_value(),
            mechanism=settings.sasl_mechanism,
            ssl_context=settings.ssl_context(),
        )
    if settings.security_protocol == "SSL":
        return faust.SSLCredentials(settings.ssl_context())
    return None
