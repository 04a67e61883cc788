"""Joiner: articles.entities + articles.quotes -> articles.enriched.

Both inputs are keyed by article id and partitioned alike, so one article's
halves meet in one partition and the state table is local to it. The pairing
rules are the pure state machine in `newsenrich.join`.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import faust

from newsenrich.config import Settings
from newsenrich.events.codec import Rejected, dumps, loads, now_rfc3339
from newsenrich.events.results import read_result
from newsenrich.join import expired, join_step, mark_emitted
from newsenrich.nlp.enrichment import assemble
from newsenrich.observability import DUPLICATES, STAGE_SECONDS
from newsenrich.workers.app import make_app
from newsenrich.workers.delivery import Outgoing, Processed, consume_batches, to_dead_letter

log = logging.getLogger(__name__)


def enriched_from(pair: tuple[dict[str, Any], dict[str, Any]]) -> dict[str, Any]:
    entities_part, quotes_part = pair
    enriched = assemble(
        article=entities_part["article"],
        fingerprint=entities_part["fingerprint"],
        entities_part=entities_part,
        quotes_part=quotes_part,
        raw_position=entities_part["source"],
        enriched_at=now_rfc3339(),
    )
    source_ms = entities_part["source"].get("timestamp_ms")
    if source_ms:
        end_to_end = max(0.0, time.time() * 1000 - source_ms)
        enriched["timings_ms"]["end_to_end"] = round(end_to_end, 3)
        STAGE_SECONDS.labels("end_to_end").observe(end_to_end / 1000)
    return enriched


def build(settings: Settings) -> faust.App:
    app, topics, health = make_app("joiner", settings)
    health.models_loaded = True  # no models: attribution is rules over the two halves
    halves = app.topic(
        settings.topic_entities,
        settings.topic_quotes,
        key_type=bytes,
        value_type=bytes,
        partitions=settings.topic_partitions,
    )
    # use_partitioner: the changelog partition comes from the key (as for the halves, which
    # are keyed by article id), not from "the event being processed", so keys can be
    # written after a batch is delivered and deleted by the expiry timer. Without it faust
    # raises "Cannot modify table key from outside of stream iteration" and the worker dies.
    state = app.Table(
        "join-state",
        default=None,
        partitions=settings.topic_partitions,
        value_type=bytes,
        use_partitioner=True,
    )
    kind_of = {settings.topic_entities: "entities", settings.topic_quotes: "quotes"}

    async def join_batch(events: list[faust.EventT]) -> Processed:
        """Pair the halves of a batch; the table learns the new states only after delivery.

        Were an article marked emitted before its enriched record reached the broker, a
        crash in between would drop it for good: the re-delivered halves would look like
        duplicates. So new states collect in `updates` (later events of the same article
        in the batch see them) and are written once everything is delivered.
        """
        outgoing: list[Outgoing] = []
        updates: dict[str, dict[str, Any]] = {}
        t0, now = time.perf_counter(), time.time()
        for event in events:
            half = kind_of[event.message.topic]
            try:
                result = read_result(half, event.message.value)
            except Rejected as rejected:
                outgoing.append(to_dead_letter(topics, "joiner", rejected, event))
                continue
            key = result["id"]
            if key in updates:
                current = updates[key]
            else:
                raw_state = state.get(key)
                current = loads(raw_state) if raw_state else None
            new_state, pair, what = join_step(current, half, result, now)
            if pair is not None:
                try:
                    enriched = enriched_from(pair)
                except Exception as exc:  # a pair that cannot be assembled must not stop the joiner
                    log.exception("joiner: could not assemble %s", key)
                    failed = Rejected("processing_error", f"{type(exc).__name__}: {exc}", key)
                    outgoing.append(to_dead_letter(topics, "joiner", failed, event))
                    continue  # state unchanged: a re-delivered half tries again
                outgoing.append(Outgoing(topics.enriched, key.encode(), dumps(enriched)))
                new_state = mark_emitted(new_state, result["fingerprint"], now)
            if what in ("duplicate", "stale"):
                DUPLICATES.labels(what).inc()
            else:
                updates[key] = new_state
            log.debug(
                "join %s: %s",
                half,
                what,
                extra={
                    "article_id": key,
                    "topic": event.message.topic,
                    "partition": event.message.partition,
                    "offset": event.message.offset,
                },
            )
        STAGE_SECONDS.labels("join").observe(time.perf_counter() - t0)

        def keep_states() -> None:
            for key, new_state in updates.items():
                state[key] = dumps(new_state)

        return Processed(outgoing, keep_states)

    @app.agent(halves, name="joiner")
    async def joiner(stream: faust.StreamT) -> None:
        await consume_batches(
            stream,
            stage="joiner",
            settings=settings,
            health=health,
            process=join_batch,
            within_s=settings.join_batch_within_s,
        )

    @app.timer(interval=min(3600.0, settings.join_state_ttl_s / 2))
    async def forget_old_articles() -> None:
        now = time.time()
        old = [k for k, v in state.items() if v and expired(loads(v), now, settings.join_state_ttl_s)]
        for k in old:
            del state[k]
        if old:
            log.info("forgot %d articles older than JOIN_STATE_TTL_S", len(old))

    return app
