"""The quotes stage: raw articles -> quote candidates with speaker evidence (rules, no model)."""

from __future__ import annotations

import time

from newsenrich.events.codec import dumps
from newsenrich.events.contract import article_of
from newsenrich.events.results import quotes_result
from newsenrich.nlp.enrichment import find_quotes
from newsenrich.stages.base import QUOTES, Emit
from newsenrich.stages.raw import RawArticle, RawStage


class QuotesStage(RawStage):
    """About a millisecond per article: runners call it on their event loop."""

    name = "quotes"

    def handle(self, batch: list[RawArticle]) -> list[Emit]:
        out = []
        t0 = time.perf_counter()
        for raw in batch:
            result = quotes_result(raw.article, raw.position, find_quotes(article_of(raw.article)))
            out.append(Emit(QUOTES, raw.article["id"].encode(), dumps(result), source=raw.message))
        self.observed.append(("quotes_batch", time.perf_counter() - t0))
        return out
