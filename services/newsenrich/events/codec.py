"""Bytes in, validated events out (and back), with a reason for every rejection.

Everything a worker reads from Kafka passes through `decode_raw_article`: it
is the edge where bad input is turned into a `Rejected` carrying the reason
code the dead-letter schema lists, instead of an exception that would stop
the worker.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import orjson

from newsenrich import SCHEMA_VERSION
from newsenrich.events.schemas import first_error
from newsenrich.nlp.language import detect_language
from newsenrich.nlp.text import INVISIBLE

# An event as the topics carry it: a JSON object, checked against its schema at the edge.
# Inside the NLP the typed values of `nlp/values.py` stand for it (`events/contract.py`).
JSON = dict[str, Any]

MAX_DEPTH = 64  # nesting a raw article may have; the schema's own needs 3
ENVELOPE_BYTES = 1 << 20  # bytes a raw message may have beyond 4 per body character (title, meta)


@dataclass(frozen=True)
class Rejected(Exception):
    """A message that cannot be processed; `reason` is a dead-letter reason code."""

    reason: str
    detail: str
    article_id: str | None = None

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}"


@dataclass(frozen=True)
class Position:
    """Where a message was read: what dead letters and results point back to."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "partition": self.partition,
            "offset": self.offset,
            "timestamp_ms": self.timestamp_ms,
        }


def dumps(event: dict[str, Any]) -> bytes:
    return orjson.dumps(event)


def loads(data: bytes) -> Any:
    return orjson.loads(data)


def now_rfc3339() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def fingerprint(article: dict[str, Any]) -> str:
    """Same article content -> same fingerprint, whatever the key order on the wire."""
    return hashlib.sha256(orjson.dumps(article, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32]


def decode_raw_article(
    value: bytes | None, *, max_body_chars: int, languages: frozenset[str], max_title_chars: int = 1_000
) -> dict[str, Any]:
    """Parse and check one `articles.raw` message; raise `Rejected` with the reason.

    Returns the article with `language` filled in. `languages` is the set the
    service can enrich (it has quote rules for them); anything else is
    rejected rather than passed on with made-up results.
    """
    if value is None:
        raise Rejected("not_json", "empty message value (tombstone?)")
    # Bytes first: a value far over what MAX_BODY_CHARS allows is rejected before it is read.
    max_bytes = 4 * max_body_chars + ENVELOPE_BYTES
    if len(value) > max_bytes:
        raise Rejected(
            "body_too_large",
            f"message is {len(value)} bytes, over the {max_bytes} MAX_BODY_CHARS={max_body_chars} allows",
            id_near_start(value),
        )
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Rejected("not_utf8", f"value is not UTF-8: {exc}", id_near_start(value)) from None
    try:
        article = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise Rejected("not_json", f"value is not JSON: {exc}", id_near_start(value)) from None
    article_id = article.get("id") if isinstance(article, dict) else None
    article_id = article_id if isinstance(article_id, str) else None
    depth = nesting_depth(article)
    if depth > MAX_DEPTH:
        raise Rejected(
            "schema_violation", f"JSON nested {depth} deep, over the limit of {MAX_DEPTH}", article_id
        )
    problem = first_error("raw_article", article)
    if problem is not None:
        raise Rejected("schema_violation", problem, article_id)
    body: str = article["body"]
    if not _VISIBLE.search(body):
        raise Rejected("empty_body", "body has no visible text", article_id)
    if len(body) > max_body_chars:
        raise Rejected(
            "body_too_large",
            f"body has {len(body)} characters, over the limit of {max_body_chars} (MAX_BODY_CHARS)",
            article_id,
        )
    title = article.get("title") or ""
    if len(title) > max_title_chars:
        # A title runs through NER like the body; one of 50k characters held its whole batch.
        raise Rejected(
            "title_too_large",
            f"title has {len(title)} characters, over the limit of {max_title_chars} (MAX_TITLE_CHARS)",
            article_id,
        )
    language = article.get("language") or detect_language((article.get("title") or "") + "\n" + body)
    if language is None or language not in languages:
        raise Rejected(
            "unsupported_language",
            f"language {language!r} is not one of {sorted(languages)}"
            if language
            else "could not detect the language (no Arabic or Latin letters)",
            article_id,
        )
    article["language"] = language
    return cast("dict[str, Any]", article)  # the schema says an object


# A character that is neither white space (str.isspace, as `\s` is in a str pattern) nor
# invisible: found at the body's first letter, where deleting the invisible characters of
# the whole body to look for one cost a tenth of a millisecond per article in each worker.
_VISIBLE = re.compile(f"[^\\s{INVISIBLE}]")
_ID_FIELD = re.compile(rb'"id"\s*:\s*"((?:[^"\\]|\\.){1,200})"')


def id_near_start(value: bytes) -> str | None:
    """The article id of a message rejected before it was parsed, if its first 64 KB show one.

    A dead letter keyed by the article id reaches whoever owns that article (a message too
    large to parse, a body with a lone surrogate escape); unreadable ids are left out.
    """
    m = _ID_FIELD.search(value[: 1 << 16])
    if m is None:
        return None
    try:
        found = json.loads(b'"' + m.group(1) + b'"')
    except ValueError:
        return None
    return found if isinstance(found, str) and found.strip() and found.isprintable() else None


def nesting_depth(value: Any) -> int:
    """How deep arrays and objects nest, counted without recursion (a hostile value cannot blow the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((v, depth + 1) for v in item)
    return deepest


def dead_letter(
    *,
    stage: str,
    rejected: Rejected,
    position: Position,
    key: bytes | None,
    value: bytes | None,
    max_bytes: int | None = None,
) -> dict[str, Any]:
    """The dead-letter event for a rejected message (schemas/dead_letter.schema.json).

    It carries the original bytes when they fit in `max_bytes` (the broker's
    message limit); otherwise a prefix that does, with the original's size and
    SHA-256 and `original_truncated`, so a dead letter is never itself refused.
    """
    value = value or b""
    detail = rejected.detail if len(rejected.detail) <= 2000 else rejected.detail[:2000] + "…"
    letter = {
        "schema_version": SCHEMA_VERSION,
        "stage": stage,
        "reason": rejected.reason,
        "detail": detail,
        "article_id": rejected.article_id,
        "source": position.as_dict(),
        "original_key_b64": base64.b64encode(key[:1024]).decode() if key is not None else None,
        "original_b64": base64.b64encode(value).decode(),
        "original_size_bytes": len(value),
        "failed_at": now_rfc3339(),
    }
    return shrink_dead_letter(letter, max_bytes) if max_bytes is not None else letter


def shrink_dead_letter(letter: dict[str, Any], max_bytes: int) -> dict[str, Any]:
    """The dead letter cut to fit `max_bytes`: a prefix of the original, its size and SHA-256."""
    if len(dumps(letter)) <= max_bytes:
        return letter
    value = base64.b64decode(letter["original_b64"])
    room = max(0, (max_bytes - 4096) * 3 // 4)  # base64 grows 4/3; 4 KiB for the rest
    return letter | {
        "original_b64": base64.b64encode(value[:room]).decode(),
        "original_truncated": True,
        "original_sha256": letter.get("original_sha256") or hashlib.sha256(value).hexdigest(),
    }
