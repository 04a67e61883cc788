"""The one loop every worker runs, whatever its stage: batch, process, deliver, keep state, ack.

The contract: a message's offset is acknowledged (and so becomes committable)
only after everything it produced, results and dead letters alike, has been
acknowledged by the broker, and the joiner's state is written only then too.
A crash at any point re-delivers the message; outputs are keyed by article
id and carry the article fingerprint, so a re-delivery is harmless.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, cast

import faust

from newsenrich.config import Settings
from newsenrich.nlp.steps import advance
from newsenrich.observability import (
    ARTICLES_IN,
    ARTICLES_OUT,
    BATCH_SIZE,
    DEAD_LETTERS,
    DUPLICATES,
    STAGE_SECONDS,
    Health,
)
from newsenrich.runtime.acks import InOrderAcks
from newsenrich.runtime.delivery import Stopping, deliver
from newsenrich.runtime.fence import OutputFence
from newsenrich.stages.base import (
    DeadLetterLimit,
    Emit,
    Message,
    Output,
    Stage,
    apply_updates,
    failed_here,
    fit,
)

log = logging.getLogger(__name__)


def message_of(event: faust.EventT, role: str) -> Message:
    m = event.message
    ts = int(m.timestamp * 1000) if m.timestamp else None
    return Message(role, m.topic, m.partition, m.offset, m.key, m.value, ts)


async def take_batches(stream: faust.StreamT, max_: int, within: float) -> AsyncIterator[list[faust.EventT]]:
    """Batches of up to `max_` events, closed `within` seconds after their first event.

    faust's `Stream.noack_take` closes a batch on a fixed clock: it wakes every
    `within` seconds whether or not anything arrived, and each wake-up creates and
    cancels three tasks. For the joiner (50 ms) that was 0.8 % of a core while idle,
    about a quarter of its CPU per article at 28 articles/s. Here an idle stream
    costs nothing, and an event waits at most `within` as before.

    Built like noack_take, on the same faust hooks (a processor that collects events
    and a passive drainer, acks off): events are acknowledged by the caller, after
    their outputs are delivered. At most `max_` events are held; the processor waits
    for room, which backs the stream buffer up and lets faust pause the partitions.
    """
    events: list[faust.EventT] = []
    first, full, room = asyncio.Event(), asyncio.Event(), asyncio.Event()
    room.set()

    async def collect(value: object) -> object:
        await room.wait()
        event = stream.current_event
        if event is None:
            raise RuntimeError("take_batches: no current event")
        events.append(event)
        first.set()
        if len(events) >= max_:
            full.set()
            room.clear()
        return value

    # Acks stay off for the life of the stream, even after this generator is closed: the
    # passive drainer goes on iterating the stream, and with acks turned back on it would
    # acknowledge (and so commit past) every event it drains that nobody processed. That
    # is how a stage halted by its dead-letter limit used to lose what followed.
    stream.enable_acks = False
    stream.add_processor(collect)
    stream._enable_passive(aiter(stream.channel))  # type: ignore[attr-defined]  # as noack_take does
    while not stream.should_stop:
        await first.wait()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(full.wait(), within)
        batch = events[:]
        events.clear()
        first.clear()
        full.clear()
        room.set()
        yield batch


def log_dead_letter(stage: str, e: Emit) -> None:
    """One JSON log line per dead letter, with the input's coordinates, for whoever reads the logs."""
    src = e.source
    where = (src.topic, src.partition, src.offset) if src else ("?", -1, -1)
    log.warning(
        "dead-lettered %s/%d@%d (%s): %s: %s",
        *where,
        stage,
        e.reason,
        e.detail,
        extra={
            "stage": stage,
            "topic": where[0],
            "partition": where[1],
            "offset": where[2],
            "reason": e.reason,
            "article_id": e.key.decode(errors="replace"),
        },
    )


def dead_letter_limit(settings: Settings) -> DeadLetterLimit:
    return DeadLetterLimit(
        max_share=settings.dlq_max_share if settings.dlq_max_share < 1 else None,
        window=settings.dlq_window,
        max_in_row=settings.dlq_max_in_row or None,
    )


