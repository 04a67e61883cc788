"""`newsenrich bench`: how close the service comes to the model's own limit on this machine.

One run, one machine, one corpus, four measurements:
1. bare stanza: the loaded pipeline annotating the corpus in-process, the
   reference, on one core (best batch size, one torch thread) and on all cores
   (torch threads in one process, or one single-thread process per core);
2. offline enrich: `newsenrich enrich`'s code path over the corpus;
3. end to end on the broker: replay into articles.raw with all workers
   running, throughput out of articles.enriched and per-article latency
   (produce -> enriched), with one and with two entities worker processes,
   and latency again at half the measured maximum rate; CPU seconds and peak
   RSS per process; then the entities stage alone with one and two workers;
4. quote extraction alone, and the (de)serialisation + validation cost.
Results go to bench/results/ as JSON, a Markdown table and a PNG plot;
`--summarize` gives medians over several runs' JSON (the machine is noisy).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from newsenrich.config import Settings
from newsenrich.sources import read_records

PUD_DEFAULT = Path("../shared/data/ud/UD_Arabic-PUD/ar_pud-ud-test.conllu")


# ---------------------------------------------------------------- corpus


def build_corpus(pud: Path, seeds: Path, per_article: int = 5) -> list[dict[str, Any]]:
    """~200 real Arabic articles: PUD news/wiki sentences grouped in order, plus the seeds."""
    sentences = [
        line.removeprefix("# text = ").strip()
        for line in pud.read_text(encoding="utf-8").splitlines()
        if line.startswith("# text = ")
    ]
    articles = []
    for i in range(0, len(sentences), per_article):
        group = sentences[i : i + per_article]
        articles.append(
            {
                "id": f"pud-{i // per_article:03d}",
                "title": group[0][:80],
                "body": "\n".join(group[1:]) or group[0],
            }
        )
    articles += [orjson.loads(r.value) for r in read_records([seeds])]
    for a in articles:
        a["language"] = "ar"
    return articles


# End-to-end runs replay the corpus this many times. A run must be long beside the time the
# pipeline takes to fill and drain (a first NER batch, three hops, the last join: about half a
# second): at 3 passes, once the entities worker ran at about 110 articles/s, a run lasted under
# 4 s and that half second took an eighth of the two-worker run, far less of the one-worker one.
E2E_PASSES = 8


def replicate(corpus: list[dict[str, Any]], passes: int) -> list[dict[str, Any]]:
    """The corpus `passes` times under new ids (new keys, so a new spread over partitions).

    A run over 202 articles lasts a few seconds with two workers; its tail, where one
    worker has finished its partitions and the other has not, then weighs on the rate.
    Longer runs measure the steady state a live feed sees.
    """
    if passes <= 1:
        return corpus
    return [a | {"id": f"{a['id']}-{n}"} for n in range(passes) for a in corpus]


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(p / 100 * (len(s) - 1))))
    return s[k]


# ---------------------------------------------------------------- in-process


def _annotate(annotator: Any, texts: list[str], batch: int) -> tuple[float, int]:
    """Seconds and tokens for annotating texts in batches, as the entities worker does."""
    t0 = time.perf_counter()
    tokens = 0
    for i in range(0, len(texts), batch):
        docs = annotator.documents("ar", texts[i : i + batch])
        tokens += sum(len(s.tokens) for doc in docs for s in doc.sentences)
    return time.perf_counter() - t0, tokens


def _loaded(batch: int, root: Path | None = None) -> Any:
    """The service's own stanza loading (Annotator), warmed up."""
    from newsenrich.nlp.pipeline import Annotator

    annotator = Annotator(["ar"], root=root, batch_size=batch)
    annotator.documents("ar", ["تجربة."])
    return annotator


def _bare_child(texts: list[str], batch: int, barrier: Any, results: Any) -> None:
    """One of N processes with one torch thread each, started together on a share of the corpus."""
    from newsenrich.nlp.pipeline import set_torch_threads

    set_torch_threads(1)
    annotator = _loaded(batch)
    barrier.wait()
    results.put(_annotate(annotator, texts, batch))


