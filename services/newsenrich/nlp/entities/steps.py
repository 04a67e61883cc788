"""The order in which model mentions become entities, per language, declared once.

Arabic and every other language share the document-level steps (cleaning, clustering,
propagation, outlets, labels); Arabic adds the span rules for names its small model tags
in pieces, and merges organisation names written more than one way. An article with no
language (the clustering unit tests) runs only the steps that need no language data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from newsenrich.nlp import gazetteer, lexicon
from newsenrich.nlp.entities.arabic_spans import (
    arabic_facility_mentions,
    arabic_natural_places,
    arabic_org_complements,
    arabic_org_mentions,
    arabic_places_of_kind,
    arabic_waw_surnames,
)
from newsenrich.nlp.entities.cleaning import clean_mentions, drop_words_of_speech, trim_roles
from newsenrich.nlp.entities.clustering import Cluster, cluster, merge_acronyms, merge_known_as
from newsenrich.nlp.entities.labels import merge_arabic_org_forms, settle_labels
from newsenrich.nlp.entities.mentions import Mention, widen_to_guillemets
from newsenrich.nlp.entities.occurrences import Fields, fields_of, propagate, to_entity
from newsenrich.nlp.entities.outlets import dateline_outlets, merge_agencies, outlet_entities
from newsenrich.nlp.entities.places import gazetteer_mentions
from newsenrich.nlp.steps import Step, check_order, run_steps
from newsenrich.nlp.values import Entity


@dataclass
class EntityDoc:
    """One article between the model's mentions and its entities."""

    title: str | None
    body: str
    fields: Fields
    mentions: list[Mention]
    roles: frozenset[str] = frozenset()
    lang: str | None = None
    entities: list[Cluster] = field(default_factory=list)

    @property
    def vocabulary(self) -> frozenset[str]:
        """The article's words, normalised: the ones its fields match names against."""
        return self.fields.words

    @property
    def language(self) -> str:
        if self.lang is None:
            raise ValueError("this step needs the article's language")
        return self.lang


@cache
def _stops_and_calendar(lang: str) -> frozenset[str]:
    """Prepositions, conjunctions, time words and calendar names: one set per language, not one
    union per article."""
    return lexicon.load(lang).speaker_stops | gazetteer.load(lang).calendar


def _clean(doc: EntityDoc) -> EntityDoc:
    doc.mentions = clean_mentions(doc.mentions, doc.fields.text, doc.language, doc.vocabulary)
    return doc


def _arabic_organisations(doc: EntityDoc) -> EntityDoc:
    gaz = gazetteer.load(doc.language)
    doc.mentions = arabic_org_mentions(
        doc.fields.text, doc.mentions, gaz.calendar, gaz.is_place, lexicon.load(doc.language).cue
    )
    return doc


def _organisation_complements(doc: EntityDoc) -> EntityDoc:
    stops = _stops_and_calendar(doc.language)
    doc.mentions = arabic_org_complements(
        doc.fields.text, doc.mentions, stops, lexicon.load(doc.language).cue
    )
    return doc


def _waw_surnames(doc: EntityDoc) -> EntityDoc:
    doc.mentions = arabic_waw_surnames(doc.fields.text, doc.mentions, doc.roles, doc.vocabulary)
    return doc


def _places_of_kind(doc: EntityDoc) -> EntityDoc:
    doc.mentions = arabic_places_of_kind(doc.fields.text, doc.mentions, _stops_and_calendar(doc.language))
    return doc


def _natural_places(doc: EntityDoc) -> EntityDoc:
    doc.mentions = arabic_natural_places(doc.fields.text, doc.mentions, _stops_and_calendar(doc.language))
    return doc


def _facilities(doc: EntityDoc) -> EntityDoc:
    gaz = gazetteer.load(doc.language)
    stops = lexicon.load(doc.language).speaker_stops
    # A head noun (`محطة تحويل`, `مستشفى`) puts the name after it in a place's position: a
    # town the gazetteer knows counts there.
    doc.mentions = arabic_facility_mentions(
        doc.fields.text, doc.mentions, gaz.calendar, gaz.is_place_or_town, stops
    )
    return doc


def _roles_and_marks(doc: EntityDoc) -> EntityDoc:
    doc.mentions = widen_to_guillemets(trim_roles(doc.mentions, doc.roles), doc.fields.text)
    return doc


def _cluster(doc: EntityDoc) -> EntityDoc:
    doc.entities = (
        cluster(doc.mentions, gazetteer.load(doc.lang).is_place) if doc.lang else cluster(doc.mentions)
    )
    return doc


def _propagate(doc: EntityDoc) -> EntityDoc:
    propagate(doc.entities, doc.fields)
    return doc


