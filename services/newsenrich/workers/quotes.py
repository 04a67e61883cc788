"""Quotes worker: articles.raw -> articles.quotes.

Quote rules work on the text alone (no model), microseconds per article, so
they run inline on the event loop; speakers are linked to entities later,
in the joiner.
"""

from __future__ import annotations

import time

import faust

from newsenrich.config import Settings
from newsenrich.events.codec import dumps
from newsenrich.events.results import quotes_result
from newsenrich.nlp.enrichment import find_quotes
from newsenrich.observability import STAGE_SECONDS
from newsenrich.workers.app import make_app
from newsenrich.workers.delivery import Outgoing, RawArticle, consume_raw


def build(settings: Settings) -> faust.App:
    app, topics, health = make_app("quotes", settings)
    health.models_loaded = True  # rules only: nothing to load

    async def handle(batch: list[RawArticle]) -> list[Outgoing]:
        out = []
        t0 = time.perf_counter()
        for r in batch:
            result = quotes_result(r.article, r.position, find_quotes(r.article))
            out.append(Outgoing(topics.quotes, r.article["id"].encode(), dumps(result)))
        STAGE_SECONDS.labels("quotes_batch").observe(time.perf_counter() - t0)
        return out

    @app.agent(topics.raw, name="quotes")
    async def quotes(stream: faust.StreamT) -> None:
        await consume_raw(
            stream, stage="quotes", settings=settings, topics=topics, handle=handle, health=health
        )

    return app
