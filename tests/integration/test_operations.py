"""What operators rely on: metrics, probes, structured logs and a clean SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
import urllib.request

import orjson
import pytest

from .conftest import ROOT, Pipeline
from .test_pipeline import _copies, ids_of

pytestmark = pytest.mark.integration


def get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except OSError:
        return 0, b""


async def wait_for(predicate, timeout_s: float = 60.0, every_s: float = 0.3) -> None:
    deadline = time.monotonic() + timeout_s
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(every_s)


async def test_metrics_and_probes_report_what_the_workers_do(pipeline: Pipeline):
    pipeline.start("entities", "quotes", "joiner")
    for name in ("entities", "quotes", "joiner"):
        await wait_for(lambda n=name: get(pipeline.ports[n], "/readyz")[0] == 200)
    articles = _copies(3)
    await pipeline.produce([*articles, (b"bad", b"not json at all")])
    await pipeline.collect(pipeline.settings.topic_enriched, lambda ms: len(ms) >= 3)
    status, body = get(pipeline.ports["entities"], "/metrics")
    text = body.decode()
    assert status == 200
    assert 'newsenrich_articles_in_total{worker="entities"} 4.0' in text
    assert 'newsenrich_articles_out_total{worker="entities"} 3.0' in text
    assert 'newsenrich_deadletters_total{reason="not_json",worker="entities"} 1.0' in text
    assert (
        "newsenrich_model_load_seconds" in text
        and 'newsenrich_stage_seconds_count{stage="ner_batch"}' in text
    )
    joiner = get(pipeline.ports["joiner"], "/metrics")[1].decode()
    assert 'newsenrich_articles_out_total{worker="joiner"} 3.0' in joiner
    assert 'newsenrich_stage_seconds_count{stage="end_to_end"} 3.0' in joiner
    for name in ("entities", "quotes", "joiner"):
        status, body = get(pipeline.ports[name], "/healthz")
        assert status == 200 and orjson.loads(body)["live"] is True
    # Logs are JSON lines, and dead-letter lines carry the message's coordinates.
    lines = [orjson.loads(x) for x in pipeline.log("entities").splitlines() if x.startswith("{")]
    [dl] = [x for x in lines if x["msg"].startswith("dead-lettered")]
    assert dl["topic"] == pipeline.settings.topic_raw and dl["reason"] == "not_json"
    assert {"partition", "offset", "level", "ts"} <= dl.keys()


async def test_a_stalled_worker_is_not_live_and_recovers(pipeline: Pipeline):
    # One enormous article keeps the NER batch in flight far longer than the stall limit.
    pipeline.start("entities", LIVENESS_STALL_S="2", MAX_BODY_CHARS="400000", BATCH_SIZE="1")
    port = pipeline.ports["entities"]
    await wait_for(lambda: get(port, "/readyz")[0] == 200)
    seed = (ROOT / "seeds" / "002_55369924e893a492.txt").read_text(encoding="utf-8")
    huge = {"id": "huge", "title": "كبير", "body": "\n".join([seed] * 60)}
    await pipeline.produce([(b"huge", orjson.dumps(huge)), *_copies(2)])
    await wait_for(lambda: get(port, "/healthz")[0] == 503, timeout_s=90, every_s=0.2)
    detail = orjson.loads(get(port, "/healthz")[1])["detail"]
    assert "in flight" in detail or "no progress" in detail
    await pipeline.collect(pipeline.settings.topic_entities, lambda ms: len(ms) >= 3, timeout_s=240)
    await wait_for(lambda: get(port, "/healthz")[0] == 200, timeout_s=30)
    pipeline.kill("entities", signal.SIGKILL)
    assert get(port, "/healthz")[0] == 0, "a killed worker answers no probe"


async def test_sigterm_exits_cleanly_and_hands_back_the_in_flight_batch(pipeline: Pipeline):
    pipeline.start("quotes", "joiner", "entities", BATCH_SIZE="4")
    articles = _copies(12)
    await pipeline.produce(articles)
    await pipeline.collect(pipeline.settings.topic_entities, lambda ms: len(ms) >= 1)
    proc = pipeline.procs.pop("entities")
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    code = await asyncio.to_thread(proc.wait, 30)
    assert code == 0, "SIGTERM is a clean stop"
    assert time.monotonic() - started < 30, "well inside a pod's default grace period"
    pipeline.start("entities")
    want = {k.decode() for k, _ in articles}
    msgs = await pipeline.collect(pipeline.settings.topic_enriched, lambda ms: set(ids_of(ms)) >= want)
    assert len(msgs) == len(want)


async def test_joiner_forgets_articles_after_the_ttl_and_keeps_running(pipeline: Pipeline):
    """The expiry timer deletes table keys outside any stream event; the joiner must survive it."""
    pipeline.start("entities", "quotes")
    pipeline.start("joiner", JOIN_STATE_TTL_S="3")
    for name in ("entities", "quotes", "joiner"):
        await wait_for(lambda n=name: get(pipeline.ports[n], "/readyz")[0] == 200)
    [(key, value)] = _copies(1)
    await pipeline.produce([(key, value)])
    await pipeline.collect(pipeline.settings.topic_enriched, lambda ms: len(ms) >= 1)
    await wait_for(lambda: "forgot 1 articles" in pipeline.log("joiner"), timeout_s=20)
    assert pipeline.procs["joiner"].poll() is None, pipeline.log("joiner")[-3000:]
    # Within the TTL this copy would be a duplicate; once forgotten, it is emitted again.
    await pipeline.produce([(key, value)])
    msgs = await pipeline.collect(pipeline.settings.topic_enriched, lambda ms: len(ms) >= 2, timeout_s=60)
    assert ids_of(msgs) == [key.decode()] * 2


def test_up_runs_its_own_broker_whatever_the_shell_says(tmp_path):
    """A KAFKA_BOOTSTRAP_SERVERS left in the shell must not send the seeds to that cluster."""
    import os

    env = dict(os.environ) | {"KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:9", "METRICS_PORT": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "newsenrich.cli", "up", "--once", "--timeout", "240"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        timeout=300,
    )
    err = done.stderr.decode()
    assert done.returncode == 0, err[-2000:]
    assert "ignoring KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9" in err and "broker: embedded Tansu" in err
    assert len(done.stdout.splitlines()) == 2, "both seeds enriched"
    assert not err.lstrip().startswith("{"), "text for a person, not JSON"


async def test_topics_are_created_with_their_configs(broker: str, tmp_path, stanza_dir):
    """`newsenrich topics` (the k8s Job, the compose topics service) makes the enriched topic
    compacted: a new version of an article replaces the old for whoever replays it."""
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

    from newsenrich.runtime.admin import ensure_topics

    p = Pipeline(broker, tmp_path, stanza_dir)
    await ensure_topics(p.settings)
    admin = AIOKafkaAdminClient(**p.settings.kafka_client_kwargs())
    await admin.start()
    try:
        names = [p.settings.topic_enriched, p.settings.topic_deadletter]
        [response] = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, n) for n in names]
        )
        configs = {
            r[3]: {c[0]: c[1] for c in r[4]}
            for r in response.resources  # (error, msg, type, name, entries)
        }
    finally:
        await admin.close()
    assert configs[p.settings.topic_enriched]["cleanup.policy"] == "compact"
    assert configs[p.settings.topic_deadletter]["retention.ms"] == str(30 * 24 * 3600 * 1000)


def test_a_worker_on_a_broker_without_idempotent_producers_names_the_setting(broker, tmp_path, stanza_dir):
    """faust said only "Error: UnknownError()"; the worker now names the setting and exits 4."""
    p = Pipeline(broker, tmp_path, stanza_dir)
    done = subprocess.run(
        [sys.executable, "-m", "newsenrich.cli", "worker", "quotes"],
        env=p.env | {"PRODUCER_IDEMPOTENCE": "true", "METRICS_PORT": "0", "LOG_FORMAT": "text"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 4
    errors = [line for line in done.stderr.splitlines() if " ERROR " in line]
    assert len(errors) == 1 and "PRODUCER_IDEMPOTENCE=false" in errors[0], done.stderr[-2000:]
    assert "Traceback" not in done.stderr
