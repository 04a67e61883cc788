"""Entities the speakers prove: a named speaker the tagger missed becomes a person, one it cut
short takes the full name, and a MISC or unknown place that speaks is someone.
"""

from __future__ import annotations

from newsenrich.nlp import gazetteer
from newsenrich.nlp.entities import add_entity, widen_entity
from newsenrich.nlp.speakers.lookup import entity_by_name
from newsenrich.nlp.speakers.names import full_name_of_surname, proper_name
from newsenrich.nlp.text import name_tokens
from newsenrich.nlp.values import NO_EVIDENCE, Entity, Quote, QuoteSpan


def speakers_are_people(
    quotes: list[Quote],
    entities: list[Entity],
    lang: str,
    candidates: list[QuoteSpan] | None = None,
) -> int:
    """A named speaker the tagger called MISC, or a place no gazetteer knows, is a person.

    Organisations and countries speak too (قالت الوزارة, Egypt said), so an ORG or a
    known place keeps its label; but a MISC name, or an unknown `place`, that is the
    subject of a reporting verb (قالت ريما خوري) is someone. Returns how many changed.
    """

    gaz = gazetteer.load(lang)
    phrase = {(c.start, c.end): (c.evidence or NO_EVIDENCE).np for c in candidates or []}
    by_id = {e.id: e for e in entities}
    changed = 0
    for q in quotes:
        sp = q.speaker
        if sp is None or sp.resolution != "explicit" or phrase.get((q.start, q.end)) != "name":
            continue
        e = by_id.get(sp.entity_id or "")
        if e is None and sp.name:
            # MISC entities are not speaker candidates: the name the grammar points at finds them
            toks = name_tokens(sp.name)
            e = next(
                (
                    x
                    for x in entities
                    if x.label == "MISC" and toks in {name_tokens(m.text) for m in x.mentions}
                ),
                None,
            )
            if e is not None:
                sp.entity_id, sp.name = e.id, e.name
        if e is None:
            continue
        forms = {m.text for m in e.mentions}
        if e.label == "MISC" or (e.label == "LOC" and not any(gaz.is_place(f) for f in forms)):
            e.label = "PER"
            changed += 1
    return changed


def promote_speakers(
    quotes: list[Quote],
    entities: list[Entity],
    title: str | None,
    body: str,
    lang: str = "ar",
    candidates: list[QuoteSpan] | None = None,
) -> list[Entity]:
    """Entities for explicitly named speakers the NER missed; returns the new entities.

    The subject of a reporting verb, named next to the quote, is a person
    whatever the tagger said: `وقال الرئيس التنفيذي للشركة، «فهد العتيبي»،`
    names a speaker even when the model saw nothing there. Only proper names
    are promoted (never a pronoun, a role, an adverb or a common noun
    phrase), as PER, with every occurrence in the article.
    """

    # What phrase named each speaker: only a name makes a person (not `a DOE spokesperson`).
    phrase = {(c.start, c.end): (c.evidence or NO_EVIDENCE).np for c in candidates or []}
    added: list[Entity] = []
    for q in quotes:
        sp = q.speaker
        if not sp or sp.entity_id is not None or sp.resolution != "explicit":
            continue
        if phrase.get((q.start, q.end)) not in (None, "name", "region"):
            continue
        full = None if proper_name(sp.name, lang) else full_name_of_surname(sp.name, body, lang)
        if full is None and not proper_name(sp.name, lang):
            continue
        if entity_by_name(sp.name, entities + added) is not None:
            continue
        ent = add_entity(entities + added, sp.name, "PER", title, body)
        if ent is not None:
            if full is not None:
                widen_entity(ent, full, title, body, entities + added)
            added.append(ent)
    return added


def widen_speakers(
    quotes: list[Quote],
    entities: list[Entity],
    title: str | None,
    body: str,
    lang: str,
    candidates: list[QuoteSpan],
) -> bool:
    """A speaker named in full next to the quote (`وقالت بريا مينون`) whose entity the tagger cut short.

    The entity takes the full name, with its occurrences; returns whether one did.
    """

    evidence = {(c.start, c.end): c.evidence or NO_EVIDENCE for c in candidates}
    by_id = {e.id: e for e in entities}
    changed = False
    for q in quotes:
        sp = q.speaker
        ev = evidence.get((q.start, q.end), NO_EVIDENCE)
        guess = ev.name
        ent = by_id.get(sp.entity_id or "") if sp is not None else None
        if not guess or ent is None or ev.np not in (None, "name") or ent.label != "PER":
            continue
        short, full = name_tokens(ent.name), name_tokens(guess)
        if len(full) <= len(short) or len(full) > 4 or full[-len(short) :] != short:
            continue
        if proper_name(guess, lang) and widen_entity(ent, guess, title, body, entities):
            changed = True
    return changed
