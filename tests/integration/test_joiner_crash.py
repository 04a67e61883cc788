"""A SIGKILLed joiner must not write an article twice.

The joiner writes an enriched record, then the fact that it did (its state),
then acknowledges the halves; a kill between the first and the last re-delivers
halves whose record is already out.

Now and then (once in some fifteen runs so far) Tansu leaves a restarted consumer without messages
for good; the joiner then has halves waiting and makes no progress, its liveness probe
fails after LIVENESS_STALL_S, and a supervisor (Kubernetes, `newsenrich up`) restarts it.
The test plays that supervisor (up to three restarts; CI once saw two stalls in a row), so it
also checks that the probe sees each such stall, and the no-duplicate rule then holds across
every kill.
"""

from __future__ import annotations

import signal
from collections import Counter

import pytest

from .conftest import Pipeline
from .test_faults import WORKERS, produce_many, short_articles
from .test_operations import get
from .test_pipeline import ids_of

STALL_S = 30  # the restarted joiner's LIVENESS_STALL_S
SUPERVISOR_RESTARTS = 3  # as Kubernetes would, on each failed liveness probe

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("run", [1, 2, 3])
async def test_no_duplicate_after_the_joiner_is_killed_mid_stream(pipeline: Pipeline, run: int):
    pipeline.start(*WORKERS, BATCH_SIZE="8")
    articles = short_articles(300, f"kill{run}")
    await produce_many(pipeline, articles)
    s = pipeline.settings
    await pipeline.collect(s.topic_enriched, lambda ms: len(ms) >= 40 * run, timeout_s=180)
    pipeline.kill("joiner", signal.SIGKILL)
    pipeline.start("joiner", BATCH_SIZE="8", LIVENESS_STALL_S=str(STALL_S))
    want = {k.decode() for k, _ in articles}
    for restarts in range(SUPERVISOR_RESTARTS + 1):
        try:
            msgs = await pipeline.collect(
                s.topic_enriched, lambda ms: set(ids_of(ms)) >= want, timeout_s=150, settle_s=5
            )
            break
        except AssertionError:
            if restarts == SUPERVISOR_RESTARTS:
                raise
            status = get(pipeline.ports["joiner"], "/healthz")[0]
            assert status == 503, f"the joiner made no progress for 150 s, yet /healthz says {status}"
            pipeline.kill("joiner", signal.SIGKILL)  # what a supervisor does on a failed liveness probe
            pipeline.start("joiner", BATCH_SIZE="8", LIVENESS_STALL_S=str(STALL_S))
    counts = Counter(ids_of(msgs))
    assert set(counts) == want, "nothing lost"
    twice = {k: n for k, n in counts.items() if n > 1}
    assert not twice, f"{len(twice)} articles written more than once: {sorted(twice)[:5]}"
