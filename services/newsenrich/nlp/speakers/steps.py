"""The passes the join runs to decide speakers, declared once.

A first attribution shows which speakers the tagger cut short or missed; those become
entities (widened or promoted), and when any did, the quotes are attributed again so
they point at them. Last, a MISC or unknown place that speaks is made a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsenrich.nlp.speakers.attribute import attribute
from newsenrich.nlp.speakers.promotion import promote_speakers, speakers_are_people, widen_speakers
from newsenrich.nlp.steps import Step, check_order, run_steps
from newsenrich.nlp.values import Entity, Quote, QuoteSpan


@dataclass
class SpeakerWork:
    """One article's quote candidates and entities on their way to attributed quotes."""

    candidates: list[QuoteSpan]
    entities: list[Entity]
    title: str | None
    body: str
    lang: str
    quotes: list[Quote] = field(default_factory=list)
    entities_changed: bool = False


def _attribute(w: SpeakerWork) -> SpeakerWork:
    w.quotes = attribute(w.candidates, w.entities, w.body, w.lang)
    return w


def _widen(w: SpeakerWork) -> SpeakerWork:
    if widen_speakers(w.quotes, w.entities, w.title, w.body, w.lang, w.candidates):
        w.entities_changed = True
    return w


def _promote(w: SpeakerWork) -> SpeakerWork:
    added = promote_speakers(w.quotes, w.entities, w.title, w.body, w.lang, w.candidates)
    if added:
        w.entities = w.entities + added
        w.entities_changed = True
    return w


def _attribute_again(w: SpeakerWork) -> SpeakerWork:
    return _attribute(w) if w.entities_changed else w


def _people(w: SpeakerWork) -> SpeakerWork:
    speakers_are_people(w.quotes, w.entities, w.lang, w.candidates)
    return w


STEPS = check_order(
    [
        Step("attribute", _attribute, ("candidates", "entities"), ("quotes",)),
        Step("widen_speakers", _widen, ("quotes",), ("entities",)),
        Step("promote_speakers", _promote, ("quotes",), ("entities",)),
        Step("attribute_again", _attribute_again, ("entities",), ("quotes",)),
        Step("speakers_are_people", _people, ("quotes", "entities"), ("entities",)),
    ],
    ("candidates", "entities"),
)


def resolve_speakers(
    candidates: list[QuoteSpan],
    entities: list[Entity],
    title: str | None,
    body: str,
    lang: str,
    timings: dict[str, float] | None = None,
) -> tuple[list[Quote], list[Entity]]:
    """The quotes with their speakers, and the entities the speakers proved (copies, never the
    caller's: the join widens and relabels them)."""
    work = SpeakerWork(candidates, [e.copy() for e in entities], title, body, lang)
    work = run_steps(STEPS, work, timings)
    return work.quotes, work.entities
