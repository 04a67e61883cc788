"""`newsenrich enrich`: the workers' stages on the in-memory runner, without Kafka.

The same decoding, batched NER, quote rules, join and delivery rules as the
streaming pipeline (they are the same stage objects); what differs is only
where bytes come from and go to. This is what the quality scorer runs.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from typing import IO, Any

import orjson

from newsenrich.config import Settings
from newsenrich.memory import MemoryRunner
from newsenrich.nlp.pipeline import Annotator
from newsenrich.sources import read_records
from newsenrich.stages.base import DEADLETTER, ENRICHED, RAW, Stage
from newsenrich.stages.entities import EntitiesStage
from newsenrich.stages.joiner import JoinerStage
from newsenrich.stages.quotes import QuotesStage


def pipeline_stages(settings: Settings, annotator: Any) -> list[Stage]:
    """The three workers' stages, configured as the workers configure them."""
    raw = {
        "languages": settings.languages,
        "max_body_chars": settings.max_body_chars,
        "max_title_chars": settings.max_title_chars,
        "max_message_bytes": settings.max_message_bytes,
    }
    return [
        EntitiesStage(annotator, **raw),
        QuotesStage(**raw),
        JoinerStage(max_message_bytes=settings.max_message_bytes),
    ]


def enrich_articles(settings: Settings, annotator: Any, articles: list[dict[str, Any]]) -> list[bytes]:
    """Enriched records for raw articles (dicts), through the stages on the in-memory runner."""
    runner = MemoryRunner(
        pipeline_stages(settings, annotator),
        batch_size=settings.batch_size,
        max_message_bytes=settings.max_message_bytes,
    )
    for a in articles:
        runner.broker.send(RAW, a["id"].encode(), orjson.dumps(a))
    runner.run()
    return [m.value or b"" for m in runner.broker.records(ENRICHED)]


def _progress_report(
    runner: MemoryRunner, total: int, err: IO[str], every_s: float = 5.0
) -> Callable[[], None]:
    """A progress line on `err` at most every `every_s` seconds, and one at the end."""
    last = [time.monotonic(), -1.0]

    def report() -> None:
        now = time.monotonic()
        done = runner.broker.count(ENRICHED)
        if done != last[1] and (now - last[0] >= every_s or done == total):
            last[0], last[1] = now, done
            print(f"enrich: {done}/{total} articles enriched", file=err, flush=True)

    return report


def enrich_paths(
    paths: Iterable[str],
    settings: Settings,
    out: IO[bytes],
    err: IO[str] = sys.stderr,
    annotator: Annotator | None = None,
) -> int:
    """Write one enriched article per line to `out`, in input order; return how many were lost.

    A rejected input, or an article whose enrichment fails, is reported on
    `err` (where it came from, the stage, the reason) and the run goes on with
    the rest: the stages retry a failing batch one article at a time, so only
    the article at fault is lost.
    """
    annotator = annotator or Annotator(
        sorted(settings.languages), root=settings.stanza_resources_dir, batch_size=settings.batch_size
    )
    runner = MemoryRunner(
        pipeline_stages(settings, annotator),
        batch_size=settings.batch_size,
        max_message_bytes=settings.max_message_bytes,
    )
    origin: dict[int, str] = {}
    for rec in read_records(paths):
        origin[runner.broker.send(RAW, rec.key, rec.value).offset] = rec.origin
    runner.run(progress=_progress_report(runner, len(origin), err))
    done: set[int] = set()
    enriched = [(orjson.loads(m.value or b"{}"), m.value or b"") for m in runner.broker.records(ENRICHED)]
    for article, value in sorted(enriched, key=lambda x: x[0]["raw_position"]["offset"]):
        done.add(article["raw_position"]["offset"])
        out.write(value + b"\n")
    out.flush()
    reported: set[int] = set()
    for letter in (orjson.loads(m.value or b"{}") for m in runner.broker.records(DEADLETTER)):
        raw_offset = letter["source"]["offset"] if letter["stage"] != "joiner" else None
        if raw_offset is not None and (raw_offset in reported or raw_offset in done):
            continue  # each raw message once, although both raw stages reject it
        if raw_offset is not None:
            reported.add(raw_offset)
        where = origin.get(raw_offset or -1, f"article {letter.get('article_id')}")
        kind = "rejected" if letter["reason"] not in ("processing_error", "output_too_large") else "failed"
        print(f"{where}: {kind} by {letter['stage']}: {letter['reason']}: {letter['detail']}", file=err)
    return len(origin) - len(done)
