"""Bytes in, validated events out (and back), with a reason for every rejection.

Everything a worker reads from Kafka passes through `decode_raw_article`: it
is the edge where bad input is turned into a `Rejected` carrying the reason
code the dead-letter schema lists, instead of an exception that would stop
the worker.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson

from newsenrich import SCHEMA_VERSION
from newsenrich.events.schemas import first_error
from newsenrich.nlp.language import detect_language


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
    value: bytes | None, *, max_body_chars: int, languages: frozenset[str]
) -> dict[str, Any]:
    """Parse and check one `articles.raw` message; raise `Rejected` with the reason.

    Returns the article with `language` filled in. `languages` is the set the
    service can enrich (it has quote rules for them); anything else is
    rejected rather than passed on with made-up results.
    """
    if value is None:
        raise Rejected("not_json", "empty message value (tombstone?)")
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Rejected("not_utf8", f"value is not UTF-8: {exc}") from None
    try:
        article = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise Rejected("not_json", f"value is not JSON: {exc}") from None
    article_id = article.get("id") if isinstance(article, dict) else None
    article_id = article_id if isinstance(article_id, str) else None
    problem = first_error("raw_article", article)
    if problem is not None:
        raise Rejected("schema_violation", problem, article_id)
    body: str = article["body"]
    if not body.strip():
        raise Rejected("empty_body", "body has no text", article_id)
    if len(body) > max_body_chars:
        raise Rejected(
            "body_too_large",
            f"body has {len(body)} characters, over the limit of {max_body_chars} (MAX_BODY_CHARS)",
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
    return article


def dead_letter(
    *,
    stage: str,
    rejected: Rejected,
    position: Position,
    key: bytes | None,
    value: bytes | None,
) -> dict[str, Any]:
    """The dead-letter event for a rejected message (schemas/dead_letter.schema.json)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "stage": stage,
        "reason": rejected.reason,
        "detail": rejected.detail,
        "article_id": rejected.article_id,
        "source": position.as_dict(),
        "original_key_b64": base64.b64encode(key).decode() if key is not None else None,
        "original_b64": base64.b64encode(value or b"").decode(),
        "failed_at": now_rfc3339(),
    }
