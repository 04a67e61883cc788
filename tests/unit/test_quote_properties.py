"""Generated articles through the quote rules and attribution: nothing raises, every offset holds.

Bodies are built from the pieces real news is made of (quote marks of every
kind, cue words, names, roles, punctuation, line breaks) in random order, so
the rules meet unbalanced, nested, empty and runaway quotes.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from newsenrich.events.contract import quote_json, span_json
from newsenrich.events.schemas import _registry
from newsenrich.nlp.lexicon import load
from newsenrich.nlp.quotes import extract_quotes
from newsenrich.nlp.speakers import attribute, promote_speakers
from newsenrich.nlp.values import Entity, EntityMention

PIECES = {
    "en": [
        '"',
        "“",
        "”",
        "'",
        "‘",
        "’",
        "«",
        "»",
        ",",
        ".",
        ":",
        "?",
        "!",
        " — ",
        "\n",
        "\n\n",
        " ",
        "said",
        "says",
        "told reporters",
        "added",
        "asked",
        "according to",
        "that",
        "he",
        "She",
        "the company",
        "police",
        "a source",
        "Ana Ruiz",
        "Mr.",
        "Cpl.",
        "coach",
        "Delta Bank",
        "who",
        "and",
        "We will win",
        "prices rose",
        "in a statement",
    ],
    "ar": [
        '"',
        "“",
        "”",
        "«",
        "»",
        "،",
        ".",
        ":",
        "؟",
        "!",
        "\n",
        "\n\n",
        " ",
        "وقال",
        "قالت",
        "وأضاف",
        "قائلاً",
        "بالقول",
        "إن",
        "أن",
        "بحسب",
        "ما",
        "قاله",
        "جاء في البيان",
        "مصدر",
        "الوزارة",
        "سمير حداد",
        "وزير المالية",
        "في",
        "عن",
        "نحن",
        "سنبدأ",
        "الأسعار",
        "لـ«",
        "بحرقة",
    ],
}


def _def(name):
    ref = {"$ref": f"https://newsenrich.dev/schemas/common.schema.json#/$defs/{name}"}
    return Draft202012Validator(ref, registry=_registry())


CANDIDATE, QUOTE = _def("quote_candidate"), _def("quote")


def first_error(kind, event):
    errors = list((CANDIDATE if kind == "quote_candidate" else QUOTE).iter_errors(event))
    return errors[0].message if errors else None


def bodies(lang):
    return st.lists(st.sampled_from(PIECES[lang]), min_size=0, max_size=40).map("".join)


def check(body, lang):
    lex = load(lang)
    cands = extract_quotes(body, lex)
    for q in cands:
        assert body[q.start : q.end] == q.text and q.text
        assert first_error("quote_candidate", span_json(q)) is None, q
    ents = []
    if "Ana Ruiz" in body:
        i = body.index("Ana Ruiz")
        ents.append(Entity("E1", "Ana Ruiz", "PER", [EntityMention(i, i + 8, "Ana Ruiz", "body")]))
    final = attribute(cands, ents, body, lang)
    for q in final:
        assert first_error("quote", quote_json(q)) is None, q
    promote_speakers(final, ents, None, body, lang)


@settings(max_examples=400, deadline=None)
@given(bodies("en"))
def test_english_bodies_never_break_the_rules(body):
    check(body, "en")


@settings(max_examples=400, deadline=None)
@given(bodies("ar"))
def test_arabic_bodies_never_break_the_rules(body):
    check(body, "ar")
