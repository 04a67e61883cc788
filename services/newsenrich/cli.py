"""`newsenrich`: the one entry point. Each subcommand imports only what it needs."""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import Any

from newsenrich.config import ENV, ConfigError, Settings

WORKERS = ("entities", "quotes", "joiner")
LOGS = ("LOG_LEVEL", "LOG_FORMAT")
NLP = ("LANGUAGES", "MAX_BODY_CHARS", "BATCH_SIZE", "TORCH_THREADS", "STANZA_RESOURCES_DIR")


def reads(*names: str, but: tuple[str, ...] = ()) -> str:
    """The help epilog naming the settings a command reads: whole groups or single variables."""
    wanted = [k for k, (_, _, group) in ENV.items() if (k in names or group in names) and k not in but]
    by_group: dict[str, list[str]] = {}
    for k in wanted:
        by_group.setdefault(ENV[k][2], []).append(k)
    lines = [
        "settings read (environment variables, or a .env file; `newsenrich config` shows each one's "
        "default and meaning):"
    ]
    lines = textwrap.wrap(lines[0], 88)
    for group, keys in by_group.items():
        lines += textwrap.wrap(
            f"{group}: {', '.join(keys)}", 88, initial_indent="  ", subsequent_indent="    "
        )
    return "\n".join(lines)