def _bare_processes(texts: list[str], n: int, batch: int) -> tuple[float, int]:
    """Wall seconds (start to last finish) and tokens for N single-thread processes."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(n), ctx.Queue()
    procs = [ctx.Process(target=_bare_child, args=(texts[i::n], batch, barrier, results)) for i in range(n)]
    for p in procs:
        p.start()
    parts = [results.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    return max(secs for secs, _ in parts), sum(tok for _, tok in parts)


def bench_bare_stanza(corpus: list[dict[str, Any]], settings: Settings) -> dict[str, Any]:
    """The reference: stanza alone, best settings found, on one core and on all of them.

    All cores can be used by torch threads in one process or by one single-thread
    process per core; both are tried, since the service scales by processes.
    """
    from newsenrich.nlp.pipeline import set_torch_threads

    cpus = len(os.sched_getaffinity(0))
    texts = [(a.get("title") or "") + "\n\n" + a["body"] for a in corpus]
    trials = []

    def trial(threads: int, processes: int, batch: int, secs: float, tokens: int) -> None:
        trials.append(
            {
                "torch_threads": threads,
                "processes": processes,
                "cores": threads * processes,
                "batch": batch,
                "seconds": secs,
                "articles_per_s": len(texts) / secs,
                "tokens_per_s": tokens / secs,
                "tokens": tokens,
            }
        )

    for threads in sorted({1, cpus}):
        set_torch_threads(threads)
        for batch in (32, 64, 128):
            annotator = _loaded(batch)
            trial(threads, 1, batch, *_annotate(annotator, texts, batch))
            del annotator
    if cpus > 1:
        trial(1, cpus, 64, *_bare_processes(texts, cpus, 64))

    def best(cores: int) -> dict[str, Any]:
        return max((t for t in trials if t["cores"] == cores), key=lambda t: t["articles_per_s"])

    return {"one_core": best(1), "all_cores": best(cpus), "cores": cpus, "trials": trials}


def bench_model_ratio(corpus: list[dict[str, Any]], other: Path, rounds: int = 3) -> dict[str, Any]:
    """NER throughput of the models in use against another models folder, in one run.

    One torch thread, batches of 64, the two pipelines alternating (A B A B …)
    so that the machine's drift falls on both; the ratio is of the medians.
    """
    from statistics import median

    from newsenrich.nlp.pipeline import resources_dir, set_torch_threads

    set_torch_threads(1)
    texts = [(a.get("title") or "") + "\n\n" + a["body"] for a in corpus]
    loaded = {"current": _loaded(64), "other": _loaded(64, other)}
    rates: dict[str, list[float]] = {"current": [], "other": []}
    for r in range(rounds):
        for name, annotator in loaded.items():
            secs, _ = _annotate(annotator, texts, 64)
            rates[name].append(len(texts) / secs)
            print(f"models {name} round {r + 1}/{rounds}: {rates[name][-1]:.1f} articles/s", file=sys.stderr)
    cur, oth = median(rates["current"]), median(rates["other"])
    return {
        "current": str(resources_dir()),
        "other": str(other),
        "articles_per_s": {"current": rates["current"], "other": rates["other"]},
        "ratio_current_to_other": cur / oth,
    }


def bench_offline_enrich(corpus: list[dict[str, Any]], settings: Settings) -> dict[str, Any]:
    from newsenrich.events.contract import article_of
    from newsenrich.nlp.enrichment import find_entities
    from newsenrich.nlp.pipeline import Annotator
    from newsenrich.offline import enrich_articles

    annotator = Annotator(["ar"], batch_size=settings.batch_size)
    find_entities(annotator, [article_of(a) for a in corpus[:1]])
    t0 = time.perf_counter()
    enrich_articles(settings, annotator, corpus)
    secs = time.perf_counter() - t0
    return {"seconds": secs, "articles_per_s": len(corpus) / secs, "batch": settings.batch_size}


def bench_quotes_and_codec(corpus: list[dict[str, Any]]) -> dict[str, Any]:
    """Quote extraction alone, and the JSON + validation the entities and quotes workers do.

    Each of the two stages decodes and validates the raw message, fingerprints the
    article and encodes its result; the joiner's decoding and encoding is part of its
    own CPU time, measured end to end.
    """
    from newsenrich.events.codec import Position, decode_raw_article, dumps
    from newsenrich.events.results import entities_result, quotes_result
    from newsenrich.nlp import lexicon
    from newsenrich.nlp.enrichment import EntitiesPart, QuotesPart
    from newsenrich.nlp.quotes import extract_quotes

    lex = lexicon.load("ar")
    rounds = 5
    t0 = time.perf_counter()
    for _ in range(rounds):
        for a in corpus:
            extract_quotes(a["body"], lex)
    quote_ms = (time.perf_counter() - t0) * 1000 / (rounds * len(corpus))
    raws = [orjson.dumps(a) for a in corpus]
    languages = frozenset({"ar", "en"})
    pos = Position("articles.raw", 0, 0)
    no_entities, no_quotes = EntitiesPart([], {}, {}), QuotesPart([], {}, {})
    t0 = time.perf_counter()
    for _ in range(rounds):
        for raw in raws:
            article = decode_raw_article(raw, max_body_chars=1_000_000, languages=languages)
            dumps(entities_result(article, pos, no_entities))
            article = decode_raw_article(raw, max_body_chars=1_000_000, languages=languages)
            dumps(quotes_result(article, pos, no_quotes))
    codec_ms = (time.perf_counter() - t0) * 1000 / (rounds * len(corpus))
    return {"quote_ms_per_article": quote_ms, "codec_validation_ms_per_article": codec_ms}


# ---------------------------------------------------------------- end to end


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a live process, from /proc (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def _wait_ready(ports: list[int], timeout_s: float = 120.0) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout_s
    for port in ports:
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"worker on port {port} never became ready")
            time.sleep(0.5)


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


async def _e2e_run(
    settings: Settings, corpus: list[dict[str, Any]], rate: float, tag: str, out_topic: str | None = None
) -> dict[str, Any]:
    """Produce the corpus to articles.raw (at `rate`/s, 0 = at once); time each article out."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

    producer = AIOKafkaProducer(**settings.kafka_client_kwargs(), acks="all", linger_ms=2)
    # A short fetch wait so the measuring client adds no polling delay of its own.
    consumer = AIOKafkaConsumer(
        **settings.kafka_client_kwargs(), enable_auto_commit=False, fetch_max_wait_ms=100
    )
    await producer.start()
    await consumer.start()
    out_topic = out_topic or settings.topic_enriched
    tps = [TopicPartition(out_topic, p) for p in range(settings.topic_partitions)]
    consumer.assign(tps)
    await consumer.seek_to_beginning(*tps)
    sent_at: dict[str, float] = {}
    got_at: dict[str, float] = {}

    async def produce() -> None:
        start = time.monotonic()
        for n, a in enumerate(corpus):
            if rate > 0:
                await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
            key = f"{tag}-{a['id']}"
            sent_at[key] = time.time()
            await producer.send(settings.topic_raw, orjson.dumps(a | {"id": key}), key=key.encode())
        await producer.flush()

    async def consume() -> None:
        want = {f"{tag}-{a['id']}" for a in corpus}
        deadline = time.monotonic() + 900
        while not want <= got_at.keys() and time.monotonic() < deadline:
            for msgs in (await consumer.getmany(timeout_ms=200)).values():
                now = time.time()
                for m in msgs:
                    k = m.key.decode()
                    if k in want and k not in got_at:
                        got_at[k] = now

    try:
        await asyncio.gather(produce(), consume())
    finally:
        await producer.stop()
        await consumer.stop()
    lat = [got_at[k] - sent_at[k] for k in got_at]
    first, last = min(sent_at.values()), max(got_at.values())
    return {
        "articles": len(got_at),
        "missing": len(corpus) - len(got_at),
        "offered_rate": rate or None,
        "articles_per_s": len(got_at) / (last - first),
        "latency_s": {
            "p50": percentile(lat, 50),
            "p95": percentile(lat, 95),
            "p99": percentile(lat, 99),
            "max": max(lat),
        },
        "latencies": lat,
    }


