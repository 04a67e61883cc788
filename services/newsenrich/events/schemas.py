"""Load the JSON Schemas in `schemas/` and validate events against them.

The schema files are the single source of truth for event shapes: the code
never restates them, it only asks "is this valid?" and reports the first
error in words a producer can act on.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

EVENT_SCHEMAS = ("raw_article", "entities_result", "quotes_result", "enriched_article", "dead_letter")


def schemas_dir() -> Path:
    """`NEWSENRICH_SCHEMAS_DIR`, else the repository's `schemas/` beside `services/`."""
    env = os.environ.get("NEWSENRICH_SCHEMAS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "schemas"


@cache
def _registry() -> Registry:
    resources = []
    for path in sorted(schemas_dir().glob("*.schema.json")):
        doc = orjson.loads(path.read_bytes())
        resource = Resource.from_contents(doc)
        resources.append((doc["$id"], resource))
        resources.append((path.name, resource))
    if not resources:
        raise FileNotFoundError(
            f"no *.schema.json in {schemas_dir()}; set NEWSENRICH_SCHEMAS_DIR to the schemas folder"
        )
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    """A compiled validator for one event schema, e.g. ``validator("raw_article")``."""
    doc = orjson.loads((schemas_dir() / f"{name}.schema.json").read_bytes())
    Draft202012Validator.check_schema(doc)
    return Draft202012Validator(doc, registry=_registry())


def first_error(name: str, event: Any) -> str | None:
    """None if `event` is valid, else a one-line description of the most relevant error."""
    errors = list(validator(name).iter_errors(event))
    if not errors:
        return None
    err: ValidationError = min(errors, key=lambda e: (len(e.absolute_path), str(e.message)))
    where = "/".join(str(p) for p in err.absolute_path) or "(root)"
    message = err.message if len(err.message) <= 300 else err.message[:300] + "…"
    return f"{where}: {message}"
