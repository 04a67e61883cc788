"""Re-enrichment after an upgrade: `newsenrich reprocess --since` on the real broker.

The joiner used to identify a record by the article's fingerprint alone, so
a replay after new models shipped wrote nothing. Now a new enrichment
version of the same article is a new record, and the same version is still
a duplicate.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from .conftest import Pipeline
from .test_faults import WORKERS, produce_many, short_articles

pytestmark = pytest.mark.integration


def upgraded_models(stanza_dir: Path, into: Path) -> Path:
    """The same model files under a resources.json that says the NER models are new ones."""
    into.mkdir()
    for child in stanza_dir.iterdir():
        if child.name != "resources.json":
            (into / child.name).symlink_to(child)
    index = orjson.loads((stanza_dir / "resources.json").read_bytes())
    for lang in ("ar", "en"):
        ner = index[lang]["ner"][index[lang]["default_processors"]["ner"]]
        ner["md5"] = "f" * 32
    (into / "resources.json").write_bytes(orjson.dumps(index))
    return into


def reprocess(pipeline: Pipeline, since: str, epoch: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsenrich.cli", "reprocess", "--since", since, "--epoch", str(epoch)],
        env=pipeline.env,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def test_reprocess_re_enriches_only_what_a_new_version_changes(
    pipeline: Pipeline, stanza_dir, tmp_path
):
    s = pipeline.settings
    since = datetime.now(UTC).isoformat()
    time.sleep(0.01)
    pipeline.start(*WORKERS)
    articles = short_articles(4, "again")
    await produce_many(pipeline, articles)
    first = await pipeline.collect(s.topic_enriched, lambda ms: len(ms) >= 4)

    # The same deploy reprocessed: every half comes again, and no record is written twice.
    for name in ("entities", "quotes"):
        pipeline.kill(name, signal.SIGTERM)
    done = reprocess(pipeline, since, 1)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count(": 4 messages to enrich again") == 2, done.stderr[-600:]
    assert "REPROCESS_EPOCH=1" in done.stderr
    pipeline.start("entities", "quotes", REPROCESS_EPOCH="1")
    await pipeline.collect(s.topic_entities, lambda ms: len(ms) >= 8)
    await pipeline.collect(s.topic_quotes, lambda ms: len(ms) >= 8)
    same = await pipeline.collect(s.topic_enriched, lambda ms: True, settle_s=6)
    assert len(same) == 4, "an unchanged enrichment version is a duplicate"

    # New NER models: reprocessing writes one new record per article, naming them.
    for name in ("entities", "quotes"):
        pipeline.kill(name, signal.SIGTERM)
    assert reprocess(pipeline, since, 1).returncode == 5, "an epoch is used once"
    assert reprocess(pipeline, since, 2).returncode == 0
    v2 = upgraded_models(stanza_dir, tmp_path / "v2")
    pipeline.start("entities", "quotes", STANZA_RESOURCES_DIR=str(v2), REPROCESS_EPOCH="2")
    after = await pipeline.collect(s.topic_enriched, lambda ms: len(ms) >= 8, timeout_s=180, settle_s=4)
    assert len(after) == 8
    upgraded: dict[bool, set[str]] = {}
    for record in (orjson.loads(m.value) for m in after):
        upgraded.setdefault(record["models"]["ner"].endswith("@ffffffff"), set()).add(record["id"])
    assert upgraded[True] == upgraded[False] == {k.decode() for k, _ in articles}
    assert {orjson.loads(m.value)["id"] for m in first} == upgraded[False]


def test_reprocess_says_what_it_needs(tmp_path):
    bad = subprocess.run(
        [sys.executable, "-m", "newsenrich.cli", "reprocess", "--since", "yesterday"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "ISO 8601" in bad.stderr and "Traceback" not in bad.stderr
