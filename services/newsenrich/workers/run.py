"""Start one worker: check the configuration, make sure its topics exist, run faust."""

from __future__ import annotations

import asyncio
import logging

from newsenrich.broker import ensure_topics
from newsenrich.config import Settings
from newsenrich.observability import logging_config

log = logging.getLogger(__name__)


def use_event_loop(name: str) -> None:
    """Make every loop this process creates from now on a `name` loop.

    Set before the first loop exists: faust's consumer thread makes its own loop,
    and it must be the same kind. uvloop runs the loop and the sockets in C; it is
    the loop faust recommends for production and cut an idle joiner's CPU by a sixth.
    """
    if name == "uvloop":
        import mode.loop

        mode.loop.use("uvloop")


def run_worker(name: str, settings: Settings) -> int:
    from faust.worker import Worker

    from newsenrich.nlp.pipeline import ModelsMissing

    if name == "entities":
        from newsenrich.workers.entities import build
    elif name == "quotes":
        from newsenrich.workers.quotes import build
    elif name == "joiner":
        from newsenrich.workers.joiner import build
    else:
        raise ValueError(f"unknown worker {name!r}")
    use_event_loop(settings.event_loop)
    try:
        app = build(settings)
    except ModelsMissing as exc:
        log.error("%s", exc)
        return 3
    try:
        asyncio.run(ensure_topics(settings))
    except Exception as exc:  # no admin rights in some clusters: the topics are then an ops concern
        log.warning("could not check/create topics (%s); assuming they exist", exc)
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
