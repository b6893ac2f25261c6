"""The deployment recipes in deploy/ (Kubernetes, docker compose, systemd) stay true to the
code: every command is one the CLI accepts, every variable a documented setting with a
value the settings accept, the API is probed on /ready and /health, every Secret, ConfigMap
and Deployment an object names exists, every process can read the signing key, and every
NATS configuration fsyncs JetStream. (Static checks: CI applies nothing to a cluster.)"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from tracker.cli import build_parser
from tracker.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
OPERATIONS = DEPLOY.parent / "docs" / "operations.md"


def _documented() -> set[str]:
    return set(
        re.findall(r"^\| `(TRACKER_[A-Z_]+)` \|", OPERATIONS.read_text("utf-8"), re.MULTILINE)
    )


def _manifests() -> list[dict[str, Any]]:
    docs = []
    for path in sorted((DEPLOY / "k8s").glob("*.yaml")):
        if path.name == "nats-values.yaml":  # Helm values, not objects
            continue
        docs += [doc for doc in yaml.safe_load_all(path.read_text("utf-8")) if doc]
    return docs


def _named(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in _manifests() if d["kind"] == kind}


def _containers() -> list[dict[str, Any]]:
    return [
        container
        for deployment in _named("Deployment").values()
        for container in deployment["spec"]["template"]["spec"]["containers"]
    ]


def _accepts(args: list[str]) -> None:
    try:
        build_parser().parse_args(args)
    except SystemExit as refused:  # argparse's way of saying no
        pytest.fail(f"the CLI refuses {args}: exit {refused.code}")


def test_every_manifest_is_an_object_with_a_unique_name() -> None:
    docs = _manifests()
    assert len(docs) >= 10
    seen = set()
    for doc in docs:
        assert {"apiVersion", "kind", "metadata"} <= set(doc), doc
        key = (doc["kind"], doc["metadata"]["name"])
        assert key not in seen, key
        seen.add(key)
    assert set(_named("Deployment")) == {
        "tracker-api",
        "tracker-relay",
        "tracker-project",
        "tracker-seal",
    }


def test_every_container_runs_a_command_the_cli_accepts() -> None:
    for container in _containers():
        _accepts(container["args"])
    dockerfile = (DEPLOY / "Dockerfile").read_text("utf-8")
    assert 'ENTRYPOINT ["tracker"]' in dockerfile
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)
    assert cmd is not None
    _accepts(yaml.safe_load(cmd.group(1)))
    unit = (DEPLOY / "tracker.service").read_text("utf-8")
    start = re.search(r"^ExecStart=\S+/tracker (.*)$", unit, re.MULTILINE)
    assert start is not None
    _accepts(shlex.split(start.group(1)))


def test_every_variable_is_a_setting_with_a_value_it_accepts() -> None:
    documented = _documented()
    config = _named("ConfigMap")["tracker-config"]["data"]
    given = dict(config)
    for container in _containers():
        given |= {e["name"]: "postgresql://u@db/tracker" for e in container.get("env", [])}
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))
    given |= compose["x-tracker"]["environment"]
    example = (DEPLOY / "tracker.env.example").read_text("utf-8")
    given |= dict(re.findall(r"^(TRACKER_[A-Z_]+)=(.*)$", example, re.MULTILINE))
    given |= dict(re.findall(r"(TRACKER_[A-Z_]+)=(\S+)", (DEPLOY / "Dockerfile").read_text()))
    unknown = sorted(set(given) - documented)
    assert not unknown, unknown
    settings = Settings.from_env({**config, "TRACKER_DATABASE_URL": "postgresql://u@db/t"})
    assert settings.port == 8000 and settings.cookie_secure and settings.log_format == "json"
    assert not settings.embeds_anything  # production: nothing embedded


def test_the_api_is_probed_served_and_scaled() -> None:
    api = _named("Deployment")["tracker-api"]
    container = api["spec"]["template"]["spec"]["containers"][0]
    assert container["readinessProbe"]["httpGet"]["path"] == "/ready"
    assert container["livenessProbe"]["httpGet"]["path"] == "/health"
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    config = _named("ConfigMap")["tracker-config"]["data"]
    assert ports[container["readinessProbe"]["httpGet"]["port"]] == int(config["TRACKER_PORT"])
    labels = api["spec"]["template"]["metadata"]["labels"]
    service = _named("Service")["tracker-api"]
    assert service["spec"]["selector"].items() <= labels.items()
    hpa = _named("HorizontalPodAutoscaler")["tracker-api"]["spec"]
    assert hpa["scaleTargetRef"]["name"] in _named("Deployment")
    assert hpa["minReplicas"] >= 2
    for deployment in _named("Deployment").values():
        assert deployment["spec"]["replicas"] >= 2, deployment["metadata"]["name"]


def test_every_reference_names_an_object_and_every_process_reads_the_key() -> None:
    secrets, maps = _named("Secret"), _named("ConfigMap")
    key_file = maps["tracker-config"]["data"]["TRACKER_AUDIT_KEY_FILE"]
    for deployment in _named("Deployment").values():
        pod = deployment["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in pod.get("volumes", [])}
        for container in pod["containers"]:
            for source in container.get("envFrom", []):
                assert source["configMapRef"]["name"] in maps
            for entry in container.get("env", []):
                ref = entry["valueFrom"]["secretKeyRef"]
                assert ref["key"] in secrets[ref["name"]]["stringData"], ref
            mounts = container.get("volumeMounts", [])
            key_mounts = [m for m in mounts if key_file.startswith(m["mountPath"] + "/")]
            assert key_mounts, deployment["metadata"]["name"]
            secret = volumes[key_mounts[0]["name"]]["secret"]["secretName"]
            assert Path(key_file).name in secrets[secret]["stringData"]


def test_the_compose_layout_runs_the_same_processes() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text("utf-8"))
    services = compose["services"]
    ours = {name: s for name, s in services.items() if s.get("image", "").startswith("pelacak")}
    processes = {service["command"][0] for service in ours.values()}
    assert processes == {"serve", "relay", "project", "seal"}
    for name, service in ours.items():
        _accepts(service["command"])
        assert set(service["depends_on"]) <= set(services), name
        key = service["environment"]["TRACKER_AUDIT_KEY_FILE"]
        targets = {f"/run/secrets/{s['target']}" for s in service["secrets"]}
        assert key in targets, name
    assert sum(1 for s in ours.values() if s["command"][0] == "serve") >= 2


@pytest.mark.parametrize(
    "path", ["nats-server.conf", "nats-compose.conf", "k8s/nats-values.yaml"], ids=str
)
def test_every_nats_configuration_fsyncs_jetstream(path: str) -> None:
    text = (DEPLOY / path).read_text("utf-8")
    assert re.search(r"^\s*sync_interval: always\s*$", text, re.MULTILINE), path
