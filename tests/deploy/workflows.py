"""The GitHub workflows and the local deploy action, as plain data."""

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.boto_calls import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
DEPLOY_ACTION = ROOT / ".github" / "actions" / "deploy-stack" / "action.yml"


@cache
def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    if True in data:  # YAML 1.1 reads the key `on` as a boolean
        data["on"] = data.pop(True)
    return dict(data)


def workflow(name: str) -> dict[str, Any]:
    return load(WORKFLOWS / name)


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return list(job.get("steps", []))


def runs(job: dict[str, Any]) -> list[str]:
    """Each `run:` of the job, whitespace-normalised (folded commands on one line)."""
    return [" ".join(step["run"].split()) for step in steps(job) if "run" in step]


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in steps(job) if "uses" in step]


def all_jobs() -> dict[str, dict[str, Any]]:
    return {
        f"{path.name}:{name}": job
        for path in sorted(WORKFLOWS.glob("*.yml"))
        for name, job in load(path)["jobs"].items()
    }


def talks_to_aws(job: dict[str, Any]) -> bool:
    """Whether the job gets AWS credentials, itself or through the local deploy action."""
    used = uses(job)
    return (
        "aws-actions/configure-aws-credentials" in used or "./.github/actions/deploy-stack" in used
    )