@contextlib.contextmanager
def _running(
    settings: Settings,
    n_entities: int,
    workers: tuple[str, ...],
    warm: list[dict[str, Any]],
    out_topic: str,
    extra_env: dict[str, str] | None = None,
) -> Iterator[tuple[Settings, dict[str, int], list[Any]]]:
    """A fresh broker and the workers, settled: models loaded, partitions assigned, warmed up
    by `warm` articles read back from `out_topic`."""
    from newsenrich.devtools.broker import EmbeddedBroker
    from newsenrich.devtools.up import start_workers, stop_processes
    from newsenrich.runtime.admin import ensure_topics

    broker = EmbeddedBroker(log_path=Path(tempfile.gettempdir()) / "newsenrich-bench-tansu.log")
    broker.start()
    env = (
        dict(os.environ)
        | {
            "KAFKA_BOOTSTRAP_SERVERS": broker.bootstrap,
            "BROKER_SESSION_TIMEOUT_S": "6",
            "BROKER_HEARTBEAT_S": "1",
            "PRODUCER_IDEMPOTENCE": "false",  # Tansu rejects InitProducerId
            "LOG_LEVEL": "warning",
            "TOPIC_PARTITIONS": str(max(2, settings.topic_partitions)),
            # Each entities worker process owns TORCH_THREADS (default 1, measured fastest);
            # quotes, joiner and the broker share the rest.
            "TORCH_THREADS": str(settings.torch_threads),
            "NEWSENRICH_DATA_DIR": tempfile.mkdtemp(prefix="newsenrich-bench-"),
        }
        | (extra_env or {})
    )
    s = settings.model_copy(
        update={"bootstrap_servers": broker.bootstrap, "topic_partitions": int(env["TOPIC_PARTITIONS"])}
    )
    procs: list[Any] = []
    try:
        asyncio.run(ensure_topics(s))
        procs = start_workers(env, extra_entities=n_entities - workers.count("entities"), workers=workers)
        # No rebalance may land inside a measurement: wait for every worker to be ready.
        _wait_ready([int(env.get("METRICS_PORT") or 9108) + i for i in range(len(procs))])
        asyncio.run(_e2e_run(s, warm, 0, f"warm-{'-'.join(workers)}-{n_entities}", out_topic))
        pids = {f"{i}:{p.args[-1]}": p.pid for i, p in enumerate(procs)}
        assert broker.proc is not None
        pids["broker"] = broker.proc.pid
        pids["bench (producer+consumer)"] = os.getpid()
        yield s, pids, procs
    finally:
        stop_processes(procs)
        broker.stop()


