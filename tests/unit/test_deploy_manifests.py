"""The Kubernetes manifests render, validate offline, and agree with the service's settings."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
OVERLAYS = ["local", "production"]
WORKERS = ("entities", "quotes", "joiner")


def render(overlay: str) -> list[dict]:
    if shutil.which("kubectl") is None:
        pytest.skip("kubectl is not installed")
    out = subprocess.run(
        ["kubectl", "kustomize", str(ROOT / "k8s" / "overlays" / overlay)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def validate(path: Path) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("kubernetes-validate")
    return subprocess.run([str(exe), "--strict", "--quiet", str(path)], capture_output=True, text=True)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_overlay_validates_against_the_kubernetes_schemas(overlay, tmp_path):
    docs = render(overlay)
    f = tmp_path / "all.yaml"
    f.write_text(yaml.safe_dump_all(docs))
    result = validate(f)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "failed" not in result.stdout.lower()


def test_hpa_fallback_validates(tmp_path):
    result = validate(ROOT / "k8s" / "components" / "hpa-cpu" / "hpa.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_workers_are_locked_down_and_probed(overlay):
    docs = render(overlay)
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    assert set(deployments) == {f"newsenrich-{w}" for w in WORKERS}
    for d in deployments.values():
        pod = d["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        [c] = pod["containers"]
        assert c["securityContext"]["readOnlyRootFilesystem"] is True
        assert c["securityContext"]["allowPrivilegeEscalation"] is False
        assert c["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert c["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert c["resources"]["requests"] and c["resources"]["limits"]
    assert not [d for d in docs if d["kind"] == "Secret"], "credentials never live in the manifests"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_autoscaling_matches_topics_groups_and_partitions(overlay):
    docs = render(overlay)
    [cm] = [d for d in docs if d["kind"] == "ConfigMap"]
    env = cm["data"]
    scaled = {d["metadata"]["name"]: d for d in docs if d["kind"] == "ScaledObject"}
    inputs = {
        "entities": [env["TOPIC_RAW"]],
        "quotes": [env["TOPIC_RAW"]],
        "joiner": [env["TOPIC_ENTITIES"], env["TOPIC_QUOTES"]],
    }
    for worker in WORKERS:
        so = scaled[f"newsenrich-{worker}"]
        assert so["spec"]["scaleTargetRef"]["name"] == f"newsenrich-{worker}"
        assert so["spec"]["maxReplicaCount"] <= int(env["TOPIC_PARTITIONS"])
        triggers = so["spec"]["triggers"]
        assert [t["metadata"]["topic"] for t in triggers] == inputs[worker]
        for t in triggers:
            assert t["type"] == "kafka"
            assert t["metadata"]["bootstrapServers"] == env["KAFKA_BOOTSTRAP_SERVERS"]
            assert t["metadata"]["consumerGroup"] == f"{env['APP_PREFIX']}-{worker}"
            if env["KAFKA_SECURITY_PROTOCOL"] != "PLAINTEXT":
                assert t["authenticationRef"]["name"]


def test_dashboard_queries_only_metrics_the_workers_export():
    import json
    import re

    from newsenrich import observability

    exported = set()
    for obj in vars(observability).values():
        name = getattr(obj, "_name", None)
        if name and name.startswith("newsenrich_"):
            exported |= {name, f"{name}_total", f"{name}_bucket", f"{name}_sum", f"{name}_count"}
    dash = json.loads((ROOT / "k8s" / "grafana" / "newsenrich-dashboard.json").read_text())
    used = {m for p in dash["panels"] for t in p["targets"] for m in re.findall(r"newsenrich_\w+", t["expr"])}
    assert used and used <= exported, used - exported


def test_compose_creates_topics_with_the_services_own_command():
    """Topic configs are declared once (Settings.topic_configs): compose runs `newsenrich topics`
    like the k8s Job, rather than a kafka-topics.sh script of its own that could drift."""
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["topics"]["command"] == ["topics"]
    assert "kafka-topics" not in (ROOT / "docker-compose.yml").read_text()
