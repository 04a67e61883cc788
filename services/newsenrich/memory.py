"""The in-memory runner: the stages with the runtime's delivery rules, and no broker.

Topics are lists; each stage is a consumer group with committed offsets and,
for the joiner, a dict for its state. A step takes a batch, processes it,
delivers the emits (the broker's message limit applied as the runtime
applies it), writes the state, and only then commits: a delivery that fails
leaves the batch uncommitted and the state untouched, to be taken again.
`newsenrich enrich` runs on it, and the unit tests check the runtime's
guarantees through it (ack after delivery, the one-by-one fallback, dead
letter routing and limits, joiner state written after delivery).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from newsenrich.stages.base import DeadLetterLimit, Emit, Message, Stage, apply_updates, failed_here, fit


class DeliveryFailed(Exception):
    """The (simulated) broker refused a batch of emits."""


@dataclass
class MemoryBroker:
    """Topic roles -> records, in order; `refuse` may fail a delivery (a broker outage)."""

    log: dict[str, list[Message]] = field(default_factory=dict)
    refuse: Callable[[list[Emit]], bool] = lambda _emits: False

    def send(
        self, role: str, key: bytes | None, value: bytes | None, timestamp_ms: int | None = None
    ) -> Message:
        records = self.log.setdefault(role, [])
        m = Message(role, role, 0, len(records), key, value, timestamp_ms)
        records.append(m)
        return m

    def deliver(self, emits: list[Emit]) -> None:
        if self.refuse(emits):
            raise DeliveryFailed(f"{len(emits)} records refused")
        for e in emits:
            self.send(e.topic, e.key, e.value)

    def records(self, role: str, start: int = 0, stop: int | None = None) -> list[Message]:
        """The records of `role` from offset `start` up to `stop` (a copy: the log stays ours)."""
        return self.log.get(role, [])[start:stop]

    def count(self, role: str) -> int:
        return len(self.log.get(role, ()))


class MemoryRunner:
    """Drive `stages` over a MemoryBroker until nothing is left to consume."""

    def __init__(
        self,
        stages: Iterable[Stage],
        *,
        batch_size: int = 64,
        max_message_bytes: int = 1_000_000,
        limit: Callable[[], DeadLetterLimit] | None = None,
        broker: MemoryBroker | None = None,
    ):
        self.stages = list(stages)
        self.batch_size = batch_size
        self.max_message_bytes = max_message_bytes
        self.broker = broker or MemoryBroker()
        self.committed: dict[str, dict[str, int]] = {s.name: {r: 0 for r in s.inputs} for s in self.stages}
        self.state: dict[str, dict[str, bytes]] = {s.name: {} for s in self.stages}
        self.limits = {s.name: limit() for s in self.stages} if limit else {}
        self.halted: dict[str, str] = {}

    def _pending(self, stage: Stage) -> list[Message]:
        """The uncommitted records of the stage's inputs, oldest first across topics."""
        out: list[Message] = []
        for role in stage.inputs:
            start = self.committed[stage.name][role]
            out += self.broker.records(role, start, start + self.batch_size)  # not the whole topic each step
        return out[: self.batch_size]

    def step(self, stage: Stage) -> bool:
        """One batch of `stage`; False when it had nothing to do (or is halted)."""
        if stage.name in self.halted:
            return False
        batch = self._pending(stage)
        if not batch:
            return False
        state = self.state[stage.name]
        result = stage.process(batch, state if stage.stateful else None)
        emits = fit(result.emits, stage.name, self.max_message_bytes)
        self.broker.deliver(emits)  # raises DeliveryFailed: nothing below happens, the batch comes again
        apply_updates(state, result.updates)
        for m in batch:
            self.committed[stage.name][m.role] = max(self.committed[stage.name][m.role], m.offset + 1)
        if stage.name in self.limits:
            why = self.limits[stage.name].observe(failed_here(batch, emits))
            if why:
                self.halted[stage.name] = why
        return True

    def run(self, max_steps: int = 1_000_000, progress: Callable[[], None] | None = None) -> None:
        """Step every stage in turn until none has anything left; `progress` is called after each round."""
        for _ in range(max_steps):
            busy = any([self.step(s) for s in self.stages])
            if progress is not None:
                progress()
            if not busy:
                return
        raise RuntimeError("MemoryRunner.run: still busy after max_steps")
