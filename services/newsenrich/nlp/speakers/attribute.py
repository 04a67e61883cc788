"""The order in which a quote's speaker is decided from its evidence and the article's entities."""

from __future__ import annotations

from typing import Any

from newsenrich.nlp.speakers.discourse import Discourse, found_speaker
from newsenrich.nlp.speakers.explicit import (
    beyond_phrase,
    named_speaker,
    organisation_in_phrase,
    other_nisba,
    qualified_holder,
    role_holder,
)
from newsenrich.nlp.speakers.lookup import SortedMentions, addressed, body_mentions, outside_of, relays
from newsenrich.nlp.speakers.names import speaker_name
from newsenrich.nlp.text import name_tokens


def attribute(
    candidates: list[dict[str, Any]], entities: list[dict[str, Any]], body: str, lang: str
) -> list[dict[str, Any]]:
    """Final `quotes` of the contract from quote candidates and the article's entities."""
    quoted = [(q["start"], q["end"]) for q in candidates if q["kind"] != "indirect"]
    # A name inside a quote is spoken about, never the one speaking.
    outside = outside_of(quoted)
    # A name after the preposition ل (`قالت لـ«الشرق الأوسط»`, `التابع لـ«أرامكو»`) is whom
    # it was said to or whose it is: never a subject, never the speaker.
    mentions = SortedMentions(
        x for x in body_mentions(entities) if outside(x[0], x[1]) and not addressed(body, x[0])
    )
    talk = Discourse(body, lang, mentions, entities)
    names = {name_tokens(m["text"]) for e in entities for m in e["mentions"]}
    out: list[dict[str, Any]] = []
    for q in sorted(candidates, key=lambda c: c["start"]):
        no_cue = q["kind"] == "mixed" or (q["kind"] == "direct" and not q.get("cue"))
        if no_cue and name_tokens(q["text"]) in names:
            continue  # a name in quote marks (`«الناتو»`, `"مينسك"`), not speech
        ev = q.get("evidence") or {}
        kind, np = ev.get("kind"), ev.get("np")
        speaker: dict[str, Any] | None = None
        if kind == "continued":
            if talk.last is not None:
                speaker = talk.as_speaker(talk.last)
        elif np in ("group", "org_of", "statement"):
            speaker = talk.organisation(ev, q["start"], entities)
        elif kind in ("explicit", "participle", "source"):
            if np == "role":
                # `the World Health Organization said`: a role word inside a name the tagger found.
                region = ev.get("region")
                named_here = [
                    x
                    for x in mentions
                    if region and x[2]["label"] in ("PER", "ORG") and x[0] >= region[0] and x[1] <= region[1]
                ]
                speaker = found_speaker(*named_here[0]) if named_here else None
                holders = mentions
                if speaker is None and ev.get("qualifier"):
                    at = (ev.get("region") or [q["start"]])[0]
                    speaker = qualified_holder(ev["qualifier"], body, at, mentions)
                    # `الوزير الأردني` when only the other was called `نظيره السوري`: not him.
                    holders = [x for x in mentions if not other_nisba(body, x, ev["qualifier"])]
                if speaker is None:
                    speaker = role_holder(ev.get("head") or "", body, q["start"], holders)
                if speaker is None and ev.get("of"):
                    speaker = talk.organisation({"np": "group", "head": ev["of"]}, q["start"], entities)
                if speaker is None:
                    speaker = talk.elided(ev, q["start"])
            else:
                speaker = named_speaker(ev, mentions, entities)
                if speaker is not None and np == "nominal" and speaker["entity_id"] is None:
                    speaker["name"] = ev.get("name") or speaker["name"]
        if speaker is None and np == "pronoun" and ev.get("head"):
            speaker = talk.honorific(ev, q["start"])
        if speaker is None and kind in ("elided", "continued", "participle"):
            speaker = talk.elided(ev, q["start"])
        if speaker is None and np == "pronoun" and ev.get("name") and lang == "en":
            # `he said` with nobody to refer to: the peers' convention keeps the pronoun.
            # An Arabic honorific or attached pronoun is never a speaker's name.
            speaker = {"name": ev["name"], "entity_id": None, "resolution": "discourse"}
        if (
            speaker is not None
            and speaker.get("entity_id") is None
            and not speaker_name(speaker["name"], lang)
        ):
            # A source or time phrase the grammar took for the name: whoever the tagger found in
            # it speaks (`وفقا لتوقعات صندوق النقد الدولي`), else nobody.
            speaker = beyond_phrase(ev, mentions, body, lang) or organisation_in_phrase(speaker, lang)
        relayed = kind == "source" and ev.get("region") and relays(ev["region"], body, lang)
        if (
            speaker is not None
            and relayed
            and talk.by_id.get(speaker.get("entity_id") or "", {}).get("label") != "PER"
        ):
            speaker = None  # an outlet that relayed the report is not the one who made it
        if speaker is not None:
            if kind == "source":
                speaker["resolution"] = "source"
            if not speaker.get("name") and speaker.get("entity_id") in talk.by_id:
                speaker["name"] = talk.by_id[speaker["entity_id"]]["name"]
            talk.record(q, ev, speaker)
            if speaker["resolution"] != "explicit" or speaker.get("start") is None:
                speaker = {k: v for k, v in speaker.items() if k not in ("start", "end")}
        out.append({k: q[k] for k in ("kind", "text", "start", "end", "cue")} | {"speaker": speaker})
    return out
