"""Settings from environment variables, each with a documented default.

One frozen object built once at start-up; a bad value stops the process with
a message naming the variable instead of failing later inside a worker.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, fields
from pathlib import Path


class ConfigError(ValueError):
    pass


# name -> (default, help). The README's configuration table is this table.
ENV: dict[str, tuple[str, str]] = {
    "KAFKA_BOOTSTRAP_SERVERS": ("127.0.0.1:9092", "Kafka bootstrap servers, comma-separated host:port"),
    "TOPIC_RAW": ("articles.raw", "input topic of raw articles"),
    "TOPIC_ENTITIES": ("articles.entities", "entities worker output"),
    "TOPIC_QUOTES": ("articles.quotes", "quotes worker output"),
    "TOPIC_ENRICHED": ("articles.enriched", "joined, enriched articles (downstream contract)"),
    "TOPIC_DEADLETTER": ("articles.deadletter", "rejected messages with reason, stage and source position"),
    "TOPIC_PARTITIONS": ("4", "partitions for topics the service creates; the worker scale-out limit"),
    "TOPIC_REPLICATION": ("1", "replication factor for topics the service creates"),
    "APP_PREFIX": ("newsenrich", "prefix of consumer group ids (<prefix>-entities, ...)"),
    "LANGUAGES": ("ar,en", "languages enriched; others are dead-lettered as unsupported_language"),
    "MAX_BODY_CHARS": ("100000", "longest body accepted, in characters; longer is dead-lettered"),
    "BATCH_SIZE": ("32", "most articles per NER batch (stream.take)"),
    "BATCH_WITHIN_S": ("0.5", "longest wait to fill an NER batch, seconds"),
    # Measured (bench/results): the small Arabic model annotates faster on 1 thread than on 2;
    # scale with processes, one per core.
    "TORCH_THREADS": ("1", "torch intra-op threads per entities worker; 0 = the CPUs this process may use"),
    "BROKER_SESSION_TIMEOUT_S": ("30", "consumer group session timeout, seconds"),
    "BROKER_HEARTBEAT_S": ("3", "consumer group heartbeat interval, seconds"),
    "JOIN_STATE_TTL_S": (
        "604800",
        "how long the joiner remembers an article (for pairing and de-duplication)",
    ),
    "NEWSENRICH_DATA_DIR": (
        str(Path(tempfile.gettempdir()) / "newsenrich"),
        "local state of the workers (faust table stores)",
    ),
    "LOG_LEVEL": ("info", "debug, info, warning or error"),
}


def _int(name: str, raw: str, minimum: int = 0) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not an integer") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}")
    return value


def _float(name: str, raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a number") from None
    if value <= 0:
        raise ConfigError(f"{name}={raw!r} must be positive")
    return value


@dataclass(frozen=True)
class Settings:
    bootstrap_servers: str
    topic_raw: str
    topic_entities: str
    topic_quotes: str
    topic_enriched: str
    topic_deadletter: str
    topic_partitions: int
    topic_replication: int
    app_prefix: str
    languages: frozenset[str]
    max_body_chars: int
    batch_size: int
    batch_within_s: float
    torch_threads: int
    broker_session_timeout_s: float
    broker_heartbeat_s: float
    join_state_ttl_s: int
    data_dir: Path
    log_level: str

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)

        def get(name: str) -> str:
            return env.get(name) or ENV[name][0]

        from newsenrich.nlp.lexicon import available_languages

        languages = frozenset(x.strip() for x in get("LANGUAGES").split(",") if x.strip())
        unknown = languages - available_languages()
        if not languages or unknown:
            raise ConfigError(
                f"LANGUAGES={get('LANGUAGES')!r}: no quote lexicon for {sorted(unknown)}; "
                f"available: {sorted(available_languages())}"
            )
        level = get("LOG_LEVEL").lower()
        if level not in ("debug", "info", "warning", "error"):
            raise ConfigError(f"LOG_LEVEL={level!r} must be debug, info, warning or error")
        threads = _int("TORCH_THREADS", get("TORCH_THREADS"))
        return cls(
            bootstrap_servers=get("KAFKA_BOOTSTRAP_SERVERS"),
            topic_raw=get("TOPIC_RAW"),
            topic_entities=get("TOPIC_ENTITIES"),
            topic_quotes=get("TOPIC_QUOTES"),
            topic_enriched=get("TOPIC_ENRICHED"),
            topic_deadletter=get("TOPIC_DEADLETTER"),
            topic_partitions=_int("TOPIC_PARTITIONS", get("TOPIC_PARTITIONS"), 1),
            topic_replication=_int("TOPIC_REPLICATION", get("TOPIC_REPLICATION"), 1),
            app_prefix=get("APP_PREFIX"),
            languages=languages,
            max_body_chars=_int("MAX_BODY_CHARS", get("MAX_BODY_CHARS"), 1),
            batch_size=_int("BATCH_SIZE", get("BATCH_SIZE"), 1),
            batch_within_s=_float("BATCH_WITHIN_S", get("BATCH_WITHIN_S")),
            torch_threads=threads or len(os.sched_getaffinity(0)),
            broker_session_timeout_s=_float("BROKER_SESSION_TIMEOUT_S", get("BROKER_SESSION_TIMEOUT_S")),
            broker_heartbeat_s=_float("BROKER_HEARTBEAT_S", get("BROKER_HEARTBEAT_S")),
            join_state_ttl_s=_int("JOIN_STATE_TTL_S", get("JOIN_STATE_TTL_S"), 1),
            data_dir=Path(get("NEWSENRICH_DATA_DIR")),
            log_level=level,
        )

    def topics(self) -> list[str]:
        return [
            self.topic_raw,
            self.topic_entities,
            self.topic_quotes,
            self.topic_enriched,
            self.topic_deadletter,
        ]

    def describe(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}
