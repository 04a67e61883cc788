"""The hand-offs between a runner and a stage: messages in, emits (and state updates) out."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from typing import Protocol

from newsenrich.events.codec import Position, Rejected, dead_letter, dumps, loads, shrink_dead_letter

# Topic roles a stage emits to; a runner maps each to a topic name (TOPIC_* settings).
RAW, ENTITIES, QUOTES, ENRICHED, DEADLETTER = "raw", "entities", "quotes", "enriched", "deadletter"


@dataclass(frozen=True)
class Message:
    """One consumed record: its bytes, where it was read, and the role of its topic (raw, entities, …)."""

    role: str
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    timestamp_ms: int | None = None

    @property
    def position(self) -> Position:
        return Position(self.topic, self.partition, self.offset, self.timestamp_ms)


@dataclass(frozen=True)
class Emit:
    """A record to produce: to topic role `topic`, keyed; `reason` marks a dead letter."""

    topic: str
    key: bytes
    value: bytes
    reason: str = ""
    source: Message | None = None  # the input it came from (to dead-letter it if the broker refuses)
    detail: str = ""  # a dead letter's reason in words, for the runner's log line


@dataclass
class Output:
    """What a batch produced; `updates` is state to write only after every emit is delivered."""

    emits: list[Emit] = field(default_factory=list)
    updates: dict[str, bytes | None] = field(default_factory=dict)  # None deletes the key


class Stage(Protocol):
    """A stage as a runner drives it."""

    name: str  # the dead letters' `stage`, the metrics' label, the consumer group suffix
    inputs: tuple[str, ...]  # topic roles it consumes
    blocking: bool  # CPU-bound: a runner calls `process` off its event loop
    stateful: bool  # reads a key-value state (the joiner) and returns updates for it

    # (metric label, seconds) the stage measured since a runner last read them (ner_batch, end_to_end)
    observed: list[tuple[str, float]]

    def process(self, batch: list[Message], state: Mapping[str, bytes] | None = None) -> Output: ...

    # Optional:
    # - `parts(batch) -> (now, apart)`: the messages the faust loop processes and delivers
    #   now, and those it runs each as a part of its own beside the batches that follow
    #   (the entities stage sets very long articles apart, so short ones never wait for
    #   a long one's whole NER);
    # - `process_in_steps(batch, state)`: `process` as a generator that pauses between
    #   steps (stanza calls), which a blocking runner advances one step at a time so that
    #   other batches' steps go in between on its one thread.


def dead(stage: str, rejected: Rejected, message: Message, max_bytes: int) -> Emit:
    """The dead letter for `message`, keyed by article id when known, never over `max_bytes`."""
    pos = message.position
    key = rejected.article_id or f"{pos.topic}/{pos.partition}/{pos.offset}"
    letter = dead_letter(
        stage=stage,
        rejected=rejected,
        position=pos,
        key=message.key,
        value=message.value,
        max_bytes=max_bytes,
    )
    return Emit(DEADLETTER, key.encode(), dumps(letter), rejected.reason, message, rejected.detail)


def fit(emits: list[Emit], stage: str, max_bytes: int) -> list[Emit]:
    """Emits the broker will take: a result over its message limit becomes a dead letter instead.

    Retrying a record the broker refuses for its size only stalls the stage
    for ever; the input it came from is dead-lettered as `output_too_large`
    (the dead letter itself is cut to fit).
    """
    out = []
    for e in emits:
        if len(e.value) + len(e.key) <= max_bytes or e.source is None:
            out.append(e)
            continue
        if e.reason:  # a dead letter made for a larger limit: cut it, keep its reason
            letter = shrink_dead_letter(loads(e.value), max_bytes - len(e.key))
            out.append(Emit(e.topic, e.key, dumps(letter), e.reason, e.source, e.detail))
            continue
        rejected = Rejected(
            "output_too_large",
            f"the {e.topic} record is {len(e.value)} bytes, over the {max_bytes}-byte message limit",
            e.key.decode(errors="replace"),
        )
        out.append(dead(stage, rejected, e.source, max_bytes))
    return out


# Dead-letter reasons that are the stage's own failure, not its input's: only these count toward
# the limit, so a broken feed is dead-lettered without halting the service (arroyo counts every
# invalid message; a bad deploy shows here as processing errors and refused results).
OWN_FAILURES = frozenset({"processing_error", "output_too_large", "produce_rejected"})


def failed_here(batch: list[Message], emits: list[Emit]) -> list[bool]:
    """For each input of the batch, whether the stage itself failed it (what the limit observes)."""
    failed = {
        (e.source.topic, e.source.partition, e.source.offset)
        for e in emits
        if e.reason in OWN_FAILURES and e.source is not None
    }
    return [(m.topic, m.partition, m.offset) in failed for m in batch]


def apply_updates(state: MutableMapping[str, bytes], updates: Mapping[str, bytes | None]) -> None:
    """Write a stage's state updates (None deletes), once its outputs are delivered."""
    for key, value in updates.items():
        if value is None:
            state.pop(key, None)
        else:
            state[key] = value


class DeadLetterLimit:
    """Stop a stage that dead-letters too much (arroyo's DlqLimit): a bad deploy must not drain the input.

    Trips when more than `max_share` of the last `window` messages were
    dead-lettered, or `max_in_row` in a row; `None` disables either check.
    A tripped stage stops consuming and reports itself unready; what it has
    not read stays in Kafka for the fixed deploy.
    """

    def __init__(self, max_share: float | None, window: int, max_in_row: int | None):
        self.max_share, self.window, self.max_in_row = max_share, window, max_in_row
        self.recent: list[bool] = []
        self.in_row = 0
        self.tripped: str | None = None

    def observe(self, dead_lettered: list[bool]) -> str | None:
        """Record one batch (True per message dead-lettered); return why it tripped, if it did."""
        for d in dead_lettered:
            self.in_row = self.in_row + 1 if d else 0
            self.recent.append(d)
        del self.recent[: max(0, len(self.recent) - self.window)]
        if self.max_in_row is not None and self.in_row >= self.max_in_row:
            self.tripped = f"{self.in_row} messages in a row dead-lettered (DLQ_MAX_IN_ROW={self.max_in_row})"
        elif (
            self.max_share is not None
            and len(self.recent) >= self.window
            and sum(self.recent) / len(self.recent) > self.max_share
        ):
            share = sum(self.recent) / len(self.recent)
            window = len(self.recent)
            self.tripped = f"{share:.0%} of the last {window} dead-lettered (DLQ_MAX_SHARE={self.max_share})"
        return self.tripped
