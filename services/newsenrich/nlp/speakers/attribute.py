"""The order in which a quote's speaker is decided from its evidence and the article's entities."""

from __future__ import annotations

from newsenrich.nlp.speakers.discourse import Discourse, found_speaker
from newsenrich.nlp.speakers.explicit import (
    beyond_phrase,
    named_speaker,
    organisation_in_phrase,
    other_nisba,
    qualified_holder,
    role_holder,
)
from newsenrich.nlp.speakers.lookup import (
    Placed,
    SortedMentions,
    addressed,
    body_mentions,
    outside_of,
    relays,
)
from newsenrich.nlp.speakers.names import speaker_name
from newsenrich.nlp.text import name_tokens
from newsenrich.nlp.values import NO_EVIDENCE, Entity, Quote, QuoteSpan, Speaker, SpeakerEvidence


def attribute(candidates: list[QuoteSpan], entities: list[Entity], body: str, lang: str) -> list[Quote]:
    """The article's quotes, each with its speaker, from quote candidates and the article's entities."""
    quoted = [(q.start, q.end) for q in candidates if q.kind != "indirect"]
    # A name inside a quote is spoken about, never the one speaking.
    outside = outside_of(quoted)
    # A name after the preposition ل (`قالت لـ«الشرق الأوسط»`, `التابع لـ«أرامكو»`) is whom
    # it was said to or whose it is: never a subject, never the speaker.
    mentions = SortedMentions(
        x for x in body_mentions(entities) if outside(x[0], x[1]) and not addressed(body, x[0])
    )
    talk = Discourse(body, lang, mentions, entities)
    names = {name_tokens(m.text) for e in entities for m in e.mentions}
    out: list[Quote] = []
    for q in sorted(candidates, key=lambda c: c.start):
        no_cue = q.kind == "mixed" or (q.kind == "direct" and not q.cue)
        if no_cue and name_tokens(q.text) in names:
            continue  # a name in quote marks (`«الناتو»`, `"مينسك"`), not speech
        ev = q.evidence or NO_EVIDENCE
        kind, np = ev.kind, ev.np
        speaker: Speaker | None = None
        if kind == "continued":
            if talk.last is not None:
                speaker = talk.as_speaker(talk.last)
        elif np in ("group", "org_of", "statement"):
            speaker = talk.organisation(ev, q.start, entities)
        elif kind in ("explicit", "participle", "source"):
            if np == "role":
                # `the World Health Organization said`: a role word inside a name the tagger found.
                region = ev.region
                # Not the organisation a role belongs to (`وكيل وزارة الصحة`): its holder speaks.
                speakers = ("PER",) if ev.of else ("PER", "ORG")
                named_here = [
                    x
                    for x in mentions
                    if region and x[2].label in speakers and x[0] >= region[0] and x[1] <= region[1]
                ]
                speaker = found_speaker(*named_here[0]) if named_here else None
                holders: list[Placed] = mentions
                if speaker is None and ev.qualifier:
                    at = (ev.region or [q.start])[0]
                    speaker = qualified_holder(ev.qualifier, body, at, mentions)
                    # `الوزير الأردني` when only the other was called `نظيره السوري`: not him.
                    holders = [x for x in mentions if not other_nisba(body, x, ev.qualifier)]
                if speaker is None:
                    speaker = role_holder(ev.head or "", body, q.start, holders)
                if speaker is None and ev.of:
                    speaker = talk.organisation(
                        SpeakerEvidence("", np="group", head=ev.of), q.start, entities
                    )
                if speaker is None:
                    speaker = talk.elided(ev, q.start)
            else:
                speaker = named_speaker(ev, mentions, entities)
                if speaker is not None and np == "nominal" and speaker.entity_id is None:
                    speaker.name = ev.name or speaker.name
        if speaker is None and np == "pronoun" and ev.head:
            speaker = talk.honorific(ev, q.start)
        if speaker is None and kind in ("elided", "continued", "participle"):
            speaker = talk.elided(ev, q.start)
        if speaker is None and np == "pronoun" and ev.name and lang == "en":
            # `he said` with nobody to refer to: the peers' convention keeps the pronoun.
            # An Arabic honorific or attached pronoun is never a speaker's name.
            speaker = Speaker(ev.name, None, "discourse")
        if speaker is not None and speaker.entity_id is None and not speaker_name(speaker.name, lang):
            # A source or time phrase the grammar took for the name: whoever the tagger found in
            # it speaks (`وفقا لتوقعات صندوق النقد الدولي`), else nobody.
            speaker = beyond_phrase(ev, mentions, body, lang) or organisation_in_phrase(speaker, lang)
        relayed = kind == "source" and ev.region is not None and relays(ev.region, body, lang)
        if speaker is not None and relayed and talk.label_of(speaker.entity_id) != "PER":
            speaker = None  # an outlet that relayed the report is not the one who made it
        if speaker is not None:
            if kind == "source":
                speaker.resolution = "source"
            if not speaker.name and speaker.entity_id is not None and speaker.entity_id in talk.by_id:
                speaker.name = talk.by_id[speaker.entity_id].name
            talk.record(q, ev, speaker)
            if speaker.resolution != "explicit" or speaker.start is None:
                speaker = Speaker(speaker.name, speaker.entity_id, speaker.resolution)
        out.append(Quote(q.kind, q.text, q.start, q.end, q.cue, speaker))
    return out