def _measured(
    s: Settings, pids: dict[str, int], corpus: list[dict[str, Any]], tag: str, out_topic: str
) -> dict[str, Any]:
    """A run at full speed, with the CPU seconds each process spent in it."""
    cpu0 = {k: _cpu_seconds(v) or 0.0 for k, v in pids.items()}
    run = asyncio.run(_e2e_run(s, corpus, 0, tag, out_topic))
    run["cpu_seconds"] = {k: round((_cpu_seconds(v) or 0.0) - cpu0[k], 2) for k, v in pids.items()}
    run["cpu_ms_per_article"] = {
        k: round(v * 1000 / max(1, run["articles"]), 2) for k, v in run["cpu_seconds"].items()
    }
    return run


def bench_end_to_end(
    corpus: list[dict[str, Any]], settings: Settings, passes: int = E2E_PASSES
) -> dict[str, Any]:
    """The whole pipeline with 1 and 2 entities workers; then the entities stage alone.

    On a 2-core machine the quotes worker, the joiner, the broker and this client share
    the cores with the entities workers, which caps what a second entities worker can add
    end to end. The stage-alone runs (raw -> articles.entities, only entities workers)
    show the scale-out of the NER workers themselves, as on nodes of their own.
    """
    from newsenrich.devtools.up import WORKERS

    out: dict[str, Any] = {"passes": passes}
    warm, corpus = corpus[:16], replicate(corpus, passes)
    for n in (1, 2):
        with _running(settings, n, WORKERS, warm, settings.topic_enriched) as (s, pids, procs):
            full = _measured(s, pids, corpus, f"max{n}", s.topic_enriched)
            result: dict[str, Any] = {"max": full}
            if n == 1:
                result["half_rate"] = asyncio.run(_e2e_run(s, corpus, full["articles_per_s"] / 2, "half"))
            result["peak_rss_mb"] = {f"{i}:{p.args[-1]}": _peak_rss_mb(p.pid) for i, p in enumerate(procs)}
            out[f"entities_workers_{n}"] = result
    for n in (1, 2):
        with _running(settings, n, ("entities",), warm, settings.topic_entities) as (s, pids, _):
            out[f"entities_stage_{n}"] = _measured(s, pids, corpus, f"stage{n}", s.topic_entities)
    return out


