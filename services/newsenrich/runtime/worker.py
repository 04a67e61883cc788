"""One worker process: its stage, its faust app and agent, and how it starts and stops."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import faust

from newsenrich.config import Settings
from newsenrich.events.codec import loads
from newsenrich.join import expired
from newsenrich.observability import MODEL_LOAD_SECONDS, logging_config
from newsenrich.runtime.admin import ensure_topics
from newsenrich.runtime.app import make_app
from newsenrich.runtime.fence import OutputFence
from newsenrich.runtime.loop import run_stage
from newsenrich.stages.entities import EntitiesStage
from newsenrich.stages.joiner import JoinerStage
from newsenrich.stages.quotes import QuotesStage

log = logging.getLogger(__name__)
WORKERS = ("entities", "quotes", "joiner")


def use_event_loop(name: str) -> None:
    """Make every loop this process creates from now on a `name` loop.

    Set before the first loop exists: faust's consumer thread makes its own loop,
    and it must be the same kind. uvloop runs the loop and the sockets in C; it is
    the loop faust recommends for production and cut an idle joiner's CPU by a sixth.
    """
    if name == "uvloop":
        import mode.loop

        mode.loop.use("uvloop")


def _raw_kwargs(settings: Settings) -> dict[str, Any]:
    return {
        "languages": settings.languages,
        "max_body_chars": settings.max_body_chars,
        "max_title_chars": settings.max_title_chars,
        "max_message_bytes": settings.max_message_bytes,
    }


def build(name: str, settings: Settings) -> faust.App:
    """The faust app of worker `name`, with its stage's agent (and, for the joiner, its table)."""
    from newsenrich.nlp.pipeline import Annotator, set_torch_threads

    stopping = asyncio.Event()
    executor = None
    if name == "entities":
        set_torch_threads(settings.torch_threads)
        t0 = time.perf_counter()
        annotator = Annotator(
            sorted(settings.languages), root=settings.stanza_resources_dir, batch_size=settings.batch_size
        )  # fails fast
        MODEL_LOAD_SECONDS.labels("entities").set(time.perf_counter() - t0)
        stage: Any = EntitiesStage(annotator, **_raw_kwargs(settings))
        # stanza on one dedicated thread, so the event loop keeps heart-beating and fetching;
        # the thread count is set inside it too, since OpenMP keeps it per thread.
        executor = ThreadPoolExecutor(
            max_workers=1,
            thread_name_prefix="stanza",
            initializer=set_torch_threads,
            initargs=(settings.torch_threads,),
        )
        inputs = (settings.topic_raw,)
    elif name == "quotes":
        stage = QuotesStage(**_raw_kwargs(settings))
        inputs = (settings.topic_raw,)
    elif name == "joiner":
        stage = JoinerStage(max_message_bytes=settings.max_message_bytes)
        inputs = (settings.topic_entities, settings.topic_quotes)
    else:
        raise ValueError(f"unknown worker {name!r}")
    app, topics, health = make_app(name, settings, frozenset(inputs))
    health.models_loaded = True
    names = topics.names
    state = None
    fence = None
    if name == "joiner":
        fence = OutputFence(settings)

        @app.on_partitions_assigned.connect
        async def catch_up_again(sender: faust.App, assigned: object, **kwargs: object) -> None:
            fence.reset()

        # use_partitioner: the changelog partition comes from the key (as for the halves, which
        # are keyed by article id), not from "the event being processed", so keys can be written
        # after a batch is delivered and deleted by the expiry timer.
        state = app.Table(
            "join-state",
            default=None,
            partitions=settings.topic_partitions,
            value_type=bytes,
            use_partitioner=True,
        )

        @app.timer(interval=min(3600.0, settings.join_state_ttl_s / 2))
        async def forget_old_articles() -> None:
            now = time.time()
            old = [k for k, v in state.items() if v and expired(loads(v), now, settings.join_state_ttl_s)]
            for k in old:
                del state[k]
            if old:
                log.info("forgot %d articles older than JOIN_STATE_TTL_S", len(old))

    source = app.topic(*inputs, key_type=bytes, value_type=bytes, partitions=settings.topic_partitions)
    within = settings.join_batch_within_s if name == "joiner" else settings.batch_within_s

    @app.agent(source, name=name)
    async def agent(stream: faust.StreamT) -> None:
        await run_stage(
            stream,
            stage,
            app=app,
            names=names,
            settings=settings,
            health=health,
            stopping=stopping,
            executor=executor,
            state=state,
            within_s=within,
            fence=fence,
        )

    def on_stopping() -> None:
        stopping.set()  # a delivery being retried gives up, its batch unacknowledged
        _exit_after(settings.shutdown_grace_s)

    app.on_stopping = [on_stopping]  # type: ignore[attr-defined]

    return app


