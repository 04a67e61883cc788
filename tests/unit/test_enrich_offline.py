"""`newsenrich enrich` loses only the article at fault, and says so."""

from __future__ import annotations

import io

import orjson

from newsenrich import offline
from newsenrich.config import Settings
from newsenrich.nlp.pipeline import LanguageModels
from newsenrich.stages import quotes as quotes_stage


class NoNer:
    """An annotator with no NER model: articles get quotes and no entities, no stanza needed."""

    def __init__(self):
        self.models = {lang: LanguageModels(lang, {"tokenize": "x"}, {"ner": None}) for lang in ("ar", "en")}

    def annotate(self, lang, texts):  # pragma: no cover - never called without an NER model
        raise AssertionError("no NER model, no annotation")


def test_a_failing_article_is_reported_and_the_others_are_enriched(tmp_path, monkeypatch):
    articles = [
        {"id": "ok-1", "body": '"We are ready," said Ana Ruiz.'},
        {"id": "bad", "body": "This one breaks the quote rules."},
        {"id": "ok-2", "body": "وقال سمير حداد: «سنبدأ غدا»."},
    ]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"".join(orjson.dumps(a) + b"\n" for a in articles) + b"{not json\n")
    real = quotes_stage.find_quotes

    def flaky(article):
        if article.id == "bad":
            raise ValueError("boom")
        return real(article)

    monkeypatch.setattr(quotes_stage, "find_quotes", flaky)
    out, err = io.BytesIO(), io.StringIO()
    lost = offline.enrich_paths([str(path)], Settings.from_env({}), out, err, annotator=NoNer())
    ids = [orjson.loads(line)["id"] for line in out.getvalue().splitlines()]
    assert ids == ["ok-1", "ok-2"]
    assert lost == 2
    assert "processing_error: ValueError: boom" in err.getvalue()
    assert "not_json" in err.getvalue()