def _sub(sub: argparse._SubParsersAction, name: str, summary: str, description: str, epilog: str) -> Any:
    return sub.add_parser(
        name,
        help=summary,
        description=textwrap.fill(f"{summary[0].upper()}{summary[1:]}. {description}", 88),
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except ConfigError as exc:
        print(f"newsenrich: configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None


def _logging(settings: Settings) -> None:
    import logging.config

    from newsenrich.observability import logging_config

    logging.config.dictConfig(logging_config(settings.log_level, settings.log_format))


def cmd_enrich(args: argparse.Namespace) -> int:
    from newsenrich.nlp.pipeline import ModelsMissing
    from newsenrich.offline import enrich_paths

    settings = _settings()
    _logging(settings)
    try:
        lost = enrich_paths(args.paths, settings, sys.stdout.buffer)
    except ModelsMissing as exc:
        print(f"newsenrich: {exc}", file=sys.stderr)
        return 3
    if lost:
        print(
            f"newsenrich: {lost} article(s) rejected or failed (see above); the rest were enriched",
            file=sys.stderr,
        )
    return 1 if lost else 0


def cmd_worker(args: argparse.Namespace) -> int:
    from newsenrich.runtime.worker import run_worker

    settings = _settings()
    _logging(settings)
    return run_worker(args.name, settings)


def cmd_replay(args: argparse.Namespace) -> int:
    import asyncio

    from newsenrich.runtime.replay import replay

    settings = _settings()
    _logging(settings)
    report = asyncio.run(replay(args.paths, settings, rate=args.rate, loop=args.loop))
    print(f"sent {report.sent} articles to {settings.topic_raw} in {report.seconds:.2f}s", file=sys.stderr)
    return 0


def cmd_up(args: argparse.Namespace) -> int:
    from newsenrich.devtools.up import up

    settings = _settings()
    # `up` is for a person at a terminal: its own lines are text (the workers keep LOG_FORMAT).
    _logging(settings.model_copy(update={"log_format": "text"}))
    return up(settings, once=args.once, timeout_s=args.timeout, seeds=args.seeds, bootstrap=args.bootstrap)


def cmd_models(args: argparse.Namespace) -> int:
    from newsenrich.models import download, show, train

    settings = _settings()
    if args.action in ("train", "gazetteer"):
        return train(args, gazetteer_only=args.action == "gazetteer")
    if args.action == "download":
        return download(args.lang or sorted(settings.languages))
    return show(sorted(settings.languages))


def cmd_topics(args: argparse.Namespace) -> int:
    import asyncio

    from newsenrich.runtime.admin import ensure_topics, wait_for_broker

    settings = _settings()
    _logging(settings)
    asyncio.run(wait_for_broker(settings, timeout_s=args.wait))
    asyncio.run(ensure_topics(settings))
    print(f"topics ready: {', '.join(settings.topics())}", file=sys.stderr)
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    import asyncio
    from datetime import UTC, datetime

    from newsenrich.runtime.reprocess import GroupUsed, reprocess

    settings = _settings()
    _logging(settings)
    try:
        since = datetime.fromisoformat(args.since)
    except ValueError:
        print(f"newsenrich: --since {args.since!r} is not an ISO 8601 time", file=sys.stderr)
        return 2
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    epoch = args.epoch if args.epoch is not None else settings.reprocess_epoch + 1
    try:
        resets = asyncio.run(reprocess(settings, int(since.timestamp() * 1000), epoch, tuple(args.workers)))
    except (GroupUsed, ValueError) as exc:
        print(f"newsenrich: {exc}", file=sys.stderr)
        return 5
    for r in resets:
        print(
            f"{r.group}: starts at {settings.topic_raw} offsets {r.offsets}, the first written at or "
            f"after {since.isoformat()}: {r.articles} messages to enrich again",
            file=sys.stderr,
        )
    print(
        f"now deploy the {' and '.join(args.workers)} workers with REPROCESS_EPOCH={epoch} "
        "(and the new models or rules), and stop the old ones",
        file=sys.stderr,
    )
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from pathlib import Path

    from newsenrich.devtools.bench import run_bench, summarize

    if args.summarize:
        print(summarize([Path(p) for p in args.summarize]))
        return 0
    settings = _settings()
    _logging(settings)
    if args.quick:
        from newsenrich.devtools.quick_bench import run_quick

        return run_quick(settings, Path(args.pud), Path(args.seeds))
    return run_bench(
        settings,
        Path(args.pud),
        Path(args.seeds),
        Path(args.out),
        skip_e2e=args.skip_e2e,
        passes=args.passes,
        compare_models=Path(args.compare_models) if args.compare_models else None,
        compare_code=Path(args.compare_code) if args.compare_code else None,
    )


def cmd_config(args: argparse.Namespace) -> int:
    settings = _settings()
    width = max(len(k) for k in ENV)
    group = None
    for name, (default, help_text, in_group) in ENV.items():
        if in_group != group:
            group = in_group
            print(f"[{group}]")
        print(f"{name:<{width}}  {default!s:<24} {help_text}")
    print()
    for key, value in settings.describe().items():
        print(f"{key} = {value}")
    return 0


def _wrap(text: str) -> str:
    return textwrap.fill(text, 88)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="newsenrich",
        description=_wrap(
            "newsenrich: raw news articles in, named entities and attributed quotes out, on Kafka. "
            "`newsenrich COMMAND --help` says what a command does, its arguments and the settings it reads."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = _sub(
        sub,
        "worker",
        "run one streaming worker (what a container runs)",
        _wrap(
            "entities and quotes consume the raw topic, the joiner their two result topics; each "
            "produces its results and dead letters, serves /metrics, /healthz and /readyz, and stops "
            "cleanly on SIGTERM within SHUTDOWN_GRACE_S. Logs are JSON lines on stderr."
        ),
        reads("kafka", "topics", "processing", "runtime", "observability"),
    )
    s.add_argument("name", choices=WORKERS, help="which worker: entities, quotes or joiner")
    s.set_defaults(func=cmd_worker)

    s = _sub(
        sub,
        "replay",
        "produce articles to the raw topic",
        _wrap(
            "Seed articles (.txt: a title line, a blank line, the body) or raw articles (.jsonl, one "
            "JSON object per line), keyed by article id, to TOPIC_RAW of KAFKA_BOOTSTRAP_SERVERS."
        ),
        reads("kafka", "TOPIC_RAW", "TOPIC_PARTITIONS", "TOPIC_REPLICATION", *LOGS),
    )
    s.add_argument("paths", nargs="+", help="files or folders of .txt and .jsonl articles")
    s.add_argument("--rate", type=float, default=0.0, help="articles per second (0 = as fast as possible)")
    s.add_argument("--loop", action="store_true", help="replay again and again until interrupted")
    s.set_defaults(func=cmd_replay)

    s = _sub(
        sub,
        "enrich",
        "enrich files without Kafka",
        _wrap(
            "Runs the workers' stages in memory: one enriched article per line (JSONL) on stdout, in "
            "input order; rejected articles are reported on stderr and the rest go on (exit 1 if any "
            "was rejected). Progress on stderr."
        ),
        reads(*NLP, "NEWSENRICH_SCHEMAS_DIR", "MAX_MESSAGE_BYTES", *LOGS),
    )
    s.add_argument("paths", nargs="+", help="files or folders of .txt and .jsonl articles")
    s.set_defaults(func=cmd_enrich)

    s = _sub(
        sub,
        "up",
        "run the whole pipeline locally: broker, three workers, seed replay",
        _wrap(
            "Starts an embedded Kafka-protocol broker (Tansu, loopback only) unless --bootstrap names "
            "a cluster; KAFKA_BOOTSTRAP_SERVERS in the shell is deliberately not read. The first lines "
            "on stderr say which broker and topics it uses; enriched articles go to stdout as JSONL."
        ),
        reads("topics", "processing", "runtime", "observability", but=("METRICS_PORT",)),
    )
    s.add_argument("--once", action="store_true", help="exit 0 once every seed article came out enriched")
    s.add_argument(
        "--timeout", type=float, default=300.0, help="with --once: give up after this many seconds"
    )
    s.add_argument("--seeds", default="seeds", help="folder of articles to replay (default: seeds)")
    s.add_argument(
        "--bootstrap",
        metavar="HOST:PORT",
        help="use this Kafka cluster instead of the embedded broker",
    )
    s.set_defaults(func=cmd_up)

    s = _sub(
        sub,
        "models",
        "show, download or train the stanza models, or rebuild the gazetteer",
        _wrap(
            "show: which models STANZA_RESOURCES_DIR (else the shipped models/) holds. "
            "download: the official stanza models (needs internet). train LANG: build the project's own "
            "NER and word vectors from the open data in --data, resumably, into --out, and write "
            "MODELS.md beside them (progress on stderr; hours on two cores). gazetteer ar: rebuild "
            "only the Arabic gazetteer.json (corpora names and GeoNames towns) into --out and its "
            "paragraph of MODELS.md, in seconds."
        ),
        reads("LANGUAGES", "STANZA_RESOURCES_DIR", "TORCH_THREADS"),
    )
    s.add_argument(
        "action",
        choices=("show", "download", "train", "gazetteer"),
        help="show, download, train or gazetteer",
    )
    s.add_argument("train_lang", nargs="*", metavar="LANG", help="with train: ar, en or both; gazetteer: ar")
    s.add_argument("--lang", action="append", help="language to download (repeatable; default LANGUAGES)")
    s.add_argument("--data", default="../shared/data", help="train, gazetteer: the open corpora folder")
    s.add_argument(
        "--out", default="models", help="train, gazetteer: resources folder to write (default: models)"
    )
    s.add_argument(
        "--work", default=".newsenrich/train", help="train, gazetteer: work folder (train resumes from it)"
    )
    s.add_argument(
        "--base",
        default=None,
        help="train: resources folder whose tokenizer and MWT models are kept (default: the one in use)",
    )
    s.add_argument(
        "--baseline", default=None, help="train: resources folder whose NER is scored beside the new one"
    )
    s.add_argument("--steps", type=int, default=12000, help="train: NER training steps (batches of 32)")
    s.set_defaults(func=cmd_models)

    s = _sub(
        sub,
        "topics",
        "create the service's topics that do not exist",
        _wrap(
            "A deploy-time job: waits for the brokers, then creates the five topics with "
            "TOPIC_PARTITIONS and TOPIC_REPLICATION; existing topics are left as they are."
        ),
        reads("kafka", "topics", *LOGS),
    )
    s.add_argument("--wait", type=float, default=120.0, help="seconds to wait for the brokers")
    s.set_defaults(func=cmd_topics)

    s = _sub(
        sub,
        "reprocess",
        "re-enrich the raw articles written since a time",
        _wrap(
            "After new models or rules ship. Gives the entities and quotes workers new consumer "
            "groups (those of REPROCESS_EPOCH+1, or --epoch) that start at the first raw message "
            "written at or after --since; deploy the new workers with that REPROCESS_EPOCH and they "
            "read the range again, then go on with live articles. The joiner writes a new record for "
            "each article whose enrichment version (models and rules) changed, and nothing for the "
            "others. Exits 5 if the epoch's groups were used before."
        ),
        reads("kafka", "TOPIC_RAW", "APP_PREFIX", "REPROCESS_EPOCH", *LOGS),
    )
    s.add_argument("--since", required=True, help="ISO 8601 time, e.g. 2026-12-01T00:00:00Z (UTC if no zone)")
    s.add_argument("--epoch", type=int, default=None, help="the groups' epoch (default: REPROCESS_EPOCH + 1)")
    s.add_argument(
        "--workers",
        nargs="+",
        choices=("entities", "quotes"),
        default=["entities", "quotes"],
        help="which workers get new groups (default: both)",
    )
    s.set_defaults(func=cmd_reprocess)

    s = _sub(
        sub,
        "bench",
        "benchmark: bare stanza vs offline enrich vs end to end on a broker",
        _wrap(
            "Measures, in one run, bare stanza NER, the in-memory pipeline and the full pipeline on an "
            "embedded broker over the same corpus, and writes results JSON and a plot to --out; "
            "compare ratios from one run, the machine is noisy. Progress on stderr."
        ),
        reads(*NLP, "BATCH_WITHIN_S", "JOIN_BATCH_WITHIN_S", "topics", *LOGS),
    )
    s.add_argument(
        "--pud",
        default="../shared/data/ud/UD_Arabic-PUD/ar_pud-ud-test.conllu",
        help="CoNLL-U file whose sentences are the benchmark corpus",
    )
    s.add_argument("--seeds", default="seeds", help="seed articles added to the corpus")
    s.add_argument("--out", default="bench/results", help="folder for results JSON and plot")
    s.add_argument("--skip-e2e", action="store_true", help="in-process measurements only")
    s.add_argument(
        "--quick",
        action="store_true",
        help="in-process, under a minute: bare stanza vs find_entities vs offline enrich on 100 "
        "articles, ms per article for each step (tokenize, mwt, ner, post-processing, quotes, "
        "attribution) and their ratios; run it before a change lands",
    )
    s.add_argument(
        "--passes",
        type=int,
        default=None,
        help="end-to-end runs replay the corpus this many times (default 8: long beside the half "
        "second the pipeline takes to fill and drain)",
    )
    s.add_argument(
        "--summarize", nargs="+", metavar="RESULTS_JSON", help="print medians over earlier runs and exit"
    )
    s.add_argument(
        "--compare-models",
        metavar="DIR",
        help="only compare NER throughput of the models in use with those in DIR, alternating, and exit",
    )
    s.add_argument(
        "--compare-code",
        metavar="CHECKOUT",
        help="only compare end-to-end throughput of this code's workers with another checkout's "
        "(e.g. a git worktree of an earlier commit), alternating on fresh brokers, and exit",
    )
    s.set_defaults(func=cmd_bench)

    s = _sub(
        sub,
        "config",
        "print the settings variables and the effective configuration",
        "Every variable with its default and meaning, then the values in effect (secrets masked).",
        reads("kafka", "topics", "processing", "runtime", "observability"),
    )
    s.set_defaults(func=cmd_config)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run a command; the failures a user can mend (a path, the brokers) end in one clear line."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except OSError as exc:
        if getattr(exc, "filename", None):
            print(f"newsenrich: cannot read {exc.filename}: {exc.strerror}", file=sys.stderr)
            return 2
        print(f"newsenrich: {_broker_hint(exc)}", file=sys.stderr)
        return 4
    except Exception as exc:
        from aiokafka.errors import KafkaError

        if isinstance(exc, (KafkaError, TimeoutError)):
            print(f"newsenrich: {_broker_hint(exc)}", file=sys.stderr)
            return 4
        raise


def _broker_hint(exc: BaseException) -> str:
    settings = _settings()
    hint = ""
    if "UnknownError" in repr(exc) and settings.producer_idempotence:
        hint = " (a broker without idempotent producers, such as Tansu, needs PRODUCER_IDEMPOTENCE=false)"
    return (
        f"the Kafka brokers at {settings.bootstrap_servers} did not answer ({type(exc).__name__}: {exc}); "
        f"check KAFKA_BOOTSTRAP_SERVERS{hint}"
    )


if __name__ == "__main__":
    sys.exit(main())
