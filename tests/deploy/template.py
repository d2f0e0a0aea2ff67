"""template.yaml as plain data (intrinsics as {"Ref": ...}, {"Fn::Sub": ...})."""

from functools import cache
from typing import Any

from cfnlint.decode import decode

from tests.deploy.boto_calls import ROOT

TEMPLATE = ROOT / "template.yaml"


@cache
def template() -> dict[str, Any]:
    loaded, errors = decode(str(TEMPLATE))
    assert not errors, errors
    assert loaded is not None
    return dict(loaded)


def resources(kind: str) -> dict[str, dict[str, Any]]:
    return {
        name: resource
        for name, resource in template()["Resources"].items()
        if resource["Type"] == kind
    }


def functions() -> dict[str, dict[str, Any]]:
    """Each AWS::Serverless::Function's properties, with Globals.Function merged in."""
    globals_ = template().get("Globals", {}).get("Function", {})
    merged = {}
    for name, resource in resources("AWS::Serverless::Function").items():
        props = dict(resource["Properties"])
        for key, value in globals_.items():
            if key == "Environment":
                variables = {**value.get("Variables", {})}
                variables.update(props.get("Environment", {}).get("Variables", {}))
                props["Environment"] = {"Variables": variables}
            else:
                props.setdefault(key, value)
        merged[name] = props
    return merged


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
