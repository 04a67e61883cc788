"""The three steps every path runs: entities (batched NER), quotes, and the join.

The workers and `newsenrich enrich` call exactly these functions, so what the
quality scorer measures offline is what the streaming pipeline produces.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from newsenrich import SCHEMA_VERSION
from newsenrich.nlp import lexicon
from newsenrich.nlp.entities import (
    Mention,
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


def _ms(since: float) -> float:
    return round((time.perf_counter() - since) * 1000, 3)


def find_entities(annotator: Annotator, articles: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For each article: {entities, models, timings_ms}. One stanza batch per language.

    Articles must carry `language`; a language the annotator has no NER model
    for gets an empty entity list and `models.ner = null`, never invented ones.
    """
    results: list[dict[str, Any]] = [{} for _ in articles]
    by_lang: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(articles):
        by_lang[a["language"]].append(i)
    for lang, idxs in by_lang.items():
        models = annotator.models[lang]
        t0 = time.perf_counter()
        mentions: dict[int, list[Mention]] = {i: [] for i in idxs}
        if models.has_ner:
            segs = [(i, s) for i in idxs for s in segments_of(articles[i].get("title"), articles[i]["body"])]
            docs = annotator.annotate(lang, [s.text for _, s in segs])
            vocab = {i: article_vocabulary(articles[i].get("title"), articles[i]["body"]) for i in idxs}
            for (i, seg), doc in zip(segs, docs, strict=True):
                if seg.field == "title" and lang == "en" and headline_case(seg.text):
                    continue  # headline case: every word looks like a name; propagation finds the real ones
                mentions[i].extend(mentions_from_stanza(seg, doc, vocab[i]))
        ner_ms = _ms(t0) / max(1, len(idxs))  # the batch's cost, shared out per article
        roles = lexicon.load(lang).role_words
        for i in idxs:
            t1 = time.perf_counter()
            ents = build_entities(mentions[i], articles[i].get("title"), articles[i]["body"], roles, lang)
            results[i] = {
                "entities": ents,
                "models": {**models.versions, "rules": RULES_VERSION},
                "timings_ms": {"ner": round(ner_ms, 3), "entity_clustering": _ms(t1)},
            }
    return results


def find_quotes(article: dict[str, Any]) -> dict[str, Any]:
    """{quotes (candidates with speaker evidence), models, timings_ms} for one article."""
    t0 = time.perf_counter()
    lex = lexicon.load(article["language"])
    candidates = extract_quotes(article["body"], lex)
    return {
        "quotes": candidates,
        "models": {"quotes": lex.version, "rules": RULES_VERSION},
        "timings_ms": {"quotes": _ms(t0)},
    }


def assemble(
    *,
    article: dict[str, Any],
    fingerprint: str,
    entities_part: dict[str, Any],
    quotes_part: dict[str, Any],
    raw_position: dict[str, Any] | None,
    enriched_at: str,
) -> dict[str, Any]:
    """The enriched article (schemas/enriched_article.schema.json) from both halves."""
    t0 = time.perf_counter()
    body, lang = article["body"], article["language"]
    quotes, entities = resolve_speakers(
        quotes_part["quotes"], entities_part["entities"], article.get("title"), body, lang
    )
    timings = {**entities_part["timings_ms"], **quotes_part["timings_ms"], "attribution": _ms(t0)}
    return {
        "schema_version": SCHEMA_VERSION,
        "id": article["id"],
        "fingerprint": fingerprint,
        "language": article["language"],
        "title": article.get("title"),
        "body": article["body"],
        "url": article.get("url"),
        "source": article.get("source"),
        "published_at": article.get("published_at"),
        "meta": article.get("meta") or {},
        "entities": entities,
        "quotes": quotes,
        "models": {**entities_part["models"], **quotes_part["models"]},
        "timings_ms": timings,
        "raw_position": raw_position,
        "enriched_at": enriched_at,
    }