def _exit_after(grace_s: float) -> None:
    """A SIGTERM must end the worker within the grace period, even when something hangs.

    Nothing is lost by exiting hard: un-acknowledged batches come again.
    """

    def hard_exit() -> None:
        log.error("shutdown took over %.0fs (SHUTDOWN_GRACE_S); exiting", grace_s)
        logging.shutdown()
        os._exit(0)

    timer = threading.Timer(grace_s, hard_exit)
    timer.daemon = True
    timer.start()


async def idempotence_refused(settings: Settings, timeout_s: float = 15.0) -> str | None:
    """Why the brokers refuse an idempotent producer, if they do (faust would only say "UnknownError()").

    A broker that cannot be reached is not a refusal: the worker starts and waits for it as before.
    """
    from aiokafka import AIOKafkaProducer
    from aiokafka.errors import KafkaConnectionError, UnknownError

    producer = AIOKafkaProducer(**settings.kafka_client_kwargs(), enable_idempotence=True, acks="all")
    sender = logging.getLogger("aiokafka.producer.sender")
    level = sender.level
    sender.setLevel(logging.CRITICAL)  # its own line about the refusal would only repeat ours, less clearly
    try:
        await asyncio.wait_for(producer.start(), timeout_s)
    except UnknownError as exc:  # InitProducerId answered with an error the client cannot name
        return f"InitProducerId: {exc}"
    except (KafkaConnectionError, TimeoutError, OSError):
        return None
    finally:
        sender.setLevel(level)
        with contextlib.suppress(Exception):
            await producer.stop()
    return None


def run_worker(name: str, settings: Settings) -> int:
    from faust.worker import Worker

    from newsenrich.nlp.pipeline import ModelsMissing

    use_event_loop(settings.event_loop)
    try:
        app = build(name, settings)
    except ModelsMissing as exc:
        log.error("%s", exc)
        return 3
    try:
        asyncio.run(ensure_topics(settings))
    except Exception as exc:  # no admin rights in some clusters: the topics are then an ops concern
        log.warning("could not check/create topics (%s); assuming they exist", exc)
    if settings.producer_idempotence and (refused := asyncio.run(idempotence_refused(settings))):
        log.error(
            "the brokers at %s refuse idempotent producers (%s); set PRODUCER_IDEMPOTENCE=false for "
            "a broker without them, such as Tansu",
            settings.bootstrap_servers,
            refused,
        )
        return 4
    worker = Worker(
        app,
        loglevel=settings.log_level,
        logging_config=logging_config(settings.log_level, settings.log_format),
        quiet=True,
    )
    # At LOG_LEVEL warning and above faust draws a terminal spinner, and to feed it
    # sets the root logger to DEBUG: every debug record of aiokafka and faust is then
    # built and dropped (13 % of the joiner's CPU in a profile), and the spinner's
    # escape codes land in the logs. A service has no terminal to spin in.
    worker.spinner = None
    worker.execute_from_commandline()
    return worker.exit_code if isinstance(worker.exit_code, int) else 0
