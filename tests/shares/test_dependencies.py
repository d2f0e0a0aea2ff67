"""The request facts sharing records: the client's IP and the base URL of link pages."""

from typing import Any

import pytest
from starlette.requests import Request

from app.request_facts import client_ip, public_base_url
from app.settings import get_settings


def request(**scope: Any) -> Request:
    base = {"type": "http", "headers": [(b"host", b"api.example.com")], "scheme": "https"}
    return Request(base | {"server": ("api.example.com", 443), "path": "/x"} | scope)


def test_the_ip_is_api_gateways_source_ip_on_lambda() -> None:
    v2 = {"requestContext": {"http": {"sourceIp": "198.51.100.7"}}}
    v1 = {"requestContext": {"identity": {"sourceIp": "198.51.100.8"}}}
    assert client_ip(request(**{"aws.event": v2, "client": ("10.0.0.1", 1)})) == "198.51.100.7"
    assert client_ip(request(**{"aws.event": v1, "client": ("10.0.0.1", 1)})) == "198.51.100.8"


def test_the_ip_is_the_peer_elsewhere() -> None:
    assert client_ip(request(client=("203.0.113.5", 1234))) == "203.0.113.5"
    assert client_ip(request()) is None


def test_link_pages_live_under_the_stage_prefix_the_request_came_in_on(
    aws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "public_base_url", None)
    assert public_base_url(request(root_path="/prod")) == "https://api.example.com/prod"
    assert public_base_url(request()) == "https://api.example.com"


def test_public_base_url_wins_when_set(aws: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "public_base_url", "https://share.example.com/")
    assert public_base_url(request(root_path="/prod")) == "https://share.example.com"
