"""The entities stage: raw articles -> entities results (batched NER)."""

from __future__ import annotations

import time
from typing import Any

from newsenrich.events.codec import JSON, dumps
from newsenrich.events.contract import article_of
from newsenrich.events.results import entities_result
from newsenrich.nlp.enrichment import find_entities
from newsenrich.stages.base import ENTITIES, Emit, Message
from newsenrich.stages.raw import RawArticle, RawStage


class EntitiesStage(RawStage):
    """stanza NER over a batch of articles: CPU-bound, so runners call it off their event loop."""

    name = "entities"
    blocking = True

    def __init__(self, annotator: Any, **kwargs: Any):
        super().__init__(**kwargs)
        self.annotator = annotator

    # A message this large (tens of thousands of characters) takes its NER alone, after the
    # rest of its batch is delivered, so the short articles beside it never wait for it.
    ALONE_BYTES = 64 * 1024

    def parts(self, batch: list[Message]) -> list[list[Message]]:
        """The batch cut for delivery: the ordinary articles together, then each long one alone."""
        long = [m for m in batch if len(m.value or b"") > self.ALONE_BYTES]
        rest = [m for m in batch if len(m.value or b"") <= self.ALONE_BYTES]
        return [p for p in (rest, *([m] for m in long)) if p]

    def handle(self, batch: list[RawArticle]) -> list[Emit]:
        t0 = time.perf_counter()
        parts = find_entities(self.annotator, [article_of(r.article) for r in batch])
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
