"""The joiner stage: entities + quotes halves -> enriched articles, over a key-value state.

The pairing rules are the pure state machine in `newsenrich.join`. A batch
reads the state, and returns the new states as updates that the runner
writes only after the batch's enriched records are delivered: were an
article marked emitted before its record reached the broker, a crash in
between would drop it for good (its re-delivered halves would look like
duplicates).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

from newsenrich.events.codec import JSON, Rejected, dumps, loads, now_rfc3339
from newsenrich.events.contract import enriched_article
from newsenrich.events.results import read_result
from newsenrich.join import join_step, mark_emitted
from newsenrich.stages.base import ENRICHED, ENTITIES, QUOTES, Emit, Message, Output, dead

log = logging.getLogger(__name__)


def enriched_from(pair: tuple[JSON, JSON], now_ms: float | None = None) -> JSON:
    entities_part, quotes_part = pair
    enriched = enriched_article(
        article=entities_part["article"],
        fingerprint=entities_part["fingerprint"],
        entities_part=entities_part,
        quotes_part=quotes_part,
        raw_position=entities_part["source"],
        enriched_at=now_rfc3339(),
    )
    source_ms = entities_part["source"].get("timestamp_ms")
    if source_ms:
        now_ms = time.time() * 1000 if now_ms is None else now_ms
        enriched["timings_ms"]["end_to_end"] = round(max(0.0, now_ms - source_ms), 3)
    return enriched


class JoinerStage:
    name = "joiner"
    inputs = (ENTITIES, QUOTES)
    # Attribution is linear in the article but a 500k-character one still takes a fraction of
    # a second: off the event loop, so heartbeats and /healthz go on answering meanwhile.
    blocking = True
    stateful = True

    def __init__(self, *, max_message_bytes: int):
        self.max_message_bytes = max_message_bytes
        self.counts: dict[str, int] = {}  # what happened to halves, for the metrics
        self.observed: list[tuple[str, float]] = []

    def process(self, batch: list[Message], state: Mapping[str, bytes] | None = None) -> Output:
        state = state if state is not None else {}
        out = Output()
        updates: dict[str, JSON] = {}
        now = time.time()
        t0 = time.perf_counter()
        for message in batch:
            half = "entities" if message.role == ENTITIES else "quotes"
            try:
                result = read_result(half, message.value)
            except Rejected as rejected:
                out.emits.append(dead(self.name, rejected, message, self.max_message_bytes))
                continue
            key = result["id"]
            current: JSON | None
            if key in updates:
                current = updates[key]
            else:
                raw_state = state.get(key)
                current = loads(raw_state) if raw_state else None
            new_state, pair, what = join_step(current, half, result, now)
            self.counts[what] = self.counts.get(what, 0) + 1
            if pair is not None:
                try:
                    enriched = enriched_from(pair)
                except Exception as exc:  # a pair that cannot be assembled must not stop the joiner
                    log.exception("joiner: could not assemble %s", key)
                    failed = Rejected("processing_error", f"{type(exc).__name__}: {exc}", key)
                    out.emits.append(dead(self.name, failed, message, self.max_message_bytes))
                    continue  # state unchanged: a re-delivered half tries again
                out.emits.append(Emit(ENRICHED, key.encode(), dumps(enriched), source=message))
                if "end_to_end" in enriched["timings_ms"]:
                    self.observed.append(("end_to_end", enriched["timings_ms"]["end_to_end"] / 1000))
                new_state = mark_emitted(new_state, result["fingerprint"], now)
            if what != "stale":
                updates[key] = new_state
        out.updates = {k: dumps(v) for k, v in updates.items()}
        self.observed.append(("join", time.perf_counter() - t0))
        return out
