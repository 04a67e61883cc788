"""Metrics, health and logs of a worker: what the people who run it watch.

Each worker serves, on METRICS_PORT:
* `/metrics`: Prometheus metrics (counters, stage latency histograms, batch
  sizes, model load time, consumer lag);
* `/readyz`: 200 once the models are loaded and the consumer has joined its
  group and been given its partitions (an idle replica with none is ready too),
  and 503 while the brokers have not answered for BROKER_UNREACHABLE_S (an
  outage: the worker does nothing, but a restart would not help, so it stays
  live);
* `/healthz`: 200 unless the worker has messages waiting and has made no
  progress for LIVENESS_STALL_S, the stuck-consumer failure mode (after a
  broker outage faust can sit on an assignment and fetch nothing), or its
  agent has crashed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
import time
from collections.abc import Iterator
from typing import Any

import orjson
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

ARTICLES_IN = Counter("newsenrich_articles_in_total", "messages read", ["worker"])
ARTICLES_OUT = Counter("newsenrich_articles_out_total", "results produced", ["worker"])
DEAD_LETTERS = Counter("newsenrich_deadletters_total", "messages dead-lettered", ["worker", "reason"])
DUPLICATES = Counter("newsenrich_join_skipped_total", "halves the joiner dropped", ["what"])
STAGE_SECONDS = Histogram(
    "newsenrich_stage_seconds",
    "processing time per stage; end_to_end is raw message timestamp -> enriched",
    ["stage"],
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300),
)
BATCH_SIZE = Histogram(
    "newsenrich_batch_size", "articles per batch", ["worker"], buckets=(1, 2, 4, 8, 16, 32, 64, 128)
)
MODEL_LOAD_SECONDS = Gauge("newsenrich_model_load_seconds", "time to load the stanza models", ["worker"])
CONSUMER_LAG = Gauge(
    "newsenrich_consumer_lag",
    "log end offset - committed offset of the worker's group, per input partition",
    ["worker", "topic", "partition"],
)
READY = Gauge("newsenrich_ready", "1 when the worker is ready", ["worker"])
LIVE = Gauge("newsenrich_live", "1 when the worker is live", ["worker"])


class Health:
    """Readiness and progress of one worker, fed by the worker's own loop."""

    def __init__(
        self,
        worker: str,
        stall_s: float,
        inputs: frozenset[str] = frozenset(),
        unreachable_after_s: float = 30.0,
    ):
        self.worker = worker
        self.stall_s = stall_s
        # Only the input topics' lag says whether work waits: the joiner also reads its own
        # table changelog, whose "lag" is no work of its own (an idle joiner looked stuck).
        self.inputs = inputs
        self.halted: str | None = None  # the dead-letter limit stopped the stage: not ready, still live
        self.models_loaded = False
        self.assigned = False
        self.crashed: str | None = None
        self.last_progress = time.monotonic()
        self.busy_since: float | None = None  # set while a batch is in flight
        self.lag: dict[tuple[str, int], int] = {}
        self.unreachable_after_s = unreachable_after_s
        self.unreachable_since: float | None = None  # when the brokers stopped answering
        self.unreachable_why = ""

    @property
    def ready(self) -> bool:
        return (
            self.models_loaded
            and self.assigned
            and self.crashed is None
            and self.halted is None
            and self.brokers_gone is None
        )

    @property
    def brokers_gone(self) -> str | None:
        """Why the worker counts the brokers as gone, once they have not answered for long enough."""
        if self.unreachable_since is None:
            return None
        for_s = time.monotonic() - self.unreachable_since
        if for_s < self.unreachable_after_s:
            return None
        return f"no answer from the brokers for {for_s:.0f}s ({self.unreachable_why})"

    def unreachable(self, why: str) -> None:
        if self.unreachable_since is None:
            self.unreachable_since = time.monotonic()
        self.unreachable_why = why

    def reachable(self) -> None:
        if self.brokers_gone is not None:
            logging.getLogger(__name__).info("%s: the brokers answer again", self.worker)
        self.unreachable_since = None

    def progress(self) -> None:
        self.last_progress = time.monotonic()
        self.busy_since = None

    @contextlib.contextmanager
    def watching(self) -> Iterator[None]:
        """Around an agent's loop: an exception (not a shutdown) marks the worker not live."""
        try:
            yield
        except asyncio.CancelledError:
            raise  # shutdown: un-acked messages are handed back
        except BaseException as exc:
            self.crashed = f"{type(exc).__name__}: {exc}"
            raise

    def busy(self) -> None:
        self.busy_since = time.monotonic()

    def live(self) -> tuple[bool, str]:
        """Not live when crashed, when one batch has been in flight too long, or when fetched
        messages wait while nothing has progressed for LIVENESS_STALL_S."""
        if self.crashed:
            return False, f"agent crashed: {self.crashed}"
        now = time.monotonic()
        if self.busy_since is not None and now - self.busy_since > self.stall_s:
            return False, f"one batch in flight for {now - self.busy_since:.0f}s"
        waiting = sum(
            v for (topic, _), v in self.lag.items() if v > 0 and (not self.inputs or topic in self.inputs)
        )
        idle_for = now - self.last_progress
        if waiting and idle_for > self.stall_s and self.halted is None:
            return False, f"{waiting} messages waiting and no progress for {idle_for:.0f}s"
        return True, "ok"


