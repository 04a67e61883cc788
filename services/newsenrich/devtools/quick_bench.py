"""`newsenrich bench --quick`: where an article's time goes, in-process, in well under a minute.

Run before a change lands, so that a regression is seen the day it happens. On the
same articles and one torch thread, one after the other in one process (ratios, not
seconds, are what to compare: the machine is noisy):

* **bare stanza**: the reference pipeline (tokenize, mwt, ner on title and body), as
  the service ran it before its own tokenisation, each processor timed on its own;
* **entities**: `find_entities`, the entities worker's work (NER and post-processing);
* **enrich**: `newsenrich enrich`'s stages on the in-memory runner (entities, quotes,
  join and attribution, JSON and validation).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from statistics import mean
from typing import Any

from newsenrich.config import Settings
from newsenrich.devtools.bench import build_corpus

REFERENCE_PROCESSORS = ("tokenize", "mwt", "ner")


def _say(msg: str) -> None:
    print(f"bench --quick: {msg}", file=sys.stderr, flush=True)


def _reference(batch: int) -> Any:
    """stanza's own pipeline as the service ran it at turn 3: the bare reference."""
    import stanza

    from newsenrich.nlp.pipeline import resources_dir

    return stanza.Pipeline(
        "ar",
        dir=str(resources_dir()),
        processors=",".join(REFERENCE_PROCESSORS),
        download_method=None,
        logging_level="WARN",
        use_gpu=False,
        tokenize_batch_size=batch,
        ner_batch_size=batch,
    )


def _bare(pipe: Any, texts: list[str], batch: int) -> dict[str, float]:
    """Seconds per processor of the reference pipeline over `texts`, in batches."""
    from stanza import Document

    from newsenrich.nlp.text import ner_fold

    spent = dict.fromkeys(REFERENCE_PROCESSORS, 0.0)
    for i in range(0, len(texts), batch):
        docs: Any = [Document([], text=ner_fold(t)) for t in texts[i : i + batch]]
        for name in REFERENCE_PROCESSORS:
            t0 = time.perf_counter()
            docs = pipe.processors[name].bulk_process(docs)
            spent[name] += time.perf_counter() - t0
    return spent


def measure(settings: Settings, corpus: list[dict[str, Any]], batch: int = 64) -> dict[str, Any]:
    """The three measurements on `corpus`, with per-article milliseconds and their ratios."""
    import orjson

    from newsenrich.events.contract import article_of
    from newsenrich.nlp.enrichment import find_entities
    from newsenrich.nlp.pipeline import Annotator, set_torch_threads
    from newsenrich.offline import enrich_articles

    set_torch_threads(1)
    n = len(corpus)
    texts = [(a.get("title") or "") + "\n\n" + a["body"] for a in corpus]
    _say("loading the reference pipeline and the service's")
    reference = _reference(batch)
    annotator = Annotator(["ar"], batch_size=batch)
    _bare(reference, texts[:2], batch)  # warm up both
    articles = [article_of(a) for a in corpus]
    find_entities(annotator, articles[:2])

    _say(f"bare stanza on {n} articles")
    bare = _bare(reference, texts, batch)
    _say("find_entities")
    step_ms: dict[str, float] = {}
    t0 = time.perf_counter()
    parts = [
        r for i in range(0, n, batch) for r in find_entities(annotator, articles[i : i + batch], step_ms)
    ]
    entities_s = time.perf_counter() - t0
    _say("offline enrich")
    t0 = time.perf_counter()
    enriched = [orjson.loads(v) for v in enrich_articles(settings, annotator, corpus)]
    enrich_s = time.perf_counter() - t0

    def ms(seconds: float) -> float:
        return round(seconds * 1000 / n, 2)

    bare_ms = {k: ms(v) for k, v in bare.items()}
    bare_total = ms(sum(bare.values()))
    ner = mean(p.timings_ms["ner"] for p in parts)
    post = mean(p.timings_ms["entity_clustering"] for p in parts)
    steps = {
        **{f"bare {k}": v for k, v in bare_ms.items()},
        "bare total": bare_total,
        "entities: ner (stanza, as the stage runs it)": round(ner, 2),
        "entities: post-processing": round(post, 2),
        **{f"  step {name}": round(spent / n, 3) for name, spent in step_ms.items()},
        "entities total": ms(entities_s),
        "enrich: quotes": round(mean(e["timings_ms"].get("quotes", 0.0) for e in enriched), 2),
        "enrich: attribution": round(mean(e["timings_ms"].get("attribution", 0.0) for e in enriched), 2),
        "enrich total": ms(enrich_s),
    }
    ratios = {
        "post-processing / ner": round(post / ner, 3) if ner else None,
        "entities speed / bare (higher is faster)": round(bare_total / ms(entities_s), 3),
        "enrich speed / bare": round(bare_total / ms(enrich_s), 3),
    }
    return {"articles": n, "ms_per_article": steps, "ratios": ratios}


def run_quick(settings: Settings, pud: Path, seeds: Path, articles: int = 100) -> int:
    t0 = time.perf_counter()
    corpus = build_corpus(pud, seeds)[:articles]
    result = measure(settings, corpus)
    width = max(map(len, result["ms_per_article"]))
    print(f"{result['articles']} articles, one torch thread; ms per article:")
    for name, value in result["ms_per_article"].items():
        print(f"  {name:<{width}}  {value:8.2f}")
    print("ratios:")
    for name, value in result["ratios"].items():
        print(f"  {name:<{width}}  {value}")
    _say(f"done in {time.perf_counter() - t0:.0f} s")
    return 0
