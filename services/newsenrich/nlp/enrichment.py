"""The three steps every path runs: entities (batched NER), quotes, and the join.

The workers and `newsenrich enrich` call exactly these functions, so what the
quality scorer measures offline is what the streaming pipeline produces. They take
and give typed values; `events/contract.py` turns them into the JSON the topics carry.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Generator, Iterator
from dataclasses import dataclass

from newsenrich.nlp import lexicon
from newsenrich.nlp.entities import (
    Mention,
    Segment,
    article_vocabulary,
    build_entities,
    headline_case,
    mentions_from_stanza,
    segments_of,
)
from newsenrich.nlp.pipeline import Annotator
from newsenrich.nlp.quotes import extract_quotes
from newsenrich.nlp.rules_version import RULES_VERSION
from newsenrich.nlp.speakers import resolve_speakers
from newsenrich.nlp.steps import drain
from newsenrich.nlp.values import Article, Entity, Quote, QuoteSpan

Models = dict[str, str | None]  # processor -> version; null where it did not run


@dataclass(frozen=True)
class EntitiesPart:
    """The entities worker's result for one article."""

    entities: list[Entity]
    models: Models
    timings_ms: dict[str, float]


@dataclass(frozen=True)
class QuotesPart:
    """The quotes worker's result for one article: candidates with speaker evidence."""

    quotes: list[QuoteSpan]
    models: Models
    timings_ms: dict[str, float]


@dataclass(frozen=True)
class Attributed:
    """The join's result: quotes with speakers, and the entities the speakers proved."""

    quotes: list[Quote]
    entities: list[Entity]
    timings_ms: dict[str, float]


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 3)


def find_entities(
    annotator: Annotator, articles: list[Article], step_ms: dict[str, float] | None = None
) -> list[EntitiesPart]:
    """For each article its entities, the models that found them and the time. One stanza batch
    per language.

    A language the annotator has no NER model for gets an empty entity list and
    `models.ner = null`, never invented ones. `step_ms`, when given, adds up the time of
    each named step (`entities/steps.py`) over the batch: what `bench --quick` reports.
    """
    return drain(entities_in_steps(annotator, articles, None, step_ms))


def entities_in_steps(
    annotator: Annotator,
    articles: list[Article],
    step_chars: int | None,
    step_ms: dict[str, float] | None = None,
) -> Generator[None, None, list[EntitiesPart]]:
    """`find_entities` as a generator that pauses after each stanza call of at most `step_chars`
    characters (all of a language's segments in one call when None), and before the rules.

    A runner advances it one step at a time on the NER thread, so a very long article's NER
    does not hold the batches behind it for its whole length (`stages/entities.py`). The
    result is the same: segments are tagged one by one whatever the calls they go in.
    """
    results: dict[int, EntitiesPart] = {}
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(articles):
        by_lang[a.language].append(i)
    for lang, idxs in by_lang.items():
        models = annotator.models[lang]
        ner_s = 0.0
        mentions: dict[int, list[Mention]] = {i: [] for i in idxs}
        vocab: dict[int, frozenset[str]] = {}
        if models.has_ner:
            t0 = time.perf_counter()
            segs = [(i, s) for i in idxs for s in segments_of(articles[i].title, articles[i].body)]
            vocab = {i: article_vocabulary(articles[i].title, articles[i].body) for i in idxs}
            ner_s = time.perf_counter() - t0
            for call in _calls(segs, step_chars):
                t0 = time.perf_counter()
                docs = annotator.annotate(lang, [s.text for _, s in call])
                for (i, seg), doc in zip(call, docs, strict=True):
                    if seg.field == "title" and lang == "en" and headline_case(seg.text):
                        continue  # headline case: every word looks like a name; propagation finds them
                    mentions[i].extend(mentions_from_stanza(seg, doc, vocab[i]))
                ner_s += time.perf_counter() - t0
                yield
        ner_ms = ner_s * 1000 / max(1, len(idxs))  # the batch's cost, shared out per article
        roles = lexicon.load(lang).role_words
        for i in idxs:
            t1 = time.perf_counter()
            a = articles[i]
            ents = build_entities(mentions[i], a.title, a.body, roles, lang, step_ms, vocab.get(i))
            results[i] = EntitiesPart(
                ents,
                {**models.versions, "rules": RULES_VERSION},
                {"ner": round(ner_ms, 3), "entity_clustering": _ms(t1)},
            )
    return [results[i] for i in range(len(articles))]


def _calls(segs: list[tuple[int, Segment]], step_chars: int | None) -> Iterator[list[tuple[int, Segment]]]:
    """The segments in consecutive groups of at most `step_chars` characters (one if None)."""
    if step_chars is None:
        if segs:
            yield segs
        return
    call: list[tuple[int, Segment]] = []
    size = 0
    for item in segs:
        if call and size + len(item[1].text) > step_chars:
            yield call
            call, size = [], 0
        call.append(item)
        size += len(item[1].text)
    if call:
        yield call


def find_quotes(article: Article, step_ms: dict[str, float] | None = None) -> QuotesPart:
    """Quote candidates with speaker evidence, the rules that found them, and the time."""
    t0 = time.perf_counter()
    lex = lexicon.load(article.language)
    candidates = extract_quotes(article.body, lex, step_ms)
    return QuotesPart(candidates, {"quotes": lex.version, "rules": RULES_VERSION}, {"quotes": _ms(t0)})


def attribute_quotes(
    article: Article, entities: list[Entity], spans: list[QuoteSpan], step_ms: dict[str, float] | None = None
) -> Attributed:
    """Who said each quote, once both halves are known; entities are copied, never changed."""
    t0 = time.perf_counter()
    a = article
    quotes, proved = resolve_speakers(spans, entities, a.title, a.body, a.language, step_ms)
    return Attributed(quotes, proved, {"attribution": _ms(t0)})
