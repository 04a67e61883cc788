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
    """About half a millisecond per article, but a quarter of a second for a 100,000-character
    body and over a second at 500,000: runners call it off their event loop, so a long article
    never holds the worker's heartbeats and probes (they waited 1.1 s on one)."""

    name = "quotes"
    blocking = True

    def handle(self, batch: list[RawArticle]) -> list[Emit]:
        out = []
        t0 = time.perf_counter()
        for raw in batch:
            result = quotes_result(raw.article, raw.position, find_quotes(article_of(raw.article)))
            out.append(Emit(QUOTES, raw.article["id"].encode(), dumps(result), source=raw.message))
        self.observed.append(("quotes_batch", time.perf_counter() - t0))
        return out
