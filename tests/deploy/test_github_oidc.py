"""deploy/github-oidc.yaml: lint-clean, trusts one repository's refs only, least privilege."""

from typing import Any

from cfnlint.decode import decode

from tests.deploy.boto_calls import ROOT

OIDC = ROOT / "deploy" / "github-oidc.yaml"


def oidc() -> dict[str, Any]:
    loaded, errors = decode(str(OIDC))
    assert not errors and loaded is not None, errors
    return dict(loaded)


def role() -> dict[str, Any]:
    return dict(oidc()["Resources"]["DeployRole"]["Properties"])


def statements() -> list[dict[str, Any]]:
    return [s for policy in role()["Policies"] for s in policy["PolicyDocument"]["Statement"]]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_cfn_lint_finds_nothing_in_the_oidc_template() -> None:
    from cfnlint.api import ManualArgs, lint_file

    assert [str(match) for match in lint_file(OIDC, config=ManualArgs())] == []


def test_it_creates_githubs_provider_for_sts_unless_one_is_given() -> None:
    provider = oidc()["Resources"]["GitHubOidcProvider"]
    assert provider["Condition"] == "CreateProvider"
    assert provider["Properties"]["Url"] == "https://token.actions.githubusercontent.com"
    assert provider["Properties"]["ClientIdList"] == ["sts.amazonaws.com"]
    assert oidc()["Conditions"]["CreateProvider"] == {
        "Fn::Equals": [{"Ref": "ExistingOidcProviderArn"}, ""]
    }


def test_the_role_trusts_only_main_tags_pull_requests_and_production_of_one_repo() -> None:
    (trust,) = role()["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    condition = trust["Condition"]
    assert condition["StringEquals"] == {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com"
    }
    subs = [
        s["Fn::Sub"] for s in condition["StringLike"]["token.actions.githubusercontent.com:sub"]
    ]
    repo = "repo:${GitHubOrg}/${GitHubRepo}:"
    assert subs == [
        repo + "ref:refs/heads/main",
        repo + "ref:refs/tags/v*",
        repo + "pull_request",
        repo + "environment:production",
    ]


def test_no_statement_allows_every_action_or_a_wildcard_action_on_every_resource() -> None:
    for statement in statements():
        actions = as_list(statement["Action"])
        assert "*" not in actions, statement["Sid"]
        if statement["Resource"] == "*":
            assert not any(a.endswith(":*") for a in actions), statement["Sid"]


def test_roles_are_managed_and_passed_only_by_the_stacks_name_prefix() -> None:
    for statement in statements():
        if any(a.startswith("iam:") for a in as_list(statement["Action"])):
            assert statement["Resource"] == {
                "Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/sharebox-*"
            }
    (passing,) = [s for s in statements() if s["Action"] == "iam:PassRole"]
    assert "iam:PassedToService" in passing["Condition"]["StringEquals"]


def test_cloudformation_is_limited_to_sharebox_stacks_and_the_sam_artifacts_stack() -> None:
    (stacks,) = [s for s in statements() if s["Sid"] == "SharedboxStacks"]
    patterns = [
        r["Fn::Sub"].split(":stack/")[-1] for r in stacks["Resource"] if ":stack/" in r["Fn::Sub"]
    ]
    assert patterns == ["sharebox-*/*", "aws-sam-cli-managed-default/*"]


def test_it_outputs_the_role_arn_the_repository_variable_takes() -> None:
    assert oidc()["Outputs"]["DeployRoleArn"]["Value"] == {"Fn::GetAtt": ["DeployRole", "Arn"]}


def test_the_deploy_role_cannot_edit_itself() -> None:
    name = role()["RoleName"]["Fn::Sub"]
    assert not name.startswith("sharebox-")  # the prefix of the roles it manages


def test_the_readme_deploys_this_template_with_its_parameters() -> None:
    readme = " ".join((ROOT / "README.md").read_text().replace("\\\n", " ").split())
    command = readme.split("aws cloudformation deploy --template-file deploy/github-oidc.yaml")[1]
    command = command.split("```")[0]
    assert "--capabilities CAPABILITY_NAMED_IAM" in command  # the role has a name
    for parameter in ("GitHubOrg", "GitHubRepo"):
        assert f"{parameter}=" in command and parameter in oidc()["Parameters"]
