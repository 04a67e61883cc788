"""Joiner: articles.entities + articles.quotes -> articles.enriched.

Both inputs are keyed by article id and partitioned alike, so one article's
halves meet in one partition and the state table is local to it.
"""

from __future__ import annotations

import logging
import time

import faust

from newsenrich.config import Settings
from newsenrich.events.codec import Rejected, dumps, loads, now_rfc3339
from newsenrich.events.schemas import first_error
from newsenrich.join import expired, join_step, mark_emitted
from newsenrich.nlp.enrichment import assemble
from newsenrich.workers.app import make_app
from newsenrich.workers.delivery import Outgoing, deliver, to_dead_letter

log = logging.getLogger(__name__)


def build(settings: Settings) -> faust.App:
    app, topics = make_app("joiner", settings)
    halves = app.topic(
        settings.topic_entities,
        settings.topic_quotes,
        key_type=bytes,
        value_type=bytes,
        partitions=settings.topic_partitions,
    )
    state = app.Table("join-state", default=None, partitions=settings.topic_partitions, value_type=bytes)
    kind_of = {settings.topic_entities: "entities", settings.topic_quotes: "quotes"}

    @app.agent(halves, name="joiner")
    async def joiner(stream: faust.StreamT) -> None:
        async for event in stream.events():
            half = kind_of[event.message.topic]
            try:
                result = loads(event.message.value)
                problem = first_error(f"{half}_result", result)
                if problem:
                    raise Rejected(
                        "schema_violation", problem, result.get("id") if isinstance(result, dict) else None
                    )
            except Rejected as rejected:
                await deliver([to_dead_letter(topics, "joiner", rejected, event)])
                continue
            except ValueError as exc:
                await deliver([to_dead_letter(topics, "joiner", Rejected("not_json", str(exc)), event)])
                continue
            key = result["id"]
            raw_state = state.get(key)
            current = loads(raw_state) if raw_state else None
            new_state, pair, what = join_step(current, half, result, time.time())
            if pair is not None:
                entities_part, quotes_part = pair
                article = entities_part["article"]
                enriched = assemble(
                    article=article,
                    fingerprint=result["fingerprint"],
                    entities_part=entities_part,
                    quotes_part=quotes_part,
                    raw_position=entities_part["source"],
                    enriched_at=now_rfc3339(),
                )
                source_ms = entities_part["source"].get("timestamp_ms")
                if source_ms:
                    enriched["timings_ms"]["end_to_end"] = max(0.0, time.time() * 1000 - source_ms)
                await deliver([Outgoing(topics.enriched, key.encode(), dumps(enriched))])
                new_state = mark_emitted(new_state, result["fingerprint"], time.time())
            if what != "duplicate" and what != "stale":
                state[key] = dumps(new_state)
            log.debug("join %s %s: %s", key, half, what)

    @app.timer(interval=min(3600.0, settings.join_state_ttl_s / 2))
    async def forget_old_articles() -> None:
        now = time.time()
        old = [k for k, v in state.items() if v and expired(loads(v), now, settings.join_state_ttl_s)]
        for k in old:
            del state[k]
        if old:
            log.info("forgot %d articles older than JOIN_STATE_TTL_S", len(old))

    return app
