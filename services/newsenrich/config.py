"""Settings: every environment variable the service reads, declared once, typed, with its default.

One frozen pydantic-settings object built at start-up; a bad value stops the
process with a message naming the variable instead of failing later inside a
worker. Each field says its variable (`alias`), its group and what it means;
`newsenrich config` and the README's table are this class. Choices are
`Literal`s, the SASL password a `SecretStr` (masked wherever it is printed).
A local `.env` fills in what the real environment does not set.
"""

from __future__ import annotations

import os
import ssl
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ConfigError(ValueError):
    pass


def _default_models_dir() -> str:
    """The checkout's shipped `models/` when there is one, else stanza's own ~/stanza_resources."""
    shipped = Path(__file__).resolve().parents[2] / "models"
    return str(shipped if (shipped / "resources.json").is_file() else Path.home() / "stanza_resources")


def _default_schemas_dir() -> str:
    return str(Path(__file__).resolve().parents[2] / "schemas")


def _f(alias: str, default: Any, group: str, description: str, **kw: Any) -> Any:
    return Field(
        default,
        validation_alias=AliasChoices(alias),
        description=description,
        json_schema_extra={"env": alias, "group": group},
        **kw,
    )


Protocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
Mechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]


class Settings(BaseSettings):
    """The service's configuration; `Settings.from_env()` reads it (tests pass a dict)."""

    model_config = SettingsConfigDict(frozen=True, populate_by_name=False, extra="ignore")

    # kafka: where the brokers are and how to reach them
    bootstrap_servers: str = _f(
        "KAFKA_BOOTSTRAP_SERVERS",
        "127.0.0.1:9092",
        "kafka",
        "Kafka bootstrap servers, comma-separated host:port",
    )
    security_protocol: Protocol = _f(
        "KAFKA_SECURITY_PROTOCOL", "PLAINTEXT", "kafka", "PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL"
    )
    sasl_mechanism: Mechanism = _f(
        "KAFKA_SASL_MECHANISM", "PLAIN", "kafka", "PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (with SASL_*)"
    )
    sasl_username: str = _f("KAFKA_SASL_USERNAME", "", "kafka", "SASL user name")
    sasl_password: SecretStr = _f(
        "KAFKA_SASL_PASSWORD", SecretStr(""), "kafka", "SASL password (secret: never logged, masked)"
    )
    ssl_cafile: str = _f(
        "KAFKA_SSL_CAFILE",
        "",
        "kafka",
        "CA bundle to verify the brokers (SSL, SASL_SSL); system CAs when empty",
    )
    ssl_certfile: str = _f("KAFKA_SSL_CERTFILE", "", "kafka", "client certificate for mutual TLS")
    ssl_keyfile: str = _f("KAFKA_SSL_KEYFILE", "", "kafka", "client key for mutual TLS")
    broker_session_timeout_s: float = _f(
        "BROKER_SESSION_TIMEOUT_S", 30.0, "kafka", "consumer group session timeout, seconds", gt=0
    )
    broker_heartbeat_s: float = _f(
        "BROKER_HEARTBEAT_S", 3.0, "kafka", "consumer group heartbeat interval, seconds", gt=0
    )
    # Kafka's own default. Kafka answers a fetch as soon as data comes, so the wait only
    # spaces out the empty polls of an idle worker: at 100 ms they were a fifth of the
    # joiner's CPU per article. The embedded Tansu answers later in proportion to the
    # wait (measured: up to ~0.15 s at 500 ms), which the latency benchmark includes.
    consumer_fetch_max_wait_ms: int = _f(
        "CONSUMER_FETCH_MAX_WAIT_MS",
        500,
        "kafka",
        "longest a fetch waits for data (Kafka answers sooner when data comes)",
        ge=1,
    )
    producer_idempotence: bool = _f(
        "PRODUCER_IDEMPOTENCE",
        True,
        "kafka",
        "idempotent producers (Kafka drops the copy of a record re-sent after a lost acknowledgement, "
        "as in a broker crash); the embedded Tansu broker has none, so up, the tests and bench set false",
    )
    max_message_bytes: int = _f(
        "MAX_MESSAGE_BYTES",
        1_000_000,
        "kafka",
        "largest record a worker produces (keep under the broker's message.max.bytes); a bigger result is "
        "dead-lettered as output_too_large, a dead letter is cut to fit",
        ge=16_384,
    )
    # topics
    topic_raw: str = _f("TOPIC_RAW", "articles.raw", "topics", "input topic of raw articles")
    topic_entities: str = _f("TOPIC_ENTITIES", "articles.entities", "topics", "entities worker output")
    topic_quotes: str = _f("TOPIC_QUOTES", "articles.quotes", "topics", "quotes worker output")
    topic_enriched: str = _f(
        "TOPIC_ENRICHED", "articles.enriched", "topics", "joined, enriched articles (downstream contract)"
    )
    topic_deadletter: str = _f(
        "TOPIC_DEADLETTER",
        "articles.deadletter",
        "topics",
        "rejected messages with reason, stage and position",
    )
    topic_partitions: int = _f(
        "TOPIC_PARTITIONS",
        4,
        "topics",
        "partitions for topics the service creates; the scale-out limit",
        ge=1,
    )
    topic_replication: int = _f(
        "TOPIC_REPLICATION", 1, "topics", "replication factor for topics the service creates", ge=1
    )
    app_prefix: str = _f(
        "APP_PREFIX", "newsenrich", "topics", "prefix of consumer group ids (<prefix>-entities, ...)"
    )
    reprocess_epoch: int = _f(
        "REPROCESS_EPOCH",
        0,
        "topics",
        "which groups the entities and quotes workers read the raw topic in: 0 is <prefix>-entities "
        "and <prefix>-quotes, N is <prefix>-entities-rN and <prefix>-quotes-rN, which `newsenrich "
        "reprocess --since TIME` starts at TIME",
        ge=0,
    )
    # processing
    languages: Annotated[frozenset[str], NoDecode] = _f(
        "LANGUAGES",
        frozenset({"ar", "en"}),
        "processing",
        "languages enriched; others are unsupported_language",
    )
    max_body_chars: int = _f(
        "MAX_BODY_CHARS",
        100_000,
        "processing",
        "longest body accepted, in characters; longer is dead-lettered",
        ge=1,
    )
    max_title_chars: int = _f(
        "MAX_TITLE_CHARS",
        1_000,
        "processing",
        "longest title accepted, in characters; longer is dead-lettered as title_too_large",
        ge=1,
    )
    batch_size: int = _f(
        "BATCH_SIZE", 64, "processing", "most messages per batch (an NER batch in the entities worker)", ge=1
    )
    batch_within_s: float = _f(
        "BATCH_WITHIN_S",
        0.1,
        "processing",
        "longest wait after a batch's first message to fill it, seconds (bounds latency at low rates)",
        gt=0,
    )
    join_batch_within_s: float = _f(
        "JOIN_BATCH_WITHIN_S",
        0.05,
        "processing",
        "longest wait to fill a joiner batch, seconds (its work is ~1 ms a message: wait less)",
        gt=0,
    )
    # Measured (bench/results): the small Arabic model annotates faster on 1 thread than on 2;
    # scale with processes, one per core.
    torch_threads: int = _f(
        "TORCH_THREADS",
        1,
        "processing",
        "torch intra-op threads per entities worker; 0 = the CPUs available",
        ge=0,
    )
    join_state_ttl_s: int = _f(
        "JOIN_STATE_TTL_S", 604_800, "processing", "how long the joiner remembers an article", ge=1
    )
    dlq_max_share: float = _f(
        "DLQ_MAX_SHARE",
        0.5,
        "processing",
        "a stage whose own failures (processing_error, output_too_large, produce_rejected) pass this "
        "share of the last DLQ_WINDOW messages stops consuming and turns unready; 1 disables it",
        gt=0,
        le=1,
    )
    dlq_window: int = _f(
        "DLQ_WINDOW", 200, "processing", "messages over which DLQ_MAX_SHARE is counted", ge=1
    )
    dlq_max_in_row: int = _f(
        "DLQ_MAX_IN_ROW",
        100,
        "processing",
        "a stage stops after this many of its own failures in a row; 0 = off",
        ge=0,
    )
    # runtime
    event_loop: Literal["uvloop", "asyncio"] = _f(
        "EVENT_LOOP", "uvloop", "runtime", "event loop of the workers: uvloop (C, faster) or asyncio"
    )
    data_dir: Path = _f(
        "NEWSENRICH_DATA_DIR",
        Path(tempfile.gettempdir()) / "newsenrich",
        "runtime",
        "local state of the workers (faust table stores)",
    )
    stanza_resources_dir: Path = _f(
        "STANZA_RESOURCES_DIR",
        Path(_default_models_dir()),
        "runtime",
        "stanza models folder (default: the checkout's shipped models/, else ~/stanza_resources)",
    )
    schemas_dir: Path = _f(
        "NEWSENRICH_SCHEMAS_DIR", Path(_default_schemas_dir()), "runtime", "the event JSON Schemas (schemas/)"
    )
    shutdown_grace_s: float = _f(
        "SHUTDOWN_GRACE_S",
        20.0,
        "runtime",
        "on SIGTERM a worker hands back its batch and exits within this many seconds, even mid-retry",
        gt=0,
    )
    # observability
    log_level: Literal["debug", "info", "warning", "error"] = _f(
        "LOG_LEVEL", "info", "observability", "debug, info, warning or error"
    )
    log_format: Literal["json", "text"] = _f(
        "LOG_FORMAT", "json", "observability", "json (one object per line, for log pipelines) or text"
    )
    metrics_port: int = _f(
        "METRICS_PORT", 9108, "observability", "port of /metrics, /healthz and /readyz; 0 disables them", ge=0
    )
    metrics_host: str = _f(
        "METRICS_HOST",
        "0.0.0.0",
        "observability",
        "address the metrics/probe server binds (127.0.0.1 keeps it local)",
    )
    liveness_stall_s: float = _f(
        "LIVENESS_STALL_S",
        300.0,
        "observability",
        "a worker with input messages waiting and no progress for this long is not live",
        gt=0,
    )
    broker_unreachable_s: float = _f(
        "BROKER_UNREACHABLE_S",
        30.0,
        "observability",
        "a worker whose brokers have not answered for this long is not ready (/readyz 503); it stays "
        "live, since a restart cannot bring the brokers back",
        gt=0,
    )

    @field_validator("languages", mode="before")
    @classmethod
    def _split(cls, v: Any) -> Any:
        return frozenset(x.strip() for x in v.split(",") if x.strip()) if isinstance(v, str) else v

    @field_validator("languages")
    @classmethod
    def _known(cls, v: frozenset[str]) -> frozenset[str]:
        from newsenrich.nlp.lexicon import available_languages

        unknown = v - available_languages()
        if not v or unknown:
            raise ValueError(
                f"no quote lexicon for {sorted(unknown)}; available: {sorted(available_languages())}"
            )
        return v

    @field_validator("log_level", "log_format", "event_loop", mode="before")
    @classmethod
    def _lower(cls, v: Any) -> Any:
        return v.lower() if isinstance(v, str) else v

    @field_validator("security_protocol", "sasl_mechanism", mode="before")
    @classmethod
    def _upper(cls, v: Any) -> Any:
        return v.upper() if isinstance(v, str) else v

    @field_validator("torch_threads")
    @classmethod
    def _threads(cls, v: int) -> int:
        return v or len(os.sched_getaffinity(0))

    @field_validator("ssl_cafile", "ssl_certfile", "ssl_keyfile")
    @classmethod
    def _file(cls, v: str) -> str:
        if v and not Path(v).is_file():
            raise ValueError(f"{v!r}: no such file")
        return v

    @model_validator(mode="after")
    def _sasl(self) -> Settings:
        if self.security_protocol.startswith("SASL") and not (
            self.sasl_username and self.sasl_password.get_secret_value()
        ):
            raise ValueError(
                f"KAFKA_SECURITY_PROTOCOL={self.security_protocol} needs KAFKA_SASL_USERNAME and "
                "KAFKA_SASL_PASSWORD"
            )
        return self

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """From the environment (over `.env`), or from `env` alone; ConfigError names the variable."""
        source = load_environment() if env is None else dict(env)
        values = {k: v for k, v in source.items() if k in ENV and v != ""}
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            problems = []
            for err in exc.errors():
                name = str(err["loc"][0]) if err["loc"] else ""
                where = name if name in ENV else "settings"
                raw = f"={values[name]!r}" if name in values else ""
                problems.append(f"{where}{raw}: {err['msg'].removeprefix('Value error, ')}")
            raise ConfigError("; ".join(problems)) from None

    def topics(self) -> list[str]:
        return [
            self.topic_raw,
            self.topic_entities,
            self.topic_quotes,
            self.topic_enriched,
            self.topic_deadletter,
        ]

    def topic_configs(self) -> dict[str, dict[str, str]]:
        """Topic-level configs, declared once: `newsenrich topics` (the k8s Job and the compose
        file's topics service both run it) creates the topics with them.

        The enriched topic is compacted, so a new version of an article replaces the old
        for a downstream consumer that replays it; dead letters are kept 30 days.
        """
        return {
            self.topic_enriched: {"cleanup.policy": "compact"},
            self.topic_deadletter: {"retention.ms": str(30 * 24 * 3600 * 1000)},
        }

    def describe(self) -> dict[str, str]:
        """Effective settings for people and logs: secrets masked."""
        out = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                value = "********" if value.get_secret_value() else ""
            elif isinstance(value, frozenset):
                value = ",".join(sorted(value))
            out[name] = str(value)
        return out

    def ssl_context(self) -> ssl.SSLContext | None:
        if self.security_protocol not in ("SSL", "SASL_SSL"):
            return None
        ctx = ssl.create_default_context(cafile=self.ssl_cafile or None)
        if self.ssl_certfile:
            ctx.load_cert_chain(self.ssl_certfile, self.ssl_keyfile or None)
        return ctx

    def group_id(self, worker: str, epoch: int | None = None) -> str:
        """The consumer group of `worker`; the raw topic's readers move to a new one per reprocessing."""
        epoch = self.reprocess_epoch if epoch is None else epoch
        if worker in ("entities", "quotes") and epoch:
            return f"{self.app_prefix}-{worker}-r{epoch}"
        return f"{self.app_prefix}-{worker}"

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
                "sasl_plain_password": self.sasl_password.get_secret_value(),
            }
        if (ctx := self.ssl_context()) is not None:
            kwargs["ssl_context"] = ctx
        return kwargs


def _env_table() -> dict[str, tuple[str, str, str]]:
    out = {}
    for field in Settings.model_fields.values():
        extra = field.json_schema_extra or {}
        assert isinstance(extra, dict)
        default = field.default
        if isinstance(default, SecretStr):
            default = ""
        elif isinstance(default, frozenset):
            default = ",".join(sorted(default))
        out[str(extra["env"])] = (str(default), field.description or "", str(extra["group"]))
    return out


# variable -> (default, meaning, group): what `newsenrich config` prints and the README lists.
ENV: dict[str, tuple[str, str, str]] = _env_table()
SECRETS = frozenset(name for name, f in Settings.model_fields.items() if f.annotation is SecretStr)


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


def setting(alias: str) -> str:
    """One variable's value from the environment (over `.env`), else its declared default.

    For the few helpers that run before any Settings object exists (where the
    models and schemas are): the variable and its default are still the ones
    declared on `Settings`.
    """
    # One variable, read directly: helpers call this per article (the models folder), and
    # copying the whole environment each time cost about a millisecond per article.
    value = os.environ.get(alias) or read_dotenv(Path(".env")).get(alias)
    return value if value else ENV[alias][0]
