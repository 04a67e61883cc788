"""Shared test set-up: where the schemas and models are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def stanza_dir() -> Path:
    """The stanza models the integration tests run: the shipped models/, unless STANZA_RESOURCES_DIR says."""
    env = os.environ.get("STANZA_RESOURCES_DIR")
    path = Path(env) if env else ROOT / "models"
    if not (path / "resources.json").is_file():
        pytest.fail(f"no stanza models in {path}: the checkout ships them in models/")
    os.environ["STANZA_RESOURCES_DIR"] = str(path)
    return path
