"""`newsenrich enrich`: the streaming pipeline's code path, without Kafka.

Same decoding, same batched NER, same quote rules and the same join as the
workers; what differs is only where bytes come from and go to. This is what
the quality scorer runs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import IO, Any

import orjson

from newsenrich.config import Settings
from newsenrich.events.codec import Rejected, decode_raw_article, fingerprint, now_rfc3339
from newsenrich.nlp.enrichment import assemble, find_entities, find_quotes
from newsenrich.nlp.pipeline import Annotator
from newsenrich.sources import read_records


def enrich_batch(annotator: Annotator, articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Enriched articles for decoded raw articles, one NER batch, the workers' functions."""
    parts = find_entities(annotator, articles)
    return [
        assemble(
            article=article,
            fingerprint=fingerprint(article),
            entities_part=ents,
            quotes_part=find_quotes(article),
            raw_position=None,
            enriched_at=now_rfc3339(),
        )
        for article, ents in zip(articles, parts, strict=True)
    ]


def enrich_paths(paths: Iterable[str], settings: Settings, out: IO[bytes], err: IO[str] = sys.stderr) -> int:
    """Write one enriched article per line to `out`, in input order; return the number rejected."""
    annotator = Annotator(sorted(settings.languages), batch_size=settings.batch_size)
    rejected = 0
    batch: list[dict[str, Any]] = []

    def flush() -> None:
        for enriched in enrich_batch(annotator, batch):
            out.write(orjson.dumps(enriched) + b"\n")
        out.flush()
        batch.clear()

    for rec in read_records(paths):
        try:
            article = decode_raw_article(
                rec.value, max_body_chars=settings.max_body_chars, languages=settings.languages
            )
        except Rejected as exc:
            rejected += 1
            print(f"{rec.origin}: rejected: {exc}", file=err)
            continue
        batch.append(article)
        if len(batch) >= settings.batch_size:
            flush()
    if batch:
        flush()
    return rejected
