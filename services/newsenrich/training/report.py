"""MODELS.md beside the shipped models: data, licences, attribution, scores, training time."""

from __future__ import annotations

from pathlib import Path


def write_models_md(out: Path, work: Path) -> None:
    """Placeholder until the report is written; the packaging stage calls it last."""
    (out / "MODELS.md").touch()
