"""The entities stage: raw articles -> entities results (batched NER)."""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import Any

from newsenrich.events.codec import JSON, dumps
from newsenrich.events.contract import article_of
from newsenrich.events.results import entities_result
from newsenrich.nlp.enrichment import entities_in_steps
from newsenrich.nlp.steps import drain
from newsenrich.stages.base import ENTITIES, Emit, Message
from newsenrich.stages.raw import RawArticle, RawStage


class EntitiesStage(RawStage):
    """stanza NER over a batch of articles: CPU-bound, so runners call it off their event loop."""

    name = "entities"
    blocking = True

    def __init__(self, annotator: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.annotator = annotator

    # A message this large (tens of thousands of characters) takes its NER alone and beside the
    # batches after it: its stanza calls take at most STEP_CHARS characters each, and the
    # runner lets the NER of later batches run in between, so the short articles behind a
    # long one wait for one step of it, never for all of it.
    ALONE_BYTES = 64 * 1024
    STEP_CHARS = 10_000

    def parts(self, batch: list[Message]) -> tuple[list[Message], list[list[Message]]]:
        """The batch cut for delivery: the ordinary articles together, and each long one alone."""
        long = [m for m in batch if len(m.value or b"") > self.ALONE_BYTES]
        rest = [m for m in batch if len(m.value or b"") <= self.ALONE_BYTES]
        return rest, [[m] for m in long]

    def handle(self, batch: list[RawArticle]) -> list[Emit]:
        return drain(self.handle_in_steps(batch))

    def handle_in_steps(self, batch: list[RawArticle]) -> Generator[None, None, list[Emit]]:
        t0 = time.perf_counter()
        articles = [article_of(r.article) for r in batch]
        # An article alone (a long one's part) in steps; a batch in one stanza call, the fastest.
        step_chars = self.STEP_CHARS if len(articles) == 1 else None
        parts = yield from entities_in_steps(self.annotator, articles, step_chars)
        self.observed.append(("ner_batch", time.perf_counter() - t0))
        out = []
        for raw, part in zip(batch, parts, strict=True):
            result = entities_result(raw.article, raw.position, part)
            value = dumps(result)
            if len(value) > self.max_message_bytes and raw.article.get("meta"):
                value = dumps(without_meta(result, len(value), self.max_message_bytes))
            out.append(Emit(ENTITIES, result["id"].encode(), value, source=raw.message))
        return out


def without_meta(result: JSON, size: int, limit: int) -> JSON:
    """The result with the feed's `meta` replaced by a note saying it was left out.

    `meta` is the feed's to pass along (raw HTML, say); when it alone pushes a result over the
    message limit, that is no failure of this stage and must not trip its dead-letter limit:
    the enriched article goes out without it, and says so in its `meta`. The fingerprint
    stays the full article's, so the quotes half still pairs with it.
    """
    meta_bytes = len(dumps(result["article"]["meta"]))
    note = {
        "newsenrich_omitted": (
            f"the feed's meta ({meta_bytes} bytes) left out: with it this result was {size} bytes, "
            f"over the {limit}-byte message limit (MAX_MESSAGE_BYTES)"
        )
    }
    return result | {"article": result["article"] | {"meta": note}}
