"""ci.yml runs what .ci/run runs; the workflows hold the security properties they promise."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.boto_calls import ROOT
from tests.deploy.workflows import (
    DEPLOY_ACTION,
    WORKFLOWS,
    all_jobs,
    load,
    runs,
    talks_to_aws,
    uses,
    workflow,
)

CI_RUN = ROOT / ".ci" / "run"


def ci_run_checks() -> list[str]:
    """The `make X` and cfn-lint commands of .ci/run, in order."""
    lines = [line.strip() for line in CI_RUN.read_text().splitlines()]
    return [line for line in lines if re.match(r"(make \w+|\.venv/bin/cfn-lint )", line)]


def ci_checks() -> list[str]:
    return runs(workflow("ci.yml")["jobs"]["checks"])


def test_ci_run_has_the_checks_this_test_reads() -> None:
    assert {"make lint", "make test", ".venv/bin/cfn-lint template.yaml"} <= set(ci_run_checks())


def test_ci_yml_runs_every_check_of_ci_run_in_the_same_order() -> None:
    ours = [command for command in ci_checks() if command in ci_run_checks()]
    assert ours == ci_run_checks()


def test_ci_yml_runs_no_make_target_or_cfn_lint_that_ci_run_does_not() -> None:
    extra = {
        command
        for command in ci_checks()
        if re.match(r"(make \w+|\.venv/bin/cfn-lint )", command) and command != "make install"
    }
    assert extra <= set(ci_run_checks())


def test_ci_yml_validates_the_sam_template_and_installs_chromium_with_its_libraries() -> None:
    assert any(command.startswith("sam validate --lint") for command in ci_checks())
    assert any("playwright install --with-deps chromium" in c for c in ci_checks())
    assert "aws-actions/setup-sam" in uses(workflow("ci.yml")["jobs"]["checks"])


def test_ci_yml_caches_pip_on_pyproject_and_playwrights_browsers() -> None:
    by_action = {
        s["uses"].split("@")[0]: s
        for s in workflow("ci.yml")["jobs"]["checks"]["steps"]
        if "uses" in s
    }
    python = by_action["actions/setup-python"]["with"]
    assert (python["cache"], python["cache-dependency-path"]) == ("pip", "pyproject.toml")
    assert by_action["actions/cache"]["with"]["path"] == "~/.cache/ms-playwright"


def test_ci_installs_actionlint_which_make_lint_runs() -> None:
    assert "workflows" in workflow("ci.yml")["env"]["EXTRAS"].split(",")
    lint = re.search(r"^lint:.*?(?=^\S)", (ROOT / "Makefile").read_text(), re.M | re.S)
    assert lint is not None and "actionlint" in lint.group()


def test_pushes_to_main_and_tags_deploy_only_after_the_checks() -> None:
    jobs = workflow("deploy.yml")["jobs"]
    assert jobs["checks"]["uses"] == "./.github/workflows/ci.yml"
    assert "workflow_call" in workflow("ci.yml")["on"]
    assert jobs["staging"]["needs"] == jobs["production"]["needs"] == "checks"


def test_prod_deploys_only_from_tags_behind_the_production_environment() -> None:
    production = workflow("deploy.yml")["jobs"]["production"]
    assert production["if"] == "startsWith(github.ref, 'refs/tags/v')"
    assert production["environment"]["name"] == "production"
    stage = [s["with"] for s in production["steps"] if "deploy-stack" in s.get("uses", "")]
    assert stage == [{**stage[0], "stack-name": "sharebox-prod", "stage": "prod"}]


def test_every_workflow_grants_nothing_by_default_beyond_reading_the_code() -> None:
    for path in WORKFLOWS.glob("*.yml"):
        assert load(path)["permissions"] in ({}, {"contents": "read"}), path.name


def test_every_job_states_its_permissions_and_only_aws_jobs_get_an_id_token() -> None:
    for name, job in all_jobs().items():
        permissions = job["permissions"]
        assert permissions.get("id-token") == ("write" if talks_to_aws(job) else None), name
        allowed = {"contents": "read", "id-token": "write", "pull-requests": "write"}
        assert all(allowed.get(k) == v for k, v in permissions.items()), name


def test_only_the_preview_job_may_comment_on_pull_requests() -> None:
    writers = {n for n, job in all_jobs().items() if "pull-requests" in job["permissions"]}
    assert writers == {"deploy.yml:preview"}


def test_no_workflow_runs_pull_request_target_or_keeps_checkout_credentials() -> None:
    for name, job in all_jobs().items():
        for step in job.get("steps", []):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False, name
    for path in WORKFLOWS.glob("*.yml"):
        assert "pull_request_target" not in load(path)["on"], path.name
        assert "pull_request_target" not in path.read_text(), path.name


def test_aws_credentials_come_only_from_oidc_never_from_secrets() -> None:
    texts = [p.read_text() for p in [*WORKFLOWS.glob("*.yml"), DEPLOY_ACTION]]
    for text in texts:
        assert not re.search(r"aws-access-key-id|aws-secret-access-key|AWS_SECRET", text, re.I)
        assert "secrets." not in text
    assert "role-to-assume: ${{ inputs.role-to-assume }}" in DEPLOY_ACTION.read_text()
    assert "${{ vars.AWS_DEPLOY_ROLE_ARN }}" in texts[0] + texts[1]


def test_previews_skip_forks_which_get_no_id_token() -> None:
    jobs = workflow("deploy.yml")["jobs"]
    for name in ("preview", "preview-cleanup"):
        condition = " ".join(jobs[name]["if"].split())
        assert "github.event.pull_request.head.repo.full_name == github.repository" in condition


def test_a_pull_requests_preview_runs_one_at_a_time_and_its_cleanup_waits_for_it() -> None:
    jobs = workflow("deploy.yml")["jobs"]
    groups = {jobs[n]["concurrency"]["group"] for n in ("preview", "preview-cleanup")}
    assert groups == {"preview-${{ github.event.pull_request.number }}"}
    assert jobs["preview"]["concurrency"]["cancel-in-progress"] is False


def test_closing_a_pull_request_deletes_its_preview_with_its_bucket_and_table() -> None:
    cleanup = workflow("deploy.yml")["jobs"]["preview-cleanup"]
    assert "github.event.action == 'closed'" in cleanup["if"]
    assert any("deploy/delete_preview.py" in command for command in runs(cleanup))
    assert (
        cleanup["steps"][-1]["env"]["STACK"]
        == "sharebox-pr-${{ github.event.pull_request.number }}"
    )


def test_the_deploy_action_smoke_tests_the_stack_it_deployed() -> None:
    action_runs = runs(load(DEPLOY_ACTION)["runs"])
    assert any(c.startswith('sam deploy --stack-name "$STACK"') for c in action_runs)
    assert any('python deploy/smoke.py "$API_URL"' in c for c in action_runs)


ACTIONLINT = Path(sys.executable).parent / "actionlint"


@pytest.mark.skipif(
    not ACTIONLINT.exists() and not shutil.which("actionlint"),
    reason="actionlint not installed (make install EXTRAS=local,dev,workflows)",
)
def test_actionlint_finds_nothing_in_the_workflows() -> None:
    binary = str(ACTIONLINT) if ACTIONLINT.exists() else "actionlint"
    result = subprocess.run([binary, "-color=false"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_preview_stacks_of_two_pull_requests_do_not_share_a_bucket_name() -> None:
    from tests.deploy.template import resources

    (bucket,) = resources("AWS::S3::Bucket").values()
    assert "${AWS::StackName}" in bucket["Properties"]["BucketName"]["Fn::Sub"]
