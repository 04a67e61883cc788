import pytest
from jsonschema import Draft202012Validator

from newsenrich.events.schemas import EVENT_SCHEMAS, first_error, schemas_dir, validator


@pytest.mark.parametrize("name", EVENT_SCHEMAS)
def test_every_schema_is_valid_draft_2020_12(name):
    v = validator(name)
    assert v.schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(v.schema)


def test_every_schema_file_is_an_event_or_common():
    names = {p.name.removesuffix(".schema.json") for p in schemas_dir().glob("*.schema.json")}
    assert names == {*EVENT_SCHEMAS, "common"}


def test_enriched_article_rejects_a_mention_without_text():
    article = {
        "schema_version": 1,
        "id": "a",
        "fingerprint": "0" * 32,
        "language": "en",
        "title": None,
        "body": "Bob",
        "entities": [{"id": "E1", "name": "Bob", "label": "PER", "mentions": [{"start": 0, "end": 3}]}],
        "quotes": [],
        "models": {},
        "timings_ms": {},
    }
    assert "text" in first_error("enriched_article", article)
    article["entities"][0]["mentions"][0]["text"] = "Bob"
    assert first_error("enriched_article", article) is None
