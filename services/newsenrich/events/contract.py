"""The NLP's typed values to and from the JSON contract (`schemas/common.schema.json`).

The one place where an `Entity`, a `QuoteSpan` with its `SpeakerEvidence`, or a `Quote`
becomes the JSON the topics carry, and where the halves a joiner reads become typed
values again. Optional evidence fields are written only when set, as the quotes worker
always wrote them, so a joiner of either version reads a half of either version.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from newsenrich import SCHEMA_VERSION
from newsenrich.events.codec import JSON
from newsenrich.nlp.enrichment import EntitiesPart, QuotesPart, attribute_quotes
from newsenrich.nlp.values import (
    Article,
    Entity,
    EntityMention,
    Quote,
    QuoteSpan,
    Span,
    Speaker,
    SpeakerEvidence,
)

_OPTIONAL_EVIDENCE = ("np", "head", "of", "qualifier")


def article_of(raw: Mapping[str, Any]) -> Article:
    """What the NLP reads of a validated raw article."""
    return Article(raw["id"], raw["language"], raw.get("title"), raw["body"])


def entity_json(e: Entity) -> JSON:
    return {
        "id": e.id,
        "name": e.name,
        "label": e.label,
        "mentions": [{"start": m.start, "end": m.end, "text": m.text, "field": m.field} for m in e.mentions],
    }


def entity_of(d: Mapping[str, Any]) -> Entity:
    mentions = [EntityMention(m["start"], m["end"], m["text"], m.get("field", "body")) for m in d["mentions"]]
    return Entity(d["id"], d["name"], d["label"], mentions)


def _span(value: Any) -> Span | None:
    return (value[0], value[1]) if value else None


def evidence_json(ev: SpeakerEvidence) -> JSON:
    out: JSON = {
        "kind": ev.kind,
        "gender": ev.gender,
        "region": list(ev.region) if ev.region else None,
        "name": ev.name,
    }
    for key in _OPTIONAL_EVIDENCE:
        if (value := getattr(ev, key)) is not None:
            out[key] = value
    if ev.pre_region is not None:
        out["pre_region"] = list(ev.pre_region)
    return out


def evidence_of(d: Mapping[str, Any]) -> SpeakerEvidence:
    return SpeakerEvidence(
        d["kind"],
        d.get("gender"),
        _span(d.get("region")),
        d.get("name"),
        np=d.get("np"),
        head=d.get("head"),
        of=d.get("of"),
        qualifier=d.get("qualifier"),
        pre_region=_span(d.get("pre_region")),
    )


def span_json(q: QuoteSpan) -> JSON:
    """A quote candidate as the quotes half carries it."""
    ev = evidence_json(q.evidence) if q.evidence is not None else None
    return {"kind": q.kind, "text": q.text, "start": q.start, "end": q.end, "cue": q.cue, "evidence": ev}


def span_of(d: Mapping[str, Any]) -> QuoteSpan:
    ev = d.get("evidence")
    return QuoteSpan(
        d["kind"], d["text"], d["start"], d["end"], d.get("cue"), evidence_of(ev) if ev else None
    )


def speaker_json(sp: Speaker) -> JSON:
    """A speaker; its place in the body only when it was named next to the cue."""
    out: JSON = {"name": sp.name, "entity_id": sp.entity_id, "resolution": sp.resolution}
    if sp.resolution == "explicit" and sp.start is not None:
        out["start"], out["end"] = sp.start, sp.end
    return out


def quote_json(q: Quote) -> JSON:
    speaker = speaker_json(q.speaker) if q.speaker is not None else None
    return {"kind": q.kind, "text": q.text, "start": q.start, "end": q.end, "cue": q.cue, "speaker": speaker}


def entities_part_json(part: EntitiesPart) -> JSON:
    """The entities worker's result fields (`schemas/entities_result.schema.json`)."""
    entities = [entity_json(e) for e in part.entities]
    return {"entities": entities, "models": part.models, "timings_ms": part.timings_ms}


def quotes_part_json(part: QuotesPart) -> JSON:
    """The quotes worker's result fields (`schemas/quotes_result.schema.json`)."""
    quotes = [span_json(q) for q in part.quotes]
    return {"quotes": quotes, "models": part.models, "timings_ms": part.timings_ms}


def enriched_article(
    *,
    article: JSON,
    fingerprint: str,
    entities_part: JSON,
    quotes_part: JSON,
    raw_position: JSON | None,
    enriched_at: str,
) -> JSON:
    """The enriched article (schemas/enriched_article.schema.json) from both halves' JSON."""
    found = attribute_quotes(
        article_of(article),
        [entity_of(e) for e in entities_part["entities"]],
        [span_of(q) for q in quotes_part["quotes"]],
    )
    return {
        "schema_version": SCHEMA_VERSION,
        "id": article["id"],
        "fingerprint": fingerprint,
        "language": article["language"],
        "title": article.get("title"),
        "body": article["body"],
        "url": article.get("url"),
        "source": article.get("source"),
        "published_at": article.get("published_at"),
        "meta": article.get("meta") or {},
        "entities": [entity_json(e) for e in found.entities],
        "quotes": [quote_json(q) for q in found.quotes],
        "models": {**entities_part["models"], **quotes_part["models"]},
        "timings_ms": {**entities_part["timings_ms"], **quotes_part["timings_ms"], **found.timings_ms},
        "raw_position": raw_position,
        "enriched_at": enriched_at,
    }
