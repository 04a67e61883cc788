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


def enrich_paths(
    paths: Iterable[str],
    settings: Settings,
    out: IO[bytes],
    err: IO[str] = sys.stderr,
    annotator: Annotator | None = None,
) -> int:
    """Write one enriched article per line to `out`, in input order; return how many were lost.

    A rejected input, or an article whose enrichment fails, is reported on
    `err` with its id and reason and the run goes on with the rest: one bad
    article never costs the others. A batch that fails is retried one
    article at a time, so only the article at fault is left out.
    """
    annotator = annotator or Annotator(sorted(settings.languages), batch_size=settings.batch_size)
    lost = 0
    batch: list[tuple[str, dict[str, Any]]] = []

    def write(enriched: list[dict[str, Any]]) -> None:
        for article in enriched:
            out.write(orjson.dumps(article) + b"\n")

    def flush() -> None:
        nonlocal lost
        try:
            write(enrich_batch(annotator, [a for _, a in batch]))
        except Exception:  # retried one by one: only the article at fault is lost
            for origin, article in batch:
                try:
                    write(enrich_batch(annotator, [article]))
                except Exception as exc:
                    lost += 1
                    print(f"{origin}: failed: {article['id']}: {type(exc).__name__}: {exc}", file=err)
        out.flush()
        batch.clear()

    for rec in read_records(paths):
        try:
            article = decode_raw_article(
                rec.value, max_body_chars=settings.max_body_chars, languages=settings.languages
            )
        except Rejected as exc:
            lost += 1
            print(f"{rec.origin}: rejected: {exc}", file=err)
            continue
        batch.append((rec.origin, article))
        if len(batch) >= settings.batch_size:
            flush()
    if batch:
        flush()
    return lost
