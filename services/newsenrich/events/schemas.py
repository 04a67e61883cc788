"""Load the JSON Schemas in `schemas/` and validate events against them.

The schema files are the single source of truth for event shapes: the code
never restates them, it only asks "is this valid?" and reports the first
error in words a producer can act on.

Two validators are built from the same files. Every message is checked by
jsonschema-rs (compiled, about 1 µs for a raw article); the pure-Python
`jsonschema` one (about 250 µs) runs only for a message that failed, to word
the reason, and for the meta-schema checks. At two checks per article that
was most of the workers' JSON cost (bench/results).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

EVENT_SCHEMAS = ("raw_article", "entities_result", "quotes_result", "enriched_article", "dead_letter")


def schemas_dir() -> Path:
    """`NEWSENRICH_SCHEMAS_DIR`, else the repository's `schemas/` beside `services/` (see Settings)."""
    from newsenrich.config import setting

    return Path(setting("NEWSENRICH_SCHEMAS_DIR"))


@cache
def _documents() -> dict[str, dict[str, Any]]:
    """Every schema file by file name ("raw_article.schema.json")."""
    docs = {p.name: orjson.loads(p.read_bytes()) for p in sorted(schemas_dir().glob("*.schema.json"))}
    if not docs:
        raise FileNotFoundError(
            f"no *.schema.json in {schemas_dir()}; set NEWSENRICH_SCHEMAS_DIR to the schemas folder"
        )
    return docs


@cache
def _registry() -> Registry:
    resources = []
    for name, doc in _documents().items():
        resource = Resource.from_contents(doc)
        resources.append((doc["$id"], resource))
        resources.append((name, resource))
    return Registry().with_resources(resources)


@cache
def _compiled(name: str) -> jsonschema_rs.Validator:
    """The fast check; references between the files resolve by `$id`, offline."""
    docs = _documents()
    registry = jsonschema_rs.Registry([(doc["$id"], doc) for doc in docs.values()])
    # Formats are annotations in draft 2020-12, as in the `jsonschema` validator: the
    # patterns beside them do the checking, so both validators accept the same events.
    return jsonschema_rs.validator_for(
        docs[f"{name}.schema.json"], registry=registry, validate_formats=False, offline=True
    )


@cache
def validator(name: str) -> Draft202012Validator:
    """The reference validator for one event schema, e.g. ``validator("raw_article")``."""
    doc = _documents()[f"{name}.schema.json"]
    Draft202012Validator.check_schema(doc)
    return Draft202012Validator(doc, registry=_registry())


def first_error(name: str, event: Any) -> str | None:
    """None if `event` is valid, else a one-line description of the most relevant error."""
    if _compiled(name).is_valid(event):
        return None
    errors = list(validator(name).iter_errors(event))
    if not errors:
        return None
    err: ValidationError = min(errors, key=lambda e: (len(e.absolute_path), str(e.message)))
    where = "/".join(str(p) for p in err.absolute_path) or "(root)"
    message = err.message if len(err.message) <= 300 else err.message[:300] + "…"
    return f"{where}: {message}"
