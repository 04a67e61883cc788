"""`newsenrich up`: the whole pipeline on one machine, for trying it and for smoke tests.

Starts the embedded broker unless KAFKA_BOOTSTRAP_SERVERS is set, creates
the topics, runs the three workers as child processes (as containers would
run them), replays the seeds and prints each enriched article (JSON, one per
line on stdout) as it arrives. Every child is in its own process group and
is stopped on exit, Ctrl-C included, so nothing is left running.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aiokafka import AIOKafkaConsumer, TopicPartition

from newsenrich.config import Settings
from newsenrich.devtools.broker import EmbeddedBroker
from newsenrich.events.codec import loads
from newsenrich.runtime.admin import ensure_topics, wait_for_broker
from newsenrich.runtime.replay import replay

log = logging.getLogger(__name__)
WORKERS = ("entities", "quotes", "joiner")


def start_workers(
    env: dict[str, str], extra_entities: int = 0, workers: tuple[str, ...] = WORKERS
) -> list[subprocess.Popen[bytes]]:
    """One process per worker (plus `extra_entities` more NER workers in the same group).

    Each gets its own metrics port, METRICS_PORT + i on 127.0.0.1 (0 turns them off).
    """
    names = (*workers, *["entities"] * extra_entities)
    return [start_worker(env, name, i) for i, name in enumerate(names)]


def start_worker(env: dict[str, str], name: str, i: int) -> subprocess.Popen[bytes]:
    """Worker `name`, the `i`-th of `up`: its metrics on METRICS_PORT + i (0 turns them off)."""
    base = int(env.get("METRICS_PORT") or 9108)
    return subprocess.Popen(
        [sys.executable, "-m", "newsenrich.cli", "worker", name],
        env=env | {"METRICS_PORT": str(base + i if base else 0), "METRICS_HOST": "127.0.0.1"},
        stdout=sys.stderr,  # stdout is for enriched articles only
        start_new_session=True,
    )


RESTARTS = 3  # a worker that keeps dying is a fault to read about, not to retry for ever


def restart_dead(
    procs: list[subprocess.Popen[bytes]], env: dict[str, str], restarts: dict[int, int]
) -> str | None:
    """Restart each worker that exited, saying which and how; why `up` must stop, or None.

    Nothing is lost by a restart: the worker's group re-delivers what it had not acknowledged.
    """
    for i, p in enumerate(procs):
        if p.poll() is None:
            continue
        name = str(p.args[-1])  # type: ignore[index]
        if restarts.get(i, 0) >= RESTARTS:
            return f"worker {name} exited with code {p.returncode} {RESTARTS + 1} times; stopping"
        restarts[i] = restarts.get(i, 0) + 1
        print(
            f"newsenrich up: worker {name} exited with code {p.returncode}; "
            f"restarting it ({restarts[i]}/{RESTARTS})",
            file=sys.stderr,
        )
        procs[i] = start_worker(env, name, i)
    return None


def stop_processes(procs: list[subprocess.Popen[bytes]], grace_s: float = 15.0) -> None:
    """SIGTERM each process group, then SIGKILL what is still there after the grace period."""
    for p in procs:
        if p.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    for p in procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait()


async def _watch(
    settings: Settings,
    seeds: str,
    once: bool,
    timeout_s: float,
    fresh: bool,
    procs: list[subprocess.Popen[bytes]],
    env: dict[str, str] | None = None,
) -> int:
    restarts: dict[int, int] = {}
    consumer = AIOKafkaConsumer(**settings.kafka_client_kwargs(), enable_auto_commit=False)
    await consumer.start()
    try:
        topics = [settings.topic_enriched, settings.topic_deadletter]
        tps = []
        for t in topics:
            parts = consumer.partitions_for_topic(t) or set()
            if not parts:
                await consumer._client.force_metadata_update()  # topics were just created
                parts = consumer.partitions_for_topic(t) or set()
            tps += [TopicPartition(t, p) for p in sorted(parts)]
        consumer.assign(tps)
        if fresh:
            await consumer.seek_to_beginning(*tps)
        else:
            await consumer.seek_to_end(*tps)
        report = await replay([seeds], settings)
        waiting = set(report.ids)
        print(
            f"replayed {report.sent} articles from {seeds}; waiting for them on {settings.topic_enriched}",
            file=sys.stderr,
        )
        deadline = time.monotonic() + timeout_s
        while True:
            if once and not waiting:
                print("every replayed article came out enriched", file=sys.stderr)
                return 0
            if once and time.monotonic() > deadline:
                print(
                    f"newsenrich up: timed out after {timeout_s:.0f}s; never enriched: {sorted(waiting)}",
                    file=sys.stderr,
                )
                return 1
            why = restart_dead(procs, env if env is not None else dict(os.environ), restarts)
            if why:
                print(f"newsenrich up: {why}", file=sys.stderr)
                return 1
            batches = await consumer.getmany(timeout_ms=500)
            for tp, msgs in batches.items():
                for m in msgs:
                    if tp.topic == settings.topic_deadletter:
                        letter = loads(m.value)
                        print(
                            f"dead letter ({letter['stage']}): {letter['reason']}: {letter['detail']}",
                            file=sys.stderr,
                        )
                        continue
                    sys.stdout.buffer.write(m.value + b"\n")
                    sys.stdout.flush()
                    waiting.discard(m.key.decode() if m.key else "")
    finally:
        await consumer.stop()


def up(settings: Settings, *, once: bool, timeout_s: float, seeds: str, bootstrap: str | None = None) -> int:
    """The embedded broker, the three workers and the seed replay; `bootstrap` names another cluster.

    A KAFKA_BOOTSTRAP_SERVERS left in the shell is ignored (with a word said): replaying
    seeds into a cluster and joining its consumer groups must be asked for on the
    command line.
    """
    broker: EmbeddedBroker | None = None
    procs: list[subprocess.Popen[bytes]] = []
    env = dict(os.environ)
    fresh = False
    try:
        if bootstrap:
            settings = settings.model_copy(update={"bootstrap_servers": bootstrap})
            env["KAFKA_BOOTSTRAP_SERVERS"] = bootstrap
            print(f"broker: {bootstrap} (from --bootstrap)", file=sys.stderr)
        else:
            shell = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
            if shell:
                print(
                    f"ignoring KAFKA_BOOTSTRAP_SERVERS={shell} from the environment: "
                    "`newsenrich up` runs its own broker unless --bootstrap names another",
                    file=sys.stderr,
                )
            log_path = Path(tempfile.gettempdir()) / "newsenrich-tansu.log"
            broker = EmbeddedBroker(log_path=log_path)
            settings = settings.model_copy(
                update={"bootstrap_servers": broker.start(), "producer_idempotence": False}
            )
            print(f"broker: embedded Tansu on {settings.bootstrap_servers} (log {log_path})", file=sys.stderr)
            fresh = True
            env["KAFKA_BOOTSTRAP_SERVERS"] = settings.bootstrap_servers
            # Tansu holds every group join for half the session timeout: keep it short locally.
            env.setdefault("BROKER_SESSION_TIMEOUT_S", "6")
            env.setdefault("BROKER_HEARTBEAT_S", "1")
            env["PRODUCER_IDEMPOTENCE"] = "false"  # Tansu rejects InitProducerId
        print(f"topics: {', '.join(settings.topics())}", file=sys.stderr)
        env.setdefault("LOG_LEVEL", "warning")
        env.setdefault("LOG_FORMAT", "text")  # a person is reading this terminal
        asyncio.run(wait_for_broker(settings))
        asyncio.run(ensure_topics(settings))
        procs = start_workers(env)
        if not once:
            print("workers started; Ctrl-C stops everything", file=sys.stderr)
        return asyncio.run(
            _watch(settings, seeds, once, timeout_s if once else float("inf"), fresh, procs, env)
        )
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr)
        return 130
    finally:
        stop_processes(procs)
        if broker is not None:
            broker.stop()
