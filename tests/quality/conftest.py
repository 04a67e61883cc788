"""One `newsenrich enrich` run per shared evaluation set (and the seeds), shared by the quality tests.

Runs the CLI in a subprocess as the quality scorer does, so what these tests read is what
`score.py` scores. The sets live in `../shared/eval` beside the checkout (CI has that copy);
where it is absent only the seeds run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest

ROOT = Path(__file__).resolve().parents[2]
EVAL = ROOT.parent / "shared" / "eval"
SETS = sorted(p.parent for p in EVAL.glob("**/gold.json")) if EVAL.is_dir() else []


def set_name(folder: Path) -> str:
    return str(folder.relative_to(EVAL)) if folder.is_relative_to(EVAL) else folder.name


@pytest.fixture(scope="session")
def enriched(stanza_dir: Path) -> dict[Path, list[dict[str, Any]]]:
    """Enriched articles per folder (every shared set, then `seeds/`), in file-name order."""
    out: dict[Path, list[dict[str, Any]]] = {}
    for folder in [*SETS, ROOT / "seeds"]:
        files = sorted(p for p in folder.iterdir() if p.suffix == ".txt")
        lines = subprocess.run(
            [sys.executable, "-m", "newsenrich.cli", "enrich", *map(str, files)],
            capture_output=True,
            check=True,
            timeout=600,
        ).stdout.splitlines()
        out[folder] = [orjson.loads(line) for line in lines]
    return out
