"""Speaker attribution: quote evidence + the article's entities -> who said it.

Runs where both halves meet (the joiner, and `newsenrich enrich`). It costs
microseconds and needs no model: the NER has already found the people and
organisations, the quote rules have found where the speaker is named.

* Named speaker: the entity mentioned in the speaker region (a person before
  an organisation before a place; `قال المحلل في مؤسسة «X» مازن حداد` is
  حداد speaking, not the firm), else the name guess, linked to an entity
  when the names agree.
* Elided or pronoun speaker (`وقال: …`, `وأضافت: …`, `he told reporters`):
  the latest *subject* before the quote, where subjects are earlier speakers
  and persons in subject position of a sentence, skipping any whose known
  grammatical gender disagrees with the cue (قال/قالت, he/she). A participle
  (`مضيفًا`) already carries its governing verb's subject from the quote rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from newsenrich.nlp.text import name_tokens

_LABEL_RANK = {"PER": 0, "ORG": 1, "LOC": 2}
_AR_PREPOSITIONS = {"مع", "عن", "إلى", "الى", "على", "من", "في", "مثل", "بين"}


@dataclass
class _Subject:
    pos: int
    name: str
    entity_id: str | None
    gender: str | None


def _body_mentions(entities: list[dict[str, Any]]) -> list[tuple[int, int, dict[str, Any]]]:
    out = []
    for e in entities:
        if e["label"] not in _LABEL_RANK:
            continue
        for m in e["mentions"]:
            if m.get("field", "body") == "body":
                out.append((m["start"], m["end"], e))
    out.sort(key=lambda x: x[0])
    return out


def _entity_by_name(name: str, entities: list[dict[str, Any]]) -> dict[str, Any] | None:
    toks = name_tokens(name)
    if not toks:
        return None
    for e in entities:
        if e["label"] not in _LABEL_RANK:
            continue
        for form in {name_tokens(e["name"]), *(name_tokens(m["text"]) for m in e["mentions"])}:
            if form and (_run_in(form, toks) or _run_in(toks, form)):
                return e
    return None


def _run_in(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _sentence_start(body: str, pos: int) -> int:
    cut = max(body.rfind(ch, 0, pos) for ch in ".!?؟\n")
    return cut + 1


def _subject_mentions(
    body: str, mentions: list[tuple[int, int, dict[str, Any]]], lang: str
) -> list[_Subject]:
    """Persons named in subject position: near the start of their sentence, not after a preposition."""
    out = []
    for s, _, e in mentions:
        if e["label"] != "PER":
            continue
        lead = body[_sentence_start(body, s) : s]
        words = re.findall(r"[\w\u064b-\u0652]+", lead)
        if lang == "en":
            if all(w[:1].isupper() for w in words) and len(words) <= 4:
                out.append(_Subject(s, e["name"], e["id"], None))
        elif len(words) <= 5 and not any(w in _AR_PREPOSITIONS for w in words):
            out.append(_Subject(s, e["name"], e["id"], None))
    return out


def _name_like(name: str) -> bool:
    """One to three letter-only tokens, not all of them definite common nouns (الوزارة، الشركة)."""
    toks = name_tokens(name)
    if not 1 <= len(toks) <= 3 or all(t.startswith("ال") for t in toks):
        return False
    return all(t.isalpha() for t in toks)


def _found(s: int, t: int, e: dict[str, Any]) -> dict[str, Any]:
    return {"name": e["name"], "entity_id": e["id"], "start": s, "end": t, "resolution": "explicit"}


def _explicit(evidence: dict[str, Any], mentions, entities) -> dict[str, Any] | None:
    region = evidence.get("region")
    if region:
        inside = [(s, t, e) for s, t, e in mentions if s >= region[0] and t <= region[1]]
        # A place speaks only as the subject itself (`وقالت روسيا`), not from a
        # prepositional phrase inside the region (`في القاهرة`).
        inside = [x for x in inside if x[2]["label"] != "LOC" or x[0] == region[0]]
        named = _entity_by_name(evidence["name"], [x[2] for x in inside]) if evidence.get("name") else None
        if named is not None:
            # The grammar's pick among the entities in the region beats the NER's label.
            return _found(*next(x for x in inside if x[2] is named))
        guess = evidence.get("name")
        if guess and _name_like(guess) and inside:
            guess_toks = set(name_tokens(guess))
            if not any(guess_toks & set(name_tokens(x[2]["name"])) for x in inside):
                # A proper name the tagger missed, next to entities it did see (often
                # mislabelled): the name the grammar points at is the speaker.
                return {
                    "name": guess,
                    "entity_id": None,
                    "start": region[0],
                    "end": region[1],
                    "resolution": "explicit",
                }
        if inside:
            return _found(*min(inside, key=lambda x: (_LABEL_RANK[x[2]["label"]], x[0])))
    pre = evidence.get("pre_region")
    if pre:
        people = [x for x in mentions if x[0] >= pre[0] and x[1] <= pre[1] and x[2]["label"] == "PER"]
        if people:
            return _found(*max(people, key=lambda x: x[0]))
    name = evidence.get("name")
    if name:
        e = _entity_by_name(name, entities)
        return {
            "name": e["name"] if e else name,
            "entity_id": e["id"] if e else None,
            "start": region[0] if region else None,
            "end": region[1] if region else None,
            "resolution": "explicit",
        }
    return None


def attribute(
    candidates: list[dict[str, Any]], entities: list[dict[str, Any]], body: str, lang: str
) -> list[dict[str, Any]]:
    """Final `quotes` of the contract from quote candidates and the article's entities."""
    mentions = _body_mentions(entities)
    subjects = _subject_mentions(body, mentions, lang)
    names = {name_tokens(m["text"]) for e in entities for m in e["mentions"]}
    out: list[dict[str, Any]] = []
    for q in sorted(candidates, key=lambda c: c["start"]):
        if q["kind"] != "indirect" and name_tokens(q["text"]) in names:
            continue  # a name in quote marks (`«الناتو»`, `"مينسك"`), not speech
        ev = q.get("evidence") or {}
        speaker = None
        if ev.get("kind") in ("explicit", "participle", "source"):
            speaker = _explicit(ev, mentions, entities)
            if speaker is not None and ev["kind"] == "source":
                speaker["resolution"] = "source"
        if speaker is None:
            gender = ev.get("gender")
            before = [
                s for s in subjects if s.pos < q["start"] and not (gender and s.gender and s.gender != gender)
            ]
            if before:
                pick = max(before, key=lambda s: s.pos)
                speaker = {
                    "name": pick.name,
                    "entity_id": pick.entity_id,
                    "start": None,
                    "end": None,
                    "resolution": "discourse",
                }
        if speaker is not None:
            region = ev.get("region")
            at = region[0] if region and speaker["resolution"] == "explicit" else q["start"]
            subjects.append(_Subject(at, speaker["name"], speaker["entity_id"], ev.get("gender")))
            if speaker["resolution"] == "discourse":
                speaker = {k: v for k, v in speaker.items() if k not in ("start", "end")}
        out.append({k: q[k] for k in ("kind", "text", "start", "end", "cue")} | {"speaker": speaker})
    return out


def promote_speakers(
    quotes: list[dict[str, Any]], entities: list[dict[str, Any]], title: str | None, body: str
) -> list[dict[str, Any]]:
    """Entities for explicitly named speakers the NER missed; returns the new entities.

    The subject of a reporting verb, named next to the quote, is a person or
    organisation whatever the tagger said: `وقال الرئيس التنفيذي للشركة، «فهد
    العتيبي»،` names a speaker even when the model saw nothing there. Only
    proper-name-like guesses are promoted (not a role noun, not definite
    common nouns alone), as PER, with every occurrence in the article.
    """
    from newsenrich.nlp.entities import add_entity

    added: list[dict[str, Any]] = []
    for q in quotes:
        sp = q.get("speaker")
        if not sp or sp["entity_id"] is not None or sp.get("resolution") != "explicit":
            continue
        if not _name_like(sp["name"]):
            continue
        if _entity_by_name(sp["name"], entities + added) is not None:
            continue
        ent = add_entity(entities + added, sp["name"], "PER", title, body)
        if ent is not None:
            added.append(ent)
    return added
