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


def test_words_straight_to_the_ner_model_get_the_names_of_the_whole_pipeline(stanza_dir: Path):
    """`annotate` hands Arabic words to stanza's NER model without the pipeline's Document
    objects; the names, labels and offsets must be those the whole pipeline gives."""
    from newsenrich.nlp.entities import segments_of
    from newsenrich.nlp.pipeline import _spans

    folders = [
        ROOT / "seeds",
        ROOT.parent / "shared" / "eval" / "dev3",
        ROOT.parent / "shared" / "eval" / "dev2",
    ]
    texts = [
        seg.text
        for folder in folders
        if folder.is_dir()
        for path in sorted(folder.glob("*.txt"))
        if not path.name.startswith("en_")
        for seg in segments_of(None, path.read_text())
    ]
    annotator = Annotator(["ar"], root=stanza_dir)
    fast = annotator.annotate("ar", texts)
    whole = annotator.documents("ar", texts)
    assert len(texts) > 100
    assert sum(len(a.ents) for a in fast) > 100
    assert [a.ents for a in fast] == [_spans(doc) for doc in whole]
