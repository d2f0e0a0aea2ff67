"""The user pool's PostConfirmation trigger and email rules are wired as the code expects."""

from typing import Any

from tests.deploy.template import functions, template


def resource(name: str) -> dict[str, Any]:
    properties: dict[str, Any] = template()["Resources"][name]["Properties"]
    return properties


def _names_referenced(value: Any) -> set[str]:
    """Every resource a Ref, GetAtt or ${...} in `value` names."""
    if isinstance(value, dict):
        found: set[str] = set()
        for key, inner in value.items():
            if key == "Ref" and isinstance(inner, str):
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0] if isinstance(inner, list) else str(inner).split(".")[0])
            elif key == "Fn::Sub":
                text = inner if isinstance(inner, str) else inner[0]
                found |= {part.split("}")[0].split(".")[0] for part in text.split("${")[1:]}
                found |= _names_referenced(inner)
            else:
                found |= _names_referenced(inner)
        return found
    if isinstance(value, list):
        return {name for item in value for name in _names_referenced(item)}
    return set()


def test_the_pool_runs_the_trigger_after_each_confirmation() -> None:
    pool = resource("UserPool")
    assert pool["LambdaConfig"] == {
        "PostConfirmation": {"Fn::GetAtt": ["PostConfirmationFunction", "Arn"]}
    }
    assert functions()["PostConfirmationFunction"]["Handler"] == "app.users.triggers.handler"
    assert functions()["PostConfirmationFunction"]["Timeout"] <= 5  # Cognito's trigger limit


def test_a_changed_email_counts_only_once_it_is_verified() -> None:
    pool = resource("UserPool")
    assert pool["UserAttributeUpdateSettings"] == {
        "AttributesRequireVerificationBeforeUpdate": ["email"]
    }
    assert pool["AutoVerifiedAttributes"] == ["email"]


def test_only_this_pool_may_invoke_the_trigger() -> None:
    permission = resource("PostConfirmationPermission")
    assert permission["Action"] == "lambda:InvokeFunction"
    assert permission["Principal"] == "cognito-idp.amazonaws.com"
    assert permission["FunctionName"] == {"Fn::GetAtt": ["PostConfirmationFunction", "Arn"]}
    assert permission["SourceArn"] == {"Fn::GetAtt": ["UserPool", "Arn"]}
    assert permission["SourceAccount"] == {"Ref": "AWS::AccountId"}


def test_the_trigger_never_references_the_pool_that_names_it() -> None:
    """A reference back (its environment, its role) would be a circular dependency."""
    trigger = functions()["PostConfirmationFunction"]
    role = template()["Resources"]["PostConfirmationFunctionRole"]
    referenced = _names_referenced(trigger) | _names_referenced(role)
    assert not referenced & {"UserPool", "UserPoolClient", "AdminsGroup"}, referenced
    assert referenced >= {"Table", "PostConfirmationFunctionLogs"}