def bench_code_ratio(
    corpus: list[dict[str, Any]], settings: Settings, other: Path, rounds: int = 3
) -> dict[str, Any]:
    """End-to-end throughput of this checkout's workers against another checkout's, in one run.

    The whole pipeline with one entities worker, on a fresh broker each time, the
    two codes alternating (A B A B …) over the same corpus and the same models so
    that the machine's drift falls on both; the other checkout's workers run with
    its `services/` first on PYTHONPATH. The ratio is of the medians.
    """
    from statistics import median

    from newsenrich.devtools.up import WORKERS

    warm = corpus[:16]
    codes = {
        "current": {"STANZA_RESOURCES_DIR": str(settings.stanza_resources_dir)},
        "other": {
            "STANZA_RESOURCES_DIR": str(settings.stanza_resources_dir),
            "PYTHONPATH": str((other / "services").resolve()),
        },
    }
    runs: dict[str, list[dict[str, Any]]] = {"current": [], "other": []}
    for r in range(rounds):
        for name, env in codes.items():
            with _running(settings, 1, WORKERS, warm, settings.topic_enriched, env) as (s, pids, _):
                run = _measured(s, pids, corpus, f"{name}{r}", s.topic_enriched)
            runs[name].append(run)
            print(
                f"code {name} round {r + 1}/{rounds}: {run['articles_per_s']:.1f} articles/s", file=sys.stderr
            )
    rate = {k: median(x["articles_per_s"] for x in v) for k, v in runs.items()}
    return {
        "other": str(other),
        "articles_per_s": {k: [x["articles_per_s"] for x in v] for k, v in runs.items()},
        "cpu_ms_per_article": {k: [x["cpu_ms_per_article"] for x in v] for k, v in runs.items()},
        "ratio_current_to_other": rate["current"] / rate["other"],
    }


# ---------------------------------------------------------------- report


def pipeline_overhead(results: dict[str, Any]) -> dict[str, float]:
    """The joiner's CPU and the workers' JSON + validation, per article, against all the
    CPU the service (entities, quotes, joiner) spent per article in the 1-worker run."""
    run = results["end_to_end"]["entities_workers_1"]["max"]
    per_article = run["cpu_ms_per_article"]
    service = sum(v for k, v in per_article.items() if k.split(":")[-1] in ("entities", "quotes", "joiner"))
    joiner = sum(v for k, v in per_article.items() if k.endswith(":joiner"))
    ms = joiner + results["quotes_and_codec"]["codec_validation_ms_per_article"]
    return {"ms": ms, "share": ms / service if service else float("nan")}


def _stage_scaling(results: dict[str, Any]) -> float:
    e2e = results["end_to_end"]
    if "entities_stage_2" not in e2e:  # runs from before the stage-alone measurement
        return float("nan")
    return float(e2e["entities_stage_2"]["articles_per_s"] / e2e["entities_stage_1"]["articles_per_s"])


def key_measures(results: dict[str, Any]) -> dict[str, float]:
    """The numbers the targets are about, from one run (ratios within the run)."""
    b = results["bare_stanza"]
    e1 = results["end_to_end"]["entities_workers_1"]
    r1 = e1["max"]["articles_per_s"]
    r2 = results["end_to_end"]["entities_workers_2"]["max"]["articles_per_s"]
    one, allc = b["one_core"]["articles_per_s"], b["all_cores"]["articles_per_s"]
    rss = [v for k, v in e1["peak_rss_mb"].items() if k.endswith(":entities") and v]
    return {
        "bare stanza, 1 core (art/s)": one,
        "bare stanza, all cores (art/s)": allc,
        "offline enrich (art/s)": results["offline_enrich"]["articles_per_s"],
        "end to end, 1 worker (art/s)": r1,
        "end to end, 2 workers (art/s)": r2,
        "1 worker / bare 1 core (≥ 0.85)": r1 / one,
        "1 worker / bare all cores": r1 / allc,
        "2 workers / 1 worker (≥ 1.6)": r2 / r1,
        "entities stage alone, 2 / 1 workers": _stage_scaling(results),
        "2 workers / bare all cores": r2 / allc,
        "p50 at half max rate (s)": e1["half_rate"]["latency_s"]["p50"],
        "p99 at half max rate (s, < 2)": e1["half_rate"]["latency_s"]["p99"],
        "quote extraction (ms/article, < 5)": results["quotes_and_codec"]["quote_ms_per_article"],
        "joiner + JSON + validation (share, < 0.05)": pipeline_overhead(results)["share"],
        "peak RSS, entities worker (MB, < 1536)": max(rss) if rss else float("nan"),
    }


