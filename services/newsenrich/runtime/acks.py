"""Acknowledging in the order messages were taken, when they finish out of order.

The entities worker delivers a long article's result after the batches behind it
(`stages/entities.py`). faust commits the first run of consecutive acknowledged
offsets, and its check for a hole at the head of that run is off by one (faust-
streaming 0.15: the run 38, 39... is committed past an unfinished 37 when 37 was
the committed position). So nothing is acknowledged out of order: a finished message
waits, unacknowledged, until every message taken before it on its partition has
finished. Its results are already out; only the commit waits, and a crash in the
meantime re-delivers what came after the unfinished one (harmless: outputs are
keyed by article id).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable, Hashable, Iterable
from typing import Any


class InOrderAcks:
    """Per partition, the taken messages not yet acknowledged, oldest first."""

    def __init__(self, ack: Callable[[Any], Awaitable[Any]], partition_of: Callable[[Any], Hashable]):
        self._ack = ack
        self._partition_of = partition_of
        self._waiting: dict[Hashable, deque[list[Any]]] = {}  # partition -> [event, finished]

    def taken(self, events: Iterable[Any]) -> None:
        """Record `events` as taken, in the order of their partition's log."""
        for event in events:
            self._waiting.setdefault(self._partition_of(event), deque()).append([event, False])

    async def finished(self, events: Iterable[Any]) -> None:
        """`events` are done: acknowledge them and every finished one behind them, up to the
        oldest message of their partition that is still in flight."""
        events = list(events)
        done = {id(e) for e in events}
        for partition in {self._partition_of(e) for e in events}:
            queue = self._waiting.get(partition)
            if not queue:
                continue
            for entry in queue:
                if id(entry[0]) in done:
                    entry[1] = True
            while queue and queue[0][1]:
                await self._ack(queue.popleft()[0])

    def in_flight(self) -> int:
        """How many taken messages wait for their acknowledgement."""
        return sum(len(q) for q in self._waiting.values())
