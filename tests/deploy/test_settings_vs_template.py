"""The environment the template gives the functions is exactly what app/settings.py reads."""

from typing import Any

import pytest

from app.settings import Settings
from tests.deploy.template import functions

# Read by the code but deliberately never set by the template, and why.
NOT_SET_ON_AWS = {
    "AWS_REGION": "Lambda sets it (a reserved variable the template may not set)",
    "AWS_ENDPOINT_URL": "only for emulators; on AWS the SDK finds the real endpoints",
    "CORS_ORIGINS": "the HTTP API's CorsConfiguration answers CORS on AWS (and ignores the "
    "function's CORS headers)",
}
READ_BY_CODE = {field.alias or name.upper() for name, field in Settings.model_fields.items()}


@pytest.fixture(params=sorted(functions()))
def environment(request: pytest.FixtureRequest) -> dict[str, Any]:
    variables: dict[str, Any] = functions()[request.param]["Environment"]["Variables"]
    return variables


def test_every_setting_that_matters_on_aws_is_set(environment: dict[str, Any]) -> None:
    missing = READ_BY_CODE - set(NOT_SET_ON_AWS) - set(environment)
    assert not missing, f"settings the template does not set: {sorted(missing)}"


def test_every_variable_the_template_sets_is_read_by_the_settings(
    environment: dict[str, Any],
) -> None:
    unread = set(environment) - READ_BY_CODE
    assert not unread, f"variables nothing reads: {sorted(unread)}"


def test_emulator_and_reserved_variables_are_never_set(environment: dict[str, Any]) -> None:
    assert not set(NOT_SET_ON_AWS) & set(environment)
    assert NOT_SET_ON_AWS.keys() <= READ_BY_CODE  # the exemptions are still real settings


def test_local_mode_is_off_on_aws(
    environment: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LOCAL_MODE", environment["LOCAL_MODE"])
    assert Settings().local_mode is False


def test_the_cursor_secret_is_generated_per_stack_not_written_in_the_template(
    environment: dict[str, Any],
) -> None:
    value = environment["CURSOR_SECRET"]
    assert isinstance(value, dict) and "Fn::Sub" in value, value
    assert str(value["Fn::Sub"]).startswith("{{resolve:secretsmanager:${CursorSecret}")


def test_only_the_api_holds_the_key_that_seals_totp_secrets() -> None:
    """Generated per stack and resolved at deploy time, as the cursor secret; the other
    functions never read a TOTP secret, so they get none."""
    for name, props in functions().items():
        value = props["Environment"]["Variables"]["MFA_SECRET_KEY"]
        if name == "ApiFunction":
            assert isinstance(value, dict) and "Fn::Sub" in value, value
            assert str(value["Fn::Sub"]).startswith("{{resolve:secretsmanager:${MfaSecretKey}")
        else:
            assert value == "", name