def summarize(paths: list[Path]) -> str:
    """Median and range of each key measure over several runs' results.json."""
    runs = [key_measures(orjson.loads(p.read_bytes())) for p in paths]
    lines = [f"| measure | median of {len(runs)} | range | runs |", "|---|---|---|---|"]
    for name in runs[0]:
        values = sorted(r[name] for r in runs)
        lines.append(
            f"| {name} | {percentile(values, 50):.3g} | {values[0]:.3g}–{values[-1]:.3g} "
            f"| {' '.join(f'{r[name]:.3g}' for r in runs)} |"
        )
    return "\n".join(lines)


def _table(results: dict[str, Any]) -> str:
    b = results["bare_stanza"]
    one, allc = b["one_core"], b["all_cores"]
    e1 = results["end_to_end"]["entities_workers_1"]
    e2 = results["end_to_end"]["entities_workers_2"]
    r1, r2 = e1["max"]["articles_per_s"], e2["max"]["articles_per_s"]
    q = results["quotes_and_codec"]
    overhead = pipeline_overhead(results)

    def how(t: dict[str, Any]) -> str:
        return f"{t['processes']} process(es) × {t['torch_threads']} torch thread(s), batch {t['batch']}"

    rows = [
        (
            "bare stanza, 1 core",
            f"{one['articles_per_s']:.2f} art/s, {one['tokens_per_s']:.0f} tok/s",
            how(one),
        ),
        (
            f"bare stanza, {b['cores']} cores",
            f"{allc['articles_per_s']:.2f} art/s, {allc['tokens_per_s']:.0f} tok/s",
            how(allc),
        ),
        (
            "offline enrich (1 torch thread)",
            f"{results['offline_enrich']['articles_per_s']:.2f} art/s",
            f"{results['offline_enrich']['articles_per_s'] / one['articles_per_s']:.2f} of bare, 1 core",
        ),
        (
            "end to end, 1 entities worker",
            f"{r1:.2f} art/s",
            f"{r1 / one['articles_per_s']:.2f} of bare on its 1 core (target ≥ 0.85); "
            f"{r1 / allc['articles_per_s']:.2f} of bare on {b['cores']}",
        ),
        (
            "end to end, 2 entities workers",
            f"{r2:.2f} art/s",
            f"{r2 / r1:.2f}x one worker (target ≥ 1.6); "
            f"{r2 / allc['articles_per_s']:.2f} of bare on {b['cores']}",
        ),
        (
            "entities stage alone, 1 / 2 workers",
            f"{results['end_to_end']['entities_stage_1']['articles_per_s']:.2f} / "
            f"{results['end_to_end']['entities_stage_2']['articles_per_s']:.2f} art/s",
            f"{_stage_scaling(results):.2f}x: raw -> articles.entities with no quotes worker or joiner",
        ),
        (
            "latency at half max rate, 1 worker",
            "p50 {p50:.2f}s p95 {p95:.2f}s p99 {p99:.2f}s".format(**e1["half_rate"]["latency_s"]),
            "target p99 < 2 s",
        ),
        (
            "latency at max rate, 1 worker",
            "p50 {p50:.2f}s p95 {p95:.2f}s p99 {p99:.2f}s".format(**e1["max"]["latency_s"]),
            "queueing: everything sent at once",
        ),
        ("quote extraction", f"{q['quote_ms_per_article']:.3f} ms/article", "target < 5 ms"),
        (
            "JSON + schema validation in the entities and quotes workers",
            f"{q['codec_validation_ms_per_article']:.3f} ms/article",
            "decode + validate raw, fingerprint, encode result, in each stage",
        ),
        (
            "CPU per article, 1-worker max run",
            ", ".join(f"{k} {v:.1f} ms" for k, v in e1["max"]["cpu_ms_per_article"].items()),
            "bare stanza on 1 core: " + f"{1000 / one['articles_per_s']:.1f} ms",
        ),
        (
            "joiner + JSON + validation",
            f"{overhead['ms']:.2f} ms/article",
            f"{overhead['share']:.1%} of the service's CPU per article (target < 5 %)",
        ),
        (
            "CPU seconds during the 2-worker max run",
            ", ".join(f"{k} {v:.1f}" for k, v in e2["max"].get("cpu_seconds", {}).items()),
            "where the two cores went",
        ),
        (
            "peak RSS (1 worker run)",
            ", ".join(f"{k} {v:.0f} MB" for k, v in e1["peak_rss_mb"].items() if v),
            "target entities < 1.5 GB",
        ),
    ]
    lines = ["| measure | result | note |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def _plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    e2e = results["end_to_end"]
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
    cores = results["bare_stanza"]["cores"]
    names = [
        "bare, 1 core",
        f"bare, {cores} cores",
        "offline enrich",
        "e2e 1 worker",
        "e2e 2 workers",
        "NER stage 1",
        "NER stage 2",
    ]
    vals = [
        results["bare_stanza"]["one_core"]["articles_per_s"],
        results["bare_stanza"]["all_cores"]["articles_per_s"],
        results["offline_enrich"]["articles_per_s"],
        e2e["entities_workers_1"]["max"]["articles_per_s"],
        e2e["entities_workers_2"]["max"]["articles_per_s"],
        e2e["entities_stage_1"]["articles_per_s"],
        e2e["entities_stage_2"]["articles_per_s"],
    ]
    ax1.bar(names, vals, color=["#888", "#666", "#6a8", "#48c", "#26a", "#c84", "#a62"])
    ax1.set_ylabel("articles / s")
    ax1.set_title("Throughput")
    ax1.tick_params(axis="x", labelrotation=20)
    for label, run in (
        ("half max rate", e2e["entities_workers_1"]["half_rate"]),
        ("max rate", e2e["entities_workers_1"]["max"]),
    ):
        lat = sorted(run["latencies"])
        ax2.plot(lat, [(i + 1) / len(lat) for i in range(len(lat))], label=label)
    ax2.set_xlabel("produce → enriched latency (s), 1 entities worker")
    ax2.set_ylabel("share of articles")
    ax2.set_title("Latency distribution")
    ax2.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def run_bench(
    settings: Settings,
    pud: Path,
    seeds: Path,
    out_dir: Path,
    skip_e2e: bool = False,
    passes: int | None = None,
    compare_models: Path | None = None,
    compare_code: Path | None = None,
) -> int:
    passes = passes or E2E_PASSES
    corpus = build_corpus(pud, seeds)
    print(f"corpus: {len(corpus)} articles", file=sys.stderr)
    if compare_models is not None or compare_code is not None:
        if compare_models is not None:
            ratio, name = bench_model_ratio(corpus, compare_models), "model_comparison.json"
        else:
            assert compare_code is not None
            ratio, name = bench_code_ratio(corpus, settings, compare_code), "code_comparison.json"
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / name).write_bytes(orjson.dumps(ratio, option=orjson.OPT_INDENT_2))
        print(orjson.dumps(ratio, option=orjson.OPT_INDENT_2).decode())
        return 0
    results: dict[str, Any] = {
        "machine": {
            "cpus": len(os.sched_getaffinity(0)),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "corpus": {"articles": len(corpus), "source": str(pud)},
    }
    results["bare_stanza"] = bench_bare_stanza(corpus, settings)
    results["corpus"]["tokens"] = results["bare_stanza"]["one_core"]["tokens"]
    for key in ("one_core", "all_cores"):
        print(f"bare stanza, {key}: {results['bare_stanza'][key]}", file=sys.stderr)
    results["offline_enrich"] = bench_offline_enrich(corpus, settings)
    print(f"offline enrich: {results['offline_enrich']}", file=sys.stderr)
    results["quotes_and_codec"] = bench_quotes_and_codec(corpus)
    if skip_e2e:
        print(orjson.dumps(results, option=orjson.OPT_INDENT_2).decode())
        return 0
    results["end_to_end"] = bench_end_to_end(corpus, settings, passes)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "results.json").write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    table = _table(results)
    (out_dir / "results.md").write_text(
        f"# newsenrich benchmark\n\n{results['corpus']['articles']} articles, "
        f"{results['corpus']['tokens']} tokens (end to end: {passes} passes under new ids); "
        f"{results['machine']['cpus']} CPUs, "
        f"{time.strftime('%Y-%m-%d')}\n\n{table}\n",
        encoding="utf-8",
    )
    _plot(results, out_dir / "throughput_latency.png")
    print(table)
    return 0
