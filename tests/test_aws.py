"""The shared botocore session: its loader finds models without listing every service."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from botocore.exceptions import UnknownServiceError
from botocore.loaders import Loader

from app import aws


@pytest.fixture
def fresh_session(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    aws._session.cache_clear()
    aws.client.cache_clear()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    yield
    aws._session.cache_clear()
    aws.client.cache_clear()


def _no_listing(self: Loader, type_name: str) -> list[str]:
    raise AssertionError(f"listed every service to load a {type_name} model")


def test_the_apps_clients_load_their_models_without_listing_every_service(
    fresh_session: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Loader, "list_available_services", _no_listing)
    for service, operation in (
        ("dynamodb", "Query"),
        ("s3", "HeadObject"),
        ("cognito-idp", "InitiateAuth"),
        ("sqs", "ReceiveMessage"),
    ):
        model = aws._session().client(service, region_name="us-east-1").meta.service_model
        assert operation in model.operation_names, service


@pytest.mark.parametrize(
    ("service", "type_name"),
    [
        ("dynamodb", "service-2"),
        ("dynamodb", "endpoint-rule-set-1"),
        ("s3", "service-2"),
        ("ec2", "paginators-1"),  # has sdk-extras: botocore's private extras step is used
    ],
)
def test_the_direct_loader_loads_what_botocores_own_loader_loads(
    service: str, type_name: str
) -> None:
    # Fails if botocore's load_service_model, _find_extras or _extras_processor change.
    ours = aws._DirectLoader().load_service_model(service, type_name)
    assert ours == Loader().load_service_model(service, type_name)


def test_botocore_still_lists_every_service_to_load_a_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # When this fails, botocore loads models without listing (boto/botocore PR #3687, or a
    # later change): delete app.aws._DirectLoader and these tests, and re-run make bench.
    monkeypatch.setattr(Loader, "list_available_services", _no_listing)
    with pytest.raises(AssertionError, match="listed every service"):
        Loader().load_service_model("dynamodb", "service-2")


def test_an_unknown_service_is_still_botocores_error(fresh_session: None) -> None:
    with pytest.raises(UnknownServiceError, match="dynamodb"):  # the message lists known ones
        aws._session().client("dynamo-db", region_name="us-east-1")


def test_aws_data_path_still_adds_model_directories(
    fresh_session: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("AWS_DATA_PATH", str(tmp_path))
    loader = aws._session()._loader
    assert str(tmp_path) in loader.search_paths
