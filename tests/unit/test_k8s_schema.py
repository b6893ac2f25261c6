"""deploy/k8s/ against Kubernetes' own API schema, as a validator such as kubeconform would
check it: every object of a known kind is walked through the official client's models
(generated from the Kubernetes OpenAPI document), so a misspelt or misplaced field, a
value of the wrong type, a missing required field or a value outside an enum fails here
instead of at `kubectl apply`. The CloudNativePG `Cluster` is a custom resource whose
schema the client does not carry; test_deploy.py checks what it references."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from kubernetes.client import models

K8S = Path(__file__).resolve().parents[2] / "deploy" / "k8s"
CUSTOM_RESOURCES = {("postgresql.cnpg.io/v1", "Cluster")}
PRIMITIVES: dict[str, tuple[type, ...]] = {
    "str": (str,),
    "int": (int,),
    "float": (int, float),
    "bool": (bool,),
    "object": (object,),
    "datetime": (str, datetime),
    "bytes": (str,),  # base64 in a manifest
}


def _documents() -> list[tuple[str, dict[str, Any]]]:
    found = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "nats-values.yaml":  # Helm chart values, not objects
            continue
        documents = yaml.safe_load_all(path.read_text(encoding="utf-8"))
        found.extend((f"{path.name}:{d['kind']}/{_name(d)}", d) for d in documents if d)
    return found


def _name(document: dict[str, Any]) -> str:
    return str(document.get("metadata", {}).get("name", "?"))


def _model_name(api_version: str, kind: str) -> str:
    """apps/v1 Deployment → V1Deployment; autoscaling/v2 … → V2HorizontalPodAutoscaler."""
    version = api_version.rsplit("/", 1)[-1]
    return version[0].upper() + version[1:] + kind


def build(value: Any, type_name: str, path: str) -> Any:
    """The client's object for `value`, checked on the way; raises with the field's path."""
    listed = re.fullmatch(r"List\[(.+)\]", type_name)
    if listed:
        assert isinstance(value, list), f"{path}: a list expected"
        return [build(item, listed[1], f"{path}[{i}]") for i, item in enumerate(value)]
    mapped = re.fullmatch(r"Dict\[str, (.+)\]", type_name)
    if mapped:
        assert isinstance(value, dict), f"{path}: a mapping expected"
        return {key: build(item, mapped[1], f"{path}.{key}") for key, item in value.items()}
    if type_name in PRIMITIVES:
        ok = isinstance(value, PRIMITIVES[type_name])
        assert ok and not (type_name == "int" and isinstance(value, bool)), (
            f"{path}: {type_name} expected, not {value!r}"
        )
        return value
    model = getattr(models, type_name)
    assert isinstance(value, dict), f"{path}: an object ({type_name}) expected"
    by_json = {json_name: attr for attr, json_name in model.attribute_map.items()}
    unknown = sorted(set(value) - set(by_json))
    assert not unknown, f"{path}: no field {unknown} in {type_name}"
    arguments = {
        by_json[key]: build(item, model.openapi_types[by_json[key]], f"{path}.{key}")
        for key, item in value.items()
    }
    try:
        return model(**arguments)  # the setters check required fields and enums
    except ValueError as error:
        raise AssertionError(f"{path}: {error}") from None


@pytest.mark.parametrize(("where", "document"), _documents(), ids=lambda v: str(v)[:60])
def test_every_object_fits_the_kubernetes_api_schema(where: str, document: dict[str, Any]) -> None:
    key = (document["apiVersion"], document["kind"])
    if key in CUSTOM_RESOURCES:
        assert document["spec"], where
        return
    name = _model_name(*key)
    assert hasattr(models, name), f"{where}: {key} is not a kind the API knows"
    built = build(document, name, where)
    assert built.kind == document["kind"]


def test_the_walk_refuses_what_kubectl_would() -> None:
    """The check itself: a misspelt field, a wrong type and a missing required field."""
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "x"},
        "spec": {
            "selector": {"matchLabels": {"app": "x"}},
            "template": {"spec": {"containers": [{"name": "x", "image": "i"}]}},
        },
    }
    build(deployment, "V1Deployment", "ok")
    misspelt = {**deployment, "spec": {**deployment["spec"], "replica": 2}}
    with pytest.raises(AssertionError, match="no field"):
        build(misspelt, "V1Deployment", "misspelt")
    wrong_type = {**deployment, "spec": {**deployment["spec"], "replicas": "two"}}
    with pytest.raises(AssertionError, match="int expected"):
        build(wrong_type, "V1Deployment", "wrong type")
    no_selector = {**deployment, "spec": {"template": deployment["spec"]["template"]}}
    with pytest.raises(AssertionError, match="selector"):
        build(no_selector, "V1Deployment", "no selector")
