"""A SIGKILLed joiner must not write an article twice.

The joiner writes an enriched record, then the fact that it did (its state),
then acknowledges the halves; a kill between the first and the last re-delivers
halves whose record is already out.
"""

from __future__ import annotations

import signal
from collections import Counter

import pytest

from .conftest import Pipeline
from .test_faults import WORKERS, produce_many, short_articles
from .test_pipeline import ids_of

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("run", [1, 2, 3])
async def test_no_duplicate_after_the_joiner_is_killed_mid_stream(pipeline: Pipeline, run: int):
    pipeline.start(*WORKERS, BATCH_SIZE="8")
    articles = short_articles(300, f"kill{run}")
    await produce_many(pipeline, articles)
    s = pipeline.settings
    await pipeline.collect(s.topic_enriched, lambda ms: len(ms) >= 40 * run, timeout_s=180)
    pipeline.kill("joiner", signal.SIGKILL)
    pipeline.start("joiner", BATCH_SIZE="8")
    want = {k.decode() for k, _ in articles}
    msgs = await pipeline.collect(
        s.topic_enriched, lambda ms: set(ids_of(ms)) >= want, timeout_s=300, settle_s=5
    )
    counts = Counter(ids_of(msgs))
    assert set(counts) == want, "nothing lost"
    twice = {k: n for k, n in counts.items() if n > 1}
    assert not twice, f"{len(twice)} articles written more than once: {sorted(twice)[:5]}"
