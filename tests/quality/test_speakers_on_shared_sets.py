"""On every shared evaluation set, a quote's speaker entity is a person or an organisation.

Runs `newsenrich enrich` as the quality scorer does, on `../shared/eval/*` beside the
checkout (CI has that copy; the test skips where it is absent). What it asserts is the
rule of the speakers issue, not a score: a speaker that points at an entity points at a
PER or ORG whose name is no pronoun, honorific, cue, calendar or function word; and a
speaker with no entity still reads as a name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsenrich.nlp import gazetteer
from newsenrich.nlp.lexicon import load
from newsenrich.nlp.speakers.names import speaker_name
from tests.quality.conftest import SETS, set_name

pytestmark = pytest.mark.integration


def _not_a_name(name: str, lang: str) -> str | None:
    lex = load(lang)
    if gazetteer.load(lang).is_calendar(name):
        return "calendar word"
    words = name.split()
    if len(words) == 1:
        w = words[0]
        if lex.pronoun(w) or w.lower() in lex.pronouns:
            return "pronoun"
        if lex.honorific(w) or lex.suffix_of(w):
            return "honorific or attached pronoun"
        if lex.cue(w):
            return "cue"
        if lex.is_stop(w):
            return "function word"
    return None


@pytest.mark.skipif(not SETS, reason="no ../shared/eval beside the checkout")
@pytest.mark.parametrize("folder", SETS, ids=[set_name(p) for p in SETS])
def test_every_speaker_is_a_person_or_organisation(folder: Path, enriched: dict[Path, list[dict[str, Any]]]):
    problems = []
    for article in enriched[folder]:
        by_id = {e["id"]: e for e in article["entities"]}
        for q in article["quotes"]:
            sp = q["speaker"]
            if sp is None:
                continue
            if sp["entity_id"] is not None:
                e = by_id[sp["entity_id"]]
                why = (
                    "a " + e["label"]
                    if e["label"] not in ("PER", "ORG")
                    else _not_a_name(e["name"], article["language"])
                )
            else:
                why = None if speaker_name(sp["name"], article["language"]) else "no name"
            if why:
                problems.append(f"{article['id']}: {sp['name']!r} ({why}) for {q['text'][:40]!r}")
    assert not problems, "\n".join(problems)
