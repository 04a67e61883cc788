"""A broker restart under a running pipeline.

On Kafka the log survives a broker restart and the workers resume from their
committed offsets. Tansu's memory storage loses every topic, offset and the
joiner's changelog on restart, so this cannot pass here: it is kept as an
expected failure that documents the gap instead of being skipped silently.
"""

from __future__ import annotations

import orjson
import pytest

from newsenrich.devtools.broker import EmbeddedBroker
from newsenrich.runtime.admin import ensure_topics

from .conftest import Pipeline
from .test_pipeline import _copies, ids_of

pytestmark = pytest.mark.integration


@pytest.mark.xfail(
    reason="Tansu memory storage loses all topics and offsets on restart; Kafka keeps them",
    strict=False,
)
async def test_pipeline_survives_a_broker_restart(tmp_path, stanza_dir):
    broker = EmbeddedBroker(log_path=tmp_path / "tansu.log")
    broker.start()
    p = Pipeline(broker.bootstrap, tmp_path, stanza_dir)
    try:
        await p.create_topics()
        p.start("entities", "quotes", "joiner")
        first, second = _copies(2)
        await p.produce([first])
        await p.collect(p.settings.topic_enriched, lambda ms: len(ms) >= 1)
        broker.stop()
        broker.start()
        s = p.settings
        await ensure_topics(s)
        await p.produce([second])
        msgs = await p.collect(s.topic_enriched, lambda ms: len(ms) >= 1, timeout_s=60)
        assert orjson.loads(msgs[-1].value)["id"] == second[0].decode()
        assert set(ids_of(msgs)) >= {first[0].decode(), second[0].decode()}, "nothing lost"
    finally:
        p.stop_all()
        broker.stop()
