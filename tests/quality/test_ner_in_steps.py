"""A long article's NER taken in steps finds what one stanza call finds, with the real models."""

from __future__ import annotations

from pathlib import Path

from newsenrich.nlp.enrichment import entities_in_steps, find_entities
from newsenrich.nlp.pipeline import Annotator
from newsenrich.nlp.steps import advance
from newsenrich.nlp.values import Article

ROOT = Path(__file__).resolve().parents[2]


def test_a_long_article_in_steps_gets_the_entities_of_one_call(stanza_dir: Path):
    seeds = [p.read_text().split("\n", 1)[1] for p in sorted((ROOT / "seeds").glob("*.txt"))]
    body = ("\n\n".join(seeds) * 12)[:60_000]
    article = Article(id="long", title="مقال طويل", body=body, language="ar")
    annotator = Annotator(["ar"], root=stanza_dir)
    calls: list[int] = []
    annotate = annotator.annotate

    def counted(lang: str, texts: list[str]):  # type: ignore[no-untyped-def]
        calls.append(sum(map(len, texts)))
        return annotate(lang, texts)

    annotator.annotate = counted  # type: ignore[method-assign]
    (whole,) = find_entities(annotator, [article])
    assert len(calls) == 1
    calls.clear()
    steps = entities_in_steps(annotator, [article], 10_000)
    pauses = 0
    while not (done := advance(steps))[0]:
        pauses += 1
    (stepped,) = done[1] or []
    assert len(calls) >= 6 and max(calls) <= 10_000 and pauses == len(calls)
    assert stepped.entities == whole.entities
