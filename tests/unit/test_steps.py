"""The step runner and the step lists each language declares (#18)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from newsenrich.nlp.entities import steps as entity_steps
from newsenrich.nlp.quotes import STEPS as QUOTE_STEPS
from newsenrich.nlp.speakers import STEPS as SPEAKER_STEPS
from newsenrich.nlp.steps import Step, check_order, run_steps


@dataclass
class Doc:
    seen: list[str] = field(default_factory=list)


def _mark(name: str) -> Step[Doc]:
    def run(d: Doc) -> Doc:
        d.seen.append(name)
        return d

    return Step(name, run)


def test_steps_run_in_order_and_the_runner_times_each_by_name():
    timings: dict[str, float] = {}
    doc = run_steps([_mark("a"), _mark("b"), _mark("a")], Doc(), timings)
    assert doc.seen == ["a", "b", "a"]
    assert set(timings) == {"a", "b"} and all(ms >= 0 for ms in timings.values())
    assert run_steps([_mark("c")], Doc()).seen == ["c"]  # no timings asked, none kept


def test_a_step_whose_needs_no_earlier_step_makes_is_refused():
    make = Step("make", lambda d: d, (), ("entities",))
    use = Step("use", lambda d: d, ("entities",), ())
    assert check_order([make, use], ()) == [make, use]
    with pytest.raises(ValueError, match="'use' needs \\['entities'\\]"):
        check_order([use, make], ())


def _names(steps: list[Step[entity_steps.EntityDoc]]) -> list[str]:
    return [s.name for s in steps]


def test_arabic_and_other_languages_differ_only_by_the_arabic_span_rules_and_org_forms():
    arabic, other = _names(entity_steps.steps_for("ar")), _names(entity_steps.steps_for("en"))
    assert [n for n in arabic if n not in other] == [
        "arabic_organisations",
        "organisation_complements",
        "places_of_kind",
        "natural_places",
        "facilities",
        "waw_surnames",
        "arabic_org_forms",
        "words_of_speech",
    ]
    assert [n for n in arabic if n in other] == other
    assert _names(entity_steps.steps_for(None)) == [
        "roles_and_guillemets",
        "cluster",
        "propagate",
        "text_order",
    ]


def test_every_declared_step_has_a_unique_name():
    for steps in (entity_steps.ARABIC, entity_steps.OTHER_LANGUAGES, QUOTE_STEPS, SPEAKER_STEPS):
        names = [s.name for s in steps]
        assert len(names) == len(set(names)), names


def test_build_entities_reports_every_step_it_ran():
    from newsenrich.nlp.entities import build_entities

    timings: dict[str, float] = {}
    build_entities([], None, "قال الوزير إن الاجتماع انتهى.", frozenset(), "ar", timings)
    assert list(timings) == _names(entity_steps.ARABIC)