def _acronyms(doc: EntityDoc) -> EntityDoc:
    # After propagation: `لصندوق الاستثمارات العامة (PIF)` is often an occurrence the tagger missed.
    doc.entities = merge_acronyms(doc.entities, doc.fields.text)
    return doc


def _known_as(doc: EntityDoc) -> EntityDoc:
    doc.entities = merge_known_as(doc.entities, doc.fields.text)
    return doc


def _gazetteer_places(doc: EntityDoc) -> EntityDoc:
    doc.entities += gazetteer_mentions(doc.entities, doc.fields, doc.language, doc.vocabulary)
    return doc


def _outlets(doc: EntityDoc) -> EntityDoc:
    doc.entities = outlet_entities(doc.entities, doc.fields, doc.language)
    return doc


def _datelines(doc: EntityDoc) -> EntityDoc:
    doc.entities = dateline_outlets(doc.entities, doc.fields, doc.language)
    return doc


def _agencies(doc: EntityDoc) -> EntityDoc:
    doc.entities = merge_agencies(doc.entities, doc.language)
    return doc


def _arabic_org_forms(doc: EntityDoc) -> EntityDoc:
    doc.entities = merge_arabic_org_forms(doc.entities, gazetteer.load(doc.language).is_place)
    return doc


def _words_of_speech(doc: EntityDoc) -> EntityDoc:
    gaz = gazetteer.load(doc.language)
    doc.entities = drop_words_of_speech(doc.entities, doc.body, gaz.is_place_or_town)
    return doc


def _labels(doc: EntityDoc) -> EntityDoc:
    settle_labels(doc.entities, doc.language)
    return doc


def _in_text_order(doc: EntityDoc) -> EntityDoc:
    doc.entities.sort(key=lambda e: min((m.field != "title", m.start) for m in e.mentions))
    return doc


_GIVEN = ("mentions", "fields", "roles")
_M, _E = ("mentions",), ("entities",)
CLEAN = Step("clean_mentions", _clean, _M, _M)
ROLES_AND_MARKS = Step("roles_and_guillemets", _roles_and_marks, _M, _M)
CLUSTER = Step("cluster", _cluster, _M, _E)
PROPAGATE = Step("propagate", _propagate, _E, _E)
ORDER = Step("text_order", _in_text_order, _E, _E)
_AFTER_PROPAGATION: list[Step[EntityDoc]] = [
    Step("acronyms", _acronyms, _E, _E),
    Step("known_as", _known_as, _E, _E),
    Step("gazetteer_places", _gazetteer_places, _E, _E),
    Step("outlets", _outlets, _E, _E),
    Step("datelines", _datelines, _E, _E),
    Step("agencies", _agencies, _E, _E),
]
LABELS = Step("labels", _labels, _E, _E)

ARABIC = check_order(
    [
        CLEAN,
        Step("arabic_organisations", _arabic_organisations, _M, _M),
        Step("organisation_complements", _organisation_complements, _M, _M),
        Step("places_of_kind", _places_of_kind, _M, _M),
        Step("natural_places", _natural_places, _M, _M),
        Step("facilities", _facilities, _M, _M),
        Step("waw_surnames", _waw_surnames, _M, _M),
        ROLES_AND_MARKS,
        CLUSTER,
        PROPAGATE,
        *_AFTER_PROPAGATION,
        Step("arabic_org_forms", _arabic_org_forms, _E, _E),
        Step("words_of_speech", _words_of_speech, _E, _E),
        LABELS,
        ORDER,
    ],
    _GIVEN,
)
OTHER_LANGUAGES = check_order(
    [CLEAN, ROLES_AND_MARKS, CLUSTER, PROPAGATE, *_AFTER_PROPAGATION, LABELS, ORDER], _GIVEN
)
NO_LANGUAGE = check_order([ROLES_AND_MARKS, CLUSTER, PROPAGATE, ORDER], _GIVEN)


def steps_for(lang: str | None) -> list[Step[EntityDoc]]:
    if lang is None:
        return list(NO_LANGUAGE)
    return list(ARABIC if lang == "ar" else OTHER_LANGUAGES)


def build_entities(
    mentions: list[Mention],
    title: str | None,
    body: str,
    roles: frozenset[str] = frozenset(),
    lang: str | None = None,
    timings: dict[str, float] | None = None,
    vocabulary: frozenset[str] | None = None,
) -> list[Entity]:
    """The article's entities, numbered in text order, from raw model mentions of one article.

    `vocabulary`: `article_vocabulary(title, body)` if the caller has it already.
    """
    doc = EntityDoc(title, body, fields_of(title, body, vocabulary), mentions, roles, lang)
    doc = run_steps(steps_for(lang), doc, timings)
    return [to_entity(e, f"E{i}") for i, e in enumerate(doc.entities, 1)]