@dataclass
class _Driver:
    """What one stage's loop works with; `part` runs one part of a batch to its acknowledgement."""

    stage: Stage
    stream: faust.StreamT
    producer: Any
    names: dict[str, str]
    settings: Settings
    health: Health
    stopping: asyncio.Event
    executor: Executor | None
    state: Any
    limit: DeadLetterLimit
    acks: InOrderAcks

    async def _process(self, batch: list[Message]) -> Output:
        """The stage's output for `batch`; a blocking stage's off the event loop, step by step
        when it has steps, so that other batches' steps queue in between on its thread."""
        stage = self.stage
        view: Mapping[str, bytes] | None = self.state if stage.stateful else None
        if not stage.blocking:
            return stage.process(batch, view)
        loop = asyncio.get_running_loop()
        in_steps = getattr(stage, "process_in_steps", None)
        if in_steps is None:
            return await loop.run_in_executor(self.executor, stage.process, batch, view)
        steps = in_steps(batch, view)
        while True:
            done, out = await loop.run_in_executor(self.executor, advance, steps)
            if done:
                return cast(Output, out)

    async def part(self, batch: list[Message], events: list[faust.EventT]) -> bool:
        """Process, deliver and acknowledge `batch`; False once the loop must stop."""
        stage, settings, health = self.stage, self.settings, self.health
        health.busy()
        out = await self._process(batch)
        for label, seconds in stage.observed:
            STAGE_SECONDS.labels(label).observe(seconds)
        stage.observed.clear()
        for what in ("duplicate", "stale"):
            if n := getattr(stage, "counts", {}).pop(what, 0):
                DUPLICATES.labels(what).inc(n)
        emits = fit(out.emits, stage.name, settings.max_message_bytes)
        try:
            emits = await deliver(
                self.producer,
                self.names,
                emits,
                stage=stage.name,
                max_bytes=settings.max_message_bytes,
                stopping=self.stopping,
            )
        except Stopping as exc:
            log.warning("%s; the batch stays unacknowledged and comes again", exc)
            return False
        if stage.stateful and self.state is not None:
            apply_updates(self.state, out.updates)
        await self.acks.finished(events)
        for e in emits:
            if e.reason:
                DEAD_LETTERS.labels(stage.name, e.reason).inc()
                log_dead_letter(stage.name, e)
            else:
                ARTICLES_OUT.labels(stage.name).inc()
        health.progress()
        why = self.limit.observe(failed_here(batch, emits))
        if why:
            health.halted = why
            log.error(
                "%s: stopped consuming: %s. Fix the deploy and restart; the rest waits in Kafka.",
                stage.name,
                why,
                extra={"stage": stage.name},
            )
            # Hold the batch generator open rather than leave the loop: its processor then
            # takes at most one more batch and blocks, nothing more is acknowledged, the
            # stream buffer fills and faust stops fetching. The committed offsets stay at the
            # first message this stage did not finish, for the fixed deploy.
            await self.stopping.wait()
            return False
        return True


async def run_stage(
    stream: faust.StreamT,
    stage: Stage,
    *,
    app: faust.App,
    names: dict[str, str],
    settings: Settings,
    health: Health,
    stopping: asyncio.Event,
    executor: Executor | None = None,
    state: Any = None,
    within_s: float | None = None,
    fence: OutputFence | None = None,
) -> None:
    """Drive `stage` over `stream` until shutdown, or until its dead-letter limit trips.

    A stateful stage given a `fence` first catches up with what its output
    topic already holds for partitions it has just been assigned.
    """
    roles = {name: role for role, name in names.items()}
    within = settings.batch_within_s if within_s is None else within_s
    producer = await app.maybe_start_producer()
    acks = InOrderAcks(stream.ack, lambda event: (event.message.topic, event.message.partition))
    driver = _Driver(
        stage,
        stream,
        producer,
        names,
        settings,
        health,
        stopping,
        executor,
        state,
        dead_letter_limit(settings),
        acks,
    )
    beside: set[asyncio.Task[bool]] = set()
    try:
        with health.watching():
            async for taken in take_batches(stream, settings.batch_size, within):
                if not _all_well(beside):
                    return
                if health.halted:  # a long article's part tripped the dead-letter limit: hold here
                    await stopping.wait()
                    return
                ARTICLES_IN.labels(stage.name).inc(len(taken))
                BATCH_SIZE.labels(stage.name).observe(len(taken))
                messages = [message_of(e, roles[e.message.topic]) for e in taken]
                acks.taken(taken)
                if fence is not None and state is not None:
                    await fence.catch_up(messages, state)
                event_of = {(m.topic, m.partition, m.offset): e for m, e in zip(messages, taken, strict=True)}

                def events_of(part: list[Message]) -> list[faust.EventT]:
                    return [event_of[(m.topic, m.partition, m.offset)] for m in part]  # noqa: B023

                # A stage may set long articles apart (the entities stage does): each runs as a
                # task of its own beside the batches that follow, which go through in between
                # its steps; at most MAX_BESIDE at a time, so a flood of them backs up the stream.
                now, apart = stage.parts(messages) if hasattr(stage, "parts") else (messages, [])
                for part in apart:
                    while len(beside) >= MAX_BESIDE:
                        await asyncio.wait(beside, return_when=asyncio.FIRST_COMPLETED)
                        if not _all_well(beside):
                            return
                    task = asyncio.create_task(driver.part(part, events_of(part)))
                    beside.add(task)
                if now and not await driver.part(now, events_of(now)):
                    return
            await asyncio.gather(*beside)
    finally:
        for task in beside:
            task.cancel()  # its messages stay unacknowledged and come again


# Long articles in flight beside the ordinary batches, at most.
MAX_BESIDE = 2


def _all_well(beside: set[asyncio.Task[bool]]) -> bool:
    """Whether the loop goes on: False once a task beside it had to stop; its failure raised."""
    for task in [t for t in beside if t.done()]:
        beside.discard(task)
        if not task.result():  # raises what the task raised: the agent fails as if inline
            return False
    return True