async def serve(health: Health, host: str, port: int) -> Any:
    """Start the HTTP endpoints (in a pod on all interfaces: probes come from the kubelet)."""
    from aiohttp import web

    async def metrics(_: web.Request) -> web.Response:
        ok, _why = health.live()
        LIVE.labels(health.worker).set(1 if ok else 0)
        READY.labels(health.worker).set(1 if health.ready else 0)
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def healthz(_: web.Request) -> web.Response:
        ok, why = health.live()
        return web.json_response({"live": ok, "detail": why}, status=200 if ok else 503)

    async def readyz(_: web.Request) -> web.Response:
        body = {
            "ready": health.ready,
            "models_loaded": health.models_loaded,
            "assigned": health.assigned,
            "halted": health.halted,
            "brokers": health.brokers_gone or "ok",
        }
        return web.json_response(body, status=200 if health.ready else 503)

    app = web.Application()
    app.add_routes([web.get("/metrics", metrics), web.get("/healthz", healthz), web.get("/readyz", readyz)])
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host=host, port=port).start()
    return runner


class JsonFormatter(logging.Formatter):
    """One JSON object per line; article id, topic, partition and offset when the record has them."""

    FIELDS = ("article_id", "topic", "partition", "offset", "stage", "reason", "worker")

    def format(self, record: logging.LogRecord) -> str:
        doc: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key in self.FIELDS:
            if hasattr(record, key):
                doc[key] = getattr(record, key)
        if record.exc_info:
            doc["exc"] = self.formatException(record.exc_info)
        return orjson.dumps(doc, default=str).decode()


JsonFormatter.converter = time.gmtime  # type: ignore[assignment]


class RepeatFilter(logging.Filter):
    """One line per `every_s` for a message the Kafka clients repeat, with a count of the rest.

    Through a broker outage aiokafka and faust log the same connection failure
    for every node, request and retry: ~3,200 lines per worker in 30 s, which
    buries whatever else happened. The project's own lines (one per dead
    letter, say) each tell something different and are never held back.
    """

    def __init__(self, every_s: float = 10.0, own: str = "newsenrich"):
        super().__init__()
        self.every_s = every_s
        self.own = own
        self.last: dict[tuple[str, int, str], list[float]] = {}  # key -> [shown at, held back since]

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(self.own) or record.levelno >= logging.CRITICAL:
            return True
        # the message's first words: the clients format hosts, ids and counts into their messages
        key = (record.name, record.levelno, " ".join(str(record.msg).split()[:4]))
        now = time.monotonic()
        seen = self.last.get(key)
        if seen is not None and now - seen[0] < self.every_s:
            seen[1] += 1
            return False
        if seen is not None and seen[1]:
            record.msg = f"{record.msg} [{int(seen[1])} more like this in {now - seen[0]:.0f}s not shown]"
        if len(self.last) > 10_000:
            self.last.clear()
        self.last[key] = [now, 0]
        return True


def logging_config(level: str, fmt: str) -> dict[str, Any]:
    """A dictConfig for the process (faust's Worker applies it to its own loggers too)."""
    formatter = (
        {"()": "newsenrich.observability.JsonFormatter"}
        if fmt == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": formatter},
        "filters": {"repeats": {"()": "newsenrich.observability.RepeatFilter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": sys.stderr,
                "filters": ["repeats"],
            }
        },
        "root": {"level": level.upper(), "handlers": ["stderr"]},
    }
