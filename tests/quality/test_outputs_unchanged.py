"""The enriched output of every shared set and both seeds, held as digests: a regression check.

Written for the restructuring of the NLP rules into named steps (#18), which must not
change a single output; kept so that any change of output is a deliberate one. Each
article's output, timings and timestamps and the rules digest aside, is held as one
digest per top-level field (no article text enters the checkout), so a failure names the
article and the fields that changed.

A change that means to move outputs (a new rule, a retrained model) regenerates the file
after its scores are measured:

    NEWSENRICH_UPDATE_DIGESTS=1 .venv/bin/python -m pytest tests/quality/test_outputs_unchanged.py
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.quality.conftest import set_name

DIGESTS = Path(__file__).with_name("enriched_digests.json")
_VOLATILE = ("timings_ms", "enriched_at")

pytestmark = pytest.mark.integration


def field_digests(article: dict[str, Any]) -> dict[str, str]:
    """One short digest per field of an enriched article, volatile fields and `models.rules` aside."""
    out: dict[str, str] = {}
    for key, value in sorted(article.items()):
        if key in _VOLATILE:
            continue
        if key == "models":
            value = {k: v for k, v in value.items() if k != "rules"}
        out[key] = hashlib.sha256(orjson.dumps(value, option=orjson.OPT_SORT_KEYS)).hexdigest()[:16]
    return out


def test_field_digests_ignore_only_volatile_fields():
    a = {"id": "x", "quotes": [], "timings_ms": {"ner": 1.0}, "models": {"ner": "m", "rules": "r1"}}
    b = {**a, "timings_ms": {"ner": 2.0}, "enriched_at": "now", "models": {"ner": "m", "rules": "r2"}}
    assert field_digests(a) == field_digests(b)
    assert field_digests(a) != field_digests({**a, "quotes": [{"text": "t"}]})
    assert field_digests(a) != field_digests({**a, "models": {"ner": "m2", "rules": "r1"}})


def test_enriched_outputs_unchanged(enriched: dict[Path, list[dict[str, Any]]]):
    now = {
        set_name(folder): {f"{i:03d}:{a['id']}": field_digests(a) for i, a in enumerate(articles)}
        for folder, articles in enriched.items()
    }
    if os.environ.get("NEWSENRICH_UPDATE_DIGESTS") == "1":
        DIGESTS.write_bytes(orjson.dumps(now, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
        pytest.skip(f"wrote {DIGESTS.name}")
    held = orjson.loads(DIGESTS.read_bytes())
    changed = []
    for name, articles in now.items():
        if name not in held:
            changed.append(f"{name}: no digests held (regenerate, see the module docstring)")
            continue
        for key, fields in articles.items():
            before = held[name].get(key)
            if before is None:
                changed.append(f"{name}/{key}: new article")
            elif before != fields:
                moved = sorted(f for f in fields.keys() | before.keys() if fields.get(f) != before.get(f))
                changed.append(f"{name}/{key}: {', '.join(moved)} changed")
        changed.extend(f"{name}/{key}: gone" for key in held[name].keys() - articles.keys())
    assert not changed, "enriched output changed:\n" + "\n".join(changed)
