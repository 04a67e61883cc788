"""The module boundaries the README promises, checked on the source: only runtime/ and devtools/
talk to Kafka, and the service's runtime never reaches into the development tools."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[2] / "services" / "newsenrich"
KAFKA = ("faust", "aiokafka", "mode")


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def modules(*parts: str) -> list[Path]:
    found: list[Path] = []
    for part in parts:
        p = PKG / part
        found += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return found


@pytest.mark.parametrize(
    "path",
    modules("nlp", "events", "stages", "join.py", "memory.py", "offline.py", "config.py", "sources.py"),
    ids=lambda p: str(p.relative_to(PKG)),
)
def test_no_kafka_outside_the_runtime(path: Path):
    bad = {m for m in imports(path) if m.split(".")[0] in KAFKA}
    assert not bad, f"{path.name} imports {bad}: Kafka belongs in runtime/"


@pytest.mark.parametrize("path", modules("runtime", "stages", "nlp"), ids=lambda p: str(p.relative_to(PKG)))
def test_the_service_does_not_depend_on_dev_tools(path: Path):
    bad = {m for m in imports(path) if m.startswith("newsenrich.devtools") or m.startswith("calfkit")}
    assert not bad, f"{path.name} imports {bad}"
