"""The two worker results (schemas/entities_result and quotes_result), built and read in one place.

The workers build them and the joiner reads them back; keeping both ends
here means the envelope the joiner relies on is written down once, beside
the schemas that define it.
"""

from __future__ import annotations

from typing import Any, cast

from newsenrich import SCHEMA_VERSION
from newsenrich.events.codec import Position, Rejected, fingerprint, loads
from newsenrich.events.contract import entities_part_json, quotes_part_json
from newsenrich.events.schemas import first_error
from newsenrich.nlp.enrichment import EntitiesPart, QuotesPart


def entities_result(article: dict[str, Any], position: Position, part: EntitiesPart) -> dict[str, Any]:
    """The entities half; it carries the validated article so the joiner needs no third input."""
    return _envelope(article, position) | {"article": article, **entities_part_json(part)}


def quotes_result(article: dict[str, Any], position: Position, part: QuotesPart) -> dict[str, Any]:
    return _envelope(article, position) | {"language": article["language"], **quotes_part_json(part)}


def _envelope(article: dict[str, Any], position: Position) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "id": article["id"],
        "fingerprint": fingerprint(article),
        "source": position.as_dict(),
    }


def read_result(half: str, value: bytes | None) -> dict[str, Any]:
    """A worker result checked against its schema in full, or Rejected with the reason.

    The halves come from our own workers, but a topic is an interface anyone with
    write access can produce to, and one malformed half must become a dead letter,
    not a joiner crash. With the compiled validator the full check costs
    microseconds, so the joiner no longer trusts a hand-picked subset of fields.
    """
    try:
        result = loads(value or b"")
    except ValueError as exc:
        raise Rejected("not_json", str(exc)) from None
    article_id = result.get("id") if isinstance(result, dict) else None
    problem = first_error(f"{half}_result", result)
    if problem is not None:
        raise Rejected(
            "schema_violation",
            f"{half} result: {problem}",
            article_id if isinstance(article_id, str) else None,
        )
    return cast("dict[str, Any]", result)  # the schema says an object
