"""The entities stage: raw articles -> entities results (batched NER)."""

from __future__ import annotations

import time
from typing import Any

from newsenrich.events.codec import dumps
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
        parts = find_entities(self.annotator, [r.article for r in batch])
        self.observed.append(("ner_batch", time.perf_counter() - t0))
        out = []
        for raw, part in zip(batch, parts, strict=True):
            result = entities_result(raw.article, raw.position, part)
            out.append(Emit(ENTITIES, result["id"].encode(), dumps(result), source=raw.message))
        return out
