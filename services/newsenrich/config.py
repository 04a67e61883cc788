"""Settings from environment variables, each with a documented default.

One frozen object built once at start-up; a bad value stops the process with
a message naming the variable instead of failing later inside a worker.
"""

from __future__ import annotations

import os
import ssl
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
    "BATCH_SIZE": ("64", "most messages per batch (an NER batch in the entities worker)"),
    "BATCH_WITHIN_S": (
        "0.2",
        "longest wait after a batch's first message to fill it, seconds (bounds latency at low rates)",
    ),
    "JOIN_BATCH_WITHIN_S": (
        "0.05",
        "longest wait to fill a joiner batch, seconds (its work is ~1 ms a message: wait less)",
    ),
    # Measured (bench/results): the small Arabic model annotates faster on 1 thread than on 2;
    # scale with processes, one per core.
    "TORCH_THREADS": ("1", "torch intra-op threads per entities worker; 0 = the CPUs this process may use"),
    "BROKER_SESSION_TIMEOUT_S": ("30", "consumer group session timeout, seconds"),
    "BROKER_HEARTBEAT_S": ("3", "consumer group heartbeat interval, seconds"),
    # Kafka's own default. Kafka answers a fetch as soon as data comes, so the wait only
    # spaces out the empty polls of an idle worker: at 100 ms they were a fifth of the
    # joiner's CPU per article. The embedded Tansu answers later in proportion to the
    # wait (measured: up to ~0.15 s at 500 ms), which the latency benchmark includes.
    "CONSUMER_FETCH_MAX_WAIT_MS": (
        "500",
        "longest a fetch waits for data (Kafka answers sooner when data comes)",
    ),
    "EVENT_LOOP": ("uvloop", "event loop of the workers: uvloop (C, faster) or asyncio"),
    "JOIN_STATE_TTL_S": (
        "604800",
        "how long the joiner remembers an article (for pairing and de-duplication)",
    ),
    "NEWSENRICH_DATA_DIR": (
        str(Path(tempfile.gettempdir()) / "newsenrich"),
        "local state of the workers (faust table stores)",
    ),
    "LOG_LEVEL": ("info", "debug, info, warning or error"),
    "LOG_FORMAT": ("json", "json (one object per line, for log pipelines) or text"),
    "METRICS_PORT": ("9108", "port of /metrics, /healthz and /readyz on each worker; 0 disables them"),
    "METRICS_HOST": ("0.0.0.0", "address the metrics/probe server binds (127.0.0.1 keeps it local)"),
    "LIVENESS_STALL_S": ("300", "a worker with messages waiting and no progress for this long is not live"),
    "KAFKA_SECURITY_PROTOCOL": ("PLAINTEXT", "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL"),
    "KAFKA_SASL_MECHANISM": ("PLAIN", "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (with SASL_*)"),
    "KAFKA_SASL_USERNAME": ("", "SASL user name"),
    "KAFKA_SASL_PASSWORD": ("", "SASL password (secret: never logged, masked by `newsenrich config`)"),
    "KAFKA_SSL_CAFILE": ("", "CA bundle to verify the brokers (SSL, SASL_SSL); system CAs when empty"),
    "KAFKA_SSL_CERTFILE": ("", "client certificate for mutual TLS"),
    "KAFKA_SSL_KEYFILE": ("", "client key for mutual TLS"),
}
SECRETS = frozenset({"KAFKA_SASL_PASSWORD"})
_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a local `.env` (comments and blank lines skipped, quotes stripped)."""
    out: dict[str, str] = {}
    if not path.is_file():
        return out
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not key.strip().isidentifier():
            raise ConfigError(f"{path}:{n}: expected KEY=VALUE")
        out[key.strip()] = value.strip().strip("'\"")
    return out


def load_environment(env: dict[str, str] | None = None, dotenv: Path = Path(".env")) -> dict[str, str]:
    """The process environment over an optional `.env` (the real environment always wins)."""
    base = dict(os.environ if env is None else env)
    return read_dotenv(dotenv) | base


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
    join_batch_within_s: float
    torch_threads: int
    broker_session_timeout_s: float
    broker_heartbeat_s: float
    consumer_fetch_max_wait_ms: int
    event_loop: str
    join_state_ttl_s: int
    data_dir: Path
    log_level: str
    log_format: str
    metrics_port: int
    metrics_host: str
    liveness_stall_s: float
    security_protocol: str
    sasl_mechanism: str
    sasl_username: str
    sasl_password: str
    ssl_cafile: str
    ssl_certfile: str
    ssl_keyfile: str

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = load_environment() if env is None else dict(env)

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
        log_format = get("LOG_FORMAT").lower()
        if log_format not in ("json", "text"):
            raise ConfigError(f"LOG_FORMAT={log_format!r} must be json or text")
        event_loop = get("EVENT_LOOP").lower()
        if event_loop not in ("uvloop", "asyncio"):
            raise ConfigError(f"EVENT_LOOP={event_loop!r} must be uvloop or asyncio")
        protocol = get("KAFKA_SECURITY_PROTOCOL").upper()
        if protocol not in _PROTOCOLS:
            raise ConfigError(f"KAFKA_SECURITY_PROTOCOL={protocol!r} must be one of {', '.join(_PROTOCOLS)}")
        mechanism = get("KAFKA_SASL_MECHANISM").upper()
        if mechanism not in _MECHANISMS:
            raise ConfigError(f"KAFKA_SASL_MECHANISM={mechanism!r} must be one of {', '.join(_MECHANISMS)}")
        if protocol.startswith("SASL") and not (get("KAFKA_SASL_USERNAME") and get("KAFKA_SASL_PASSWORD")):
            raise ConfigError(
                f"KAFKA_SECURITY_PROTOCOL={protocol} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD"
            )
        for name in ("KAFKA_SSL_CAFILE", "KAFKA_SSL_CERTFILE", "KAFKA_SSL_KEYFILE"):
            if get(name) and not Path(get(name)).is_file():
                raise ConfigError(f"{name}={get(name)!r}: no such file")
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
            join_batch_within_s=_float("JOIN_BATCH_WITHIN_S", get("JOIN_BATCH_WITHIN_S")),
            torch_threads=threads or len(os.sched_getaffinity(0)),
            broker_session_timeout_s=_float("BROKER_SESSION_TIMEOUT_S", get("BROKER_SESSION_TIMEOUT_S")),
            broker_heartbeat_s=_float("BROKER_HEARTBEAT_S", get("BROKER_HEARTBEAT_S")),
            consumer_fetch_max_wait_ms=_int(
                "CONSUMER_FETCH_MAX_WAIT_MS", get("CONSUMER_FETCH_MAX_WAIT_MS"), 1
            ),
            event_loop=event_loop,
            join_state_ttl_s=_int("JOIN_STATE_TTL_S", get("JOIN_STATE_TTL_S"), 1),
            data_dir=Path(get("NEWSENRICH_DATA_DIR")),
            log_level=level,
            log_format=log_format,
            metrics_port=_int("METRICS_PORT", get("METRICS_PORT")),
            metrics_host=get("METRICS_HOST"),
            liveness_stall_s=_float("LIVENESS_STALL_S", get("LIVENESS_STALL_S")),
            security_protocol=protocol,
            sasl_mechanism=mechanism,
            sasl_username=get("KAFKA_SASL_USERNAME"),
            sasl_password=get("KAFKA_SASL_PASSWORD"),
            ssl_cafile=get("KAFKA_SSL_CAFILE"),
            ssl_certfile=get("KAFKA_SSL_CERTFILE"),
            ssl_keyfile=get("KAFKA_SSL_KEYFILE"),
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
        """Effective settings for people and logs: secrets masked."""
        masked = {"sasl_password"}
        return {
            f.name: ("********" if f.name in masked and getattr(self, f.name) else str(getattr(self, f.name)))
            for f in fields(self)
        }

    def ssl_context(self) -> ssl.SSLContext | None:
        if self.security_protocol not in ("SSL", "SASL_SSL"):
            return None
        ctx = ssl.create_default_context(cafile=self.ssl_cafile or None)
        if self.ssl_certfile:
            ctx.load_cert_chain(self.ssl_certfile, self.ssl_keyfile or None)
        return ctx

    def kafka_client_kwargs(self) -> dict[str, object]:
        """Connection settings for every aiokafka client the service makes."""
        kwargs: dict[str, object] = {
            "bootstrap_servers": self.bootstrap_servers,
            "security_protocol": self.security_protocol,
        }
        if self.security_protocol.startswith("SASL"):
            kwargs |= {
                "sasl_mechanism": self.sasl_mechanism,
                "sasl_plain_username": self.sasl_username,
                "sasl_plain_password": self.sasl_password,
            }
        if (ctx := self.ssl_context()) is not None:
            kwargs["ssl_context"] = ctx
        return kwargs

    def faust_credentials(self) -> object | None:
        import faust

        if self.security_protocol.startswith("SASL"):
            return faust.SASLCredentials(
                username=self.sasl_username,
                password=self.sasl_password,
                mechanism=self.sasl_mechanism,
                ssl_context=self.ssl_context(),
            )
        if self.security_protocol == "SSL":
            return faust.SSLCredentials(self.ssl_context())
        return None
