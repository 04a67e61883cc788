"""`newsenrich enrich`: the offline path over real models, as the quality scorer runs it."""

from __future__ import annotations

import subprocess
import sys

import orjson
import pytest

from newsenrich.events.schemas import first_error

from .conftest import ROOT
from .test_pipeline import assert_offsets_hold

pytestmark = pytest.mark.integration


def test_enrich_writes_valid_articles_in_input_order_and_reports_rejects(tmp_path, stanza_dir):
    english = {
        "id": "en-1",
        "title": "Port reopens",
        "body": (
            'The port of Valletta reopened on Monday. "Ships are moving again," said Maria Borg, '
            "the harbour master.\nShe told reporters that traffic would be normal by Friday."
        ),
    }
    dump = tmp_path / "articles.jsonl"
    dump.write_bytes(orjson.dumps(english) + b"\n" + b"{broken\n")
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    proc = subprocess.run(
        [sys.executable, "-m", "newsenrich.cli", "enrich", *map(str, seeds), str(dump)],
        capture_output=True,
        timeout=300,
        env={"STANZA_RESOURCES_DIR": str(stanza_dir), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 1, "a rejected input makes the exit code non-zero"
    assert b"not_json" in proc.stderr
    out = [orjson.loads(line) for line in proc.stdout.splitlines()]
    assert [a["id"] for a in out] == [p.stem for p in seeds] + ["en-1"]
    for article in out:
        assert first_error("enriched_article", article) is None
        assert_offsets_hold(article)
    en = out[-1]
    assert en["language"] == "en"
    [direct] = [q for q in en["quotes"] if q["kind"] == "direct"]
    assert direct["text"] == "Ships are moving again"
    assert "Borg" in direct["speaker"]["name"]
    [indirect] = [q for q in en["quotes"] if q["kind"] == "indirect"]
    assert indirect["text"] == "traffic would be normal by Friday"
    assert "Borg" in indirect["speaker"]["name"]
