"""The joiner's table, restored from its changelog to the changelog's real end.

faust restores a table by reading its changelog up to the end offset the
broker gives (the "highwater"), then marks recovery done. Tansu gives the base
offset of the last batch plus one: the records after the first in the last
batch were never applied. Those are the newest states, often a half waiting
for its partner whose input offset is already committed; the partner then
waits for good, and the article is lost (CI saw 15 and 25 of 300 articles
go missing after one SIGKILL, and every restart after it lost them again).

So the highwater faust builds is checked by reading on past it
(`offsets.log_ends`). On Kafka that is one empty fetch per rebalance; the
answer is the same.
"""

from __future__ import annotations

import logging
from typing import Any

from aiokafka import TopicPartition
from faust.tables import TableManager
from faust.tables.recovery import Recovery

from newsenrich.runtime.offsets import log_ends, retried, side_reader

log = logging.getLogger(__name__)


async def changelog_ends(
    client_kwargs: dict[str, Any], tps: list[TopicPartition]
) -> dict[TopicPartition, int]:
    """The offset after the last record of each of `tps`, read by a client of its own."""
    async for attempt in retried(attempts=8, max_wait_s=5):
        with attempt:
            # a short fetch wait: on Kafka the last, empty fetch waits this long
            async with side_reader(client_kwargs, tps, fetch_max_wait_ms=100) as consumer:
                return await log_ends(consumer, tps)
    raise AssertionError("unreachable: tenacity re-raises the last failure")


class _Recovery(Recovery):
    async def _build_highwaters(self, consumer: Any, tps: Any, destination: Any, title: str) -> None:
        await super()._build_highwaters(consumer, tps, destination, title)
        if not tps:
            return
        ours = [TopicPartition(tp.topic, tp.partition) for tp in sorted(tps)]  # aiokafka's type, not faust's
        ends = await changelog_ends(self.app.client_kwargs, ours)  # type: ignore[attr-defined]
        for tp, end in ends.items():  # equal as tuples, so they index faust's counter
            if end - 1 > destination[tp]:  # faust's highwater is the last offset, not the end
                log.warning(
                    "%s: the broker gave %d as the end of %s/%d, but records run to %d; restoring to there",
                    title,
                    destination[tp] + 1,
                    tp.topic,
                    tp.partition,
                    end,
                )
                destination[tp] = end - 1


class ChangelogTables(TableManager):
    """faust's table manager, with a recovery that reads each changelog to its real end."""

    @property
    def recovery(self) -> Recovery:
        if self._recovery is None:
            self._recovery = _Recovery(self.app, self, beacon=self.beacon, loop=self.loop)
        return self._recovery
