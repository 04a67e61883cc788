"""A real Kafka-protocol broker (Tansu) for the whole session, and a pipeline per test.

Each test gets its own topics and consumer groups (a unique suffix), so tests
never see each other's messages on the shared broker. Workers run as child
processes exactly as `newsenrich worker NAME` runs in a container, which is
what lets a test SIGKILL one.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.structs import ConsumerRecord

from newsenrich.config import Settings
from newsenrich.devtools.broker import EmbeddedBroker, free_port
from newsenrich.runtime.admin import ensure_topics

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def broker(tmp_path_factory: pytest.TempPathFactory) -> str:
    log = tmp_path_factory.mktemp("tansu") / "tansu.log"
    b = EmbeddedBroker(log_path=log)
    b.start()
    yield b.bootstrap
    b.stop()


class Pipeline:
    def __init__(self, bootstrap: str, workdir: Path, stanza_dir: Path):
        suffix = uuid.uuid4().hex[:8]
        self.env = dict(os.environ) | {
            "KAFKA_BOOTSTRAP_SERVERS": bootstrap,
            "TOPIC_RAW": f"raw-{suffix}",
            "TOPIC_ENTITIES": f"entities-{suffix}",
            "TOPIC_QUOTES": f"quotes-{suffix}",
            "TOPIC_ENRICHED": f"enriched-{suffix}",
            "TOPIC_DEADLETTER": f"deadletter-{suffix}",
            "TOPIC_PARTITIONS": "2",
            "APP_PREFIX": f"test-{suffix}",
            # Tansu holds each group join for half the session timeout.
            "BROKER_SESSION_TIMEOUT_S": "6",
            "BROKER_HEARTBEAT_S": "1",
            "PRODUCER_IDEMPOTENCE": "false",  # Tansu rejects InitProducerId
            "BATCH_SIZE": "2",
            "BATCH_WITHIN_S": "0.2",
            "TORCH_THREADS": "1",
            "MAX_BODY_CHARS": "20000",
            "NEWSENRICH_DATA_DIR": str(workdir / "state"),
            "STANZA_RESOURCES_DIR": str(stanza_dir),
            "LOG_LEVEL": "info",
        }
        self.settings = Settings.from_env(self.env)
        self.workdir = workdir
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.ports: dict[str, int] = {}

    async def create_topics(self) -> None:
        s = self.settings
        await ensure_topics(s)

    def start(self, *names: str, **env: str) -> None:
        for name in names:
            log = (self.workdir / f"{name}.log").open("ab")
            self.ports[name] = free_port()
            self.procs[name] = subprocess.Popen(
                [sys.executable, "-m", "newsenrich.cli", "worker", name],
                env=self.env | {"METRICS_PORT": str(self.ports[name]), "METRICS_HOST": "127.0.0.1"} | env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        p = self.procs.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(p.pid, sig)
        p.wait(timeout=30)

    def stop_all(self) -> None:
        for name in list(self.procs):
            self.kill(name, signal.SIGTERM)

    def log(self, name: str) -> str:
        return (self.workdir / f"{name}.log").read_text(errors="replace")

    async def produce(self, messages: list[tuple[bytes | None, bytes]]) -> None:
        await self.produce_to([(self.settings.topic_raw, key, value) for key, value in messages])

    async def produce_to(self, messages: list[tuple[str, bytes | None, bytes]]) -> None:
        producer = AIOKafkaProducer(**self.settings.kafka_client_kwargs(), acks="all")
        await producer.start()
        try:
            for topic, key, value in messages:
                await producer.send_and_wait(topic, value, key=key)
        finally:
            await producer.stop()

    async def collect(
        self,
        topic: str,
        done: Callable[[list[ConsumerRecord]], bool],
        timeout_s: float = 120.0,
        settle_s: float = 0.0,
    ) -> list[ConsumerRecord]:
        """Every message on `topic` from the beginning, once `done(messages)` holds.

        `settle_s` keeps reading that much longer after, so a test can assert that
        nothing more (a duplicate) arrives.
        """
        consumer = AIOKafkaConsumer(
            bootstrap_servers=self.settings.bootstrap_servers, enable_auto_commit=False
        )
        await consumer.start()
        try:
            tps = [TopicPartition(topic, p) for p in range(self.settings.topic_partitions)]
            consumer.assign(tps)
            await consumer.seek_to_beginning(*tps)
            got: list[ConsumerRecord] = []
            deadline = time.monotonic() + timeout_s
            settle_until: float | None = None
            while True:
                for msgs in (await consumer.getmany(timeout_ms=300)).values():
                    got.extend(msgs)
                now = time.monotonic()
                if settle_until is None and done(got):
                    settle_until = now + settle_s
                if settle_until is not None and now >= settle_until:
                    return got
                if now > deadline:
                    dead = {n: p.returncode for n, p in self.procs.items() if p.poll() is not None}
                    raise AssertionError(
                        f"timed out on {topic} with {len(got)} messages; exited workers: {dead}"
                    )
                await asyncio.sleep(0)
        finally:
            await consumer.stop()


@pytest.fixture
async def pipeline(broker: str, tmp_path: Path, stanza_dir: Path):
    p = Pipeline(broker, tmp_path, stanza_dir)
    await p.create_topics()
    yield p
    p.stop_all()
