"""Entities worker: articles.raw -> articles.entities.

stanza is CPU-bound and holds the GIL only in Python glue; it runs on one
dedicated thread so the event loop keeps heart-beating, fetching and
producing while a batch is annotated.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import faust

from newsenrich.config import Settings
from newsenrich.events.codec import dumps
from newsenrich.events.results import entities_result
from newsenrich.nlp.enrichment import find_entities
from newsenrich.nlp.pipeline import Annotator, set_torch_threads
from newsenrich.observability import MODEL_LOAD_SECONDS, STAGE_SECONDS
from newsenrich.workers.app import make_app
from newsenrich.workers.delivery import Outgoing, RawArticle, consume_raw


def build(settings: Settings) -> faust.App:
    set_torch_threads(settings.torch_threads)
    t0 = time.perf_counter()
    annotator = Annotator(sorted(settings.languages), batch_size=settings.batch_size)  # fails fast
    MODEL_LOAD_SECONDS.labels("entities").set(time.perf_counter() - t0)
    # The thread count is set again inside the NER thread: OpenMP keeps it per thread, so a
    # thread that did not set it runs torch on every core and fights the other processes.
    executor = ThreadPoolExecutor(
        max_workers=1,
        thread_name_prefix="stanza",
        initializer=set_torch_threads,
        initargs=(settings.torch_threads,),
    )
    app, topics, health = make_app("entities", settings)
    health.models_loaded = True

    async def handle(batch: list[RawArticle]) -> list[Outgoing]:
        articles = [r.article for r in batch]
        loop = asyncio.get_running_loop()
        t1 = time.perf_counter()
        parts = await loop.run_in_executor(executor, find_entities, annotator, articles)
        STAGE_SECONDS.labels("ner_batch").observe(time.perf_counter() - t1)
        results = [entities_result(r.article, r.position, part) for r, part in zip(batch, parts, strict=True)]
        return [Outgoing(topics.entities, result["id"].encode(), dumps(result)) for result in results]

    @app.agent(topics.raw, name="entities")
    async def entities(stream: faust.StreamT) -> None:
        await consume_raw(
            stream, stage="entities", settings=settings, topics=topics, handle=handle, health=health
        )

    return app
