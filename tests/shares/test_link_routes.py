"""Public links through the API: create, info, passwords, limits, expiry, revocation."""

import re
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from fastapi.testclient import TestClient

from app.clock import iso
from app.shares import throttle
from app.shares.schemas import LinkCreate
from tests.conftest import ApiUser
from tests.shares.conftest import FakeClock, Upload, assert_link_not_found, store_password_link


def make_link(client: TestClient, owner: ApiUser, file_id: str, **body: Any) -> dict[str, Any]:
    response = client.post(
        f"/files/{file_id}/links", json={"expiresIn": 3600, **body}, headers=owner.headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_link_is_created_with_an_unguessable_token_and_its_page_url(
    client: TestClient, upload: Upload, owner: ApiUser, fixed_clock: FakeClock
) -> None:
    file = upload(owner)
    link = make_link(client, owner, file["fileId"], maxDownloads=3)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", link["token"])  # 24 random bytes
    assert link["url"] == f"http://testserver/s/{link['token']}"
    assert link["maxDownloads"] == 3 and link["downloads"] == 0
    assert link["passwordProtected"] is False
    expires_at = datetime.fromisoformat(link["expiresAt"].replace("Z", "+00:00"))
    assert abs((expires_at - fixed_clock.now).total_seconds() - 3600) < 1
    listed = client.get(f"/files/{file['fileId']}/links", headers=owner.headers)
    assert listed.status_code == 200 and listed.json() == {"items": [link], "nextCursor": None}


def test_public_base_url_names_the_link_page(
    client: TestClient, upload: Upload, owner: ApiUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.settings import get_settings

    file = upload(owner)
    monkeypatch.setattr(get_settings(), "public_base_url", "https://share.example.com/")
    link = make_link(client, owner, file["fileId"])
    assert link["url"] == f"https://share.example.com/s/{link['token']}"


def test_link_info_and_download_work_without_signing_in(
    client: TestClient, upload: Upload, owner: ApiUser
) -> None:
    file = upload(owner, name="Q3 report.pdf")
    link = make_link(client, owner, file["fileId"])
    info = client.get(f"/links/{link['token']}")
    assert info.status_code == 200
    assert info.json() == {
        "type": "file",
        "fileName": "Q3 report.pdf",
        "contentType": "application/pdf",
        "size": file["size"],
        "expiresAt": link["expiresAt"],
        "passwordProtected": False,
    }
    download = client.post(f"/links/{link['token']}/download")
    assert download.status_code == 200
    assert download.json()["expiresIn"] <= 60
    assert download.json()["fileName"] == "Q3 report.pdf"
    query = parse_qs(urlparse(download.json()["downloadUrl"]).query)
    assert int(query["X-Amz-Expires"][0]) <= 60
    assert "attachment" in query["response-content-disposition"][0]
    listed = client.get(f"/files/{file['fileId']}/links", headers=owner.headers).json()
    assert listed["items"][0]["downloads"] == 1


def test_a_password_link_refuses_wrong_and_missing_passwords(
    client: TestClient, upload: Upload, owner: ApiUser
) -> None:
    file = upload(owner)
    link = make_link(client, owner, file["fileId"], password="s3cret pass", maxDownloads=1)
    assert link["passwordProtected"] is True
    assert "password" not in link
    for body in ({"password": "wrong pass"}, {}, None):
        refused = client.post(f"/links/{link['token']}/download", json=body)
        assert refused.status_code == 401
        assert refused.json()["code"] == "invalid_password"
        assert "www-authenticate" not in refused.headers
    ok = client.post(f"/links/{link['token']}/download", json={"password": "s3cret pass"})
    assert ok.status_code == 200
    assert_link_not_found(
        client.post(f"/links/{link['token']}/download", json={"password": "s3cret pass"})
    )


def test_a_password_link_tells_nothing_of_the_file_until_the_right_password(
    client: TestClient, upload: Upload, owner: ApiUser, fixed_clock: FakeClock
) -> None:
    file = upload(owner, name="Salaries 2026.pdf")
    link = store_password_link(file, "s3cret pass", fixed_clock())
    info = client.get(f"/links/{link.token}")
    assert info.status_code == 200
    assert info.json() == {
        "type": "file",
        "expiresAt": iso(link.expires_at),
        "passwordProtected": True,
    }
    refused = client.post(f"/links/{link.token}/download", json={"password": "wrong pass"})
    assert refused.status_code == 401 and "Salaries" not in refused.text
    ok = client.post(f"/links/{link.token}/download", json={"password": "s3cret pass"})
    assert ok.status_code == 200
    assert {key: ok.json()[key] for key in ("fileName", "contentType", "size")} == {
        "fileName": "Salaries 2026.pdf",
        "contentType": "application/pdf",
        "size": file["size"],
    }
    assert ok.json()["downloadUrl"].startswith("http")


def test_repeated_wrong_passwords_answer_429_even_for_the_right_one(
    client: TestClient, upload: Upload, owner: ApiUser, fixed_clock: FakeClock
) -> None:
    file = upload(owner)
    link = store_password_link(file, "the right one", fixed_clock())
    path = f"/links/{link.token}/download"
    for _ in range(throttle.MAX_PER_LINK):
        assert client.post(path, json={"password": "guess"}).status_code == 401
    slowed = client.post(path, json={"password": "the right one"})
    assert slowed.status_code == 429
    assert slowed.json()["code"] == "too_many_attempts"
    assert slowed.headers["content-type"] == "application/problem+json"
    assert 1 <= int(slowed.headers["retry-after"]) <= throttle.WINDOW_SECONDS
    fixed_clock.advance(throttle.WINDOW_SECONDS)
    assert client.post(path, json={"password": "the right one"}).status_code == 200


def test_the_download_limit_holds(client: TestClient, upload: Upload, owner: ApiUser) -> None:
    file = upload(owner)
    link = make_link(client, owner, file["fileId"], maxDownloads=2)
    path = f"/links/{link['token']}/download"
    assert [client.post(path).status_code for _ in range(2)] == [200, 200]
    assert_link_not_found(client.post(path))
    assert_link_not_found(client.get(f"/links/{link['token']}"))
    listed = client.get(f"/files/{file['fileId']}/links", headers=owner.headers).json()
    assert listed["items"][0]["downloads"] == 2


def test_a_link_stops_working_when_it_expires(
    client: TestClient, upload: Upload, owner: ApiUser, fixed_clock: FakeClock
) -> None:
    file = upload(owner)
    link = make_link(client, owner, file["fileId"], expiresIn=60)
    fixed_clock.advance(59)
    assert client.get(f"/links/{link['token']}").status_code == 200
    fixed_clock.advance(1)
    assert_link_not_found(client.get(f"/links/{link['token']}"))
    assert_link_not_found(client.post(f"/links/{link['token']}/download"))


def test_a_revoked_link_is_gone_at_once(client: TestClient, upload: Upload, owner: ApiUser) -> None:
    file = upload(owner)
    link = make_link(client, owner, file["fileId"])
    revoked = client.delete(f"/files/{file['fileId']}/links/{link['token']}", headers=owner.headers)
    assert revoked.status_code == 204
    assert_link_not_found(client.get(f"/links/{link['token']}"))
    assert_link_not_found(client.post(f"/links/{link['token']}/download"))
    assert client.get(f"/files/{file['fileId']}/links", headers=owner.headers).json() == {
        "items": [],
        "nextCursor": None,
    }
    for token in (link["token"], "x" * 3000):
        again = client.delete(f"/files/{file['fileId']}/links/{token}", headers=owner.headers)
        assert again.status_code == 204


def test_a_token_that_never_existed_looks_like_any_dead_link(client: TestClient) -> None:
    assert_link_not_found(client.get("/links/not-a-real-token"))
    assert_link_not_found(client.get("/links/" + "x" * 3000))
    assert_link_not_found(client.post("/links/not-a-real-token/download", json={"password": "x"}))


def test_a_link_of_a_deleted_file_is_link_not_found(
    client: TestClient, upload: Upload, owner: ApiUser
) -> None:
    file = upload(owner)
    link = make_link(client, owner, file["fileId"])
    assert client.delete(f"/files/{file['fileId']}", headers=owner.headers).status_code == 204
    assert_link_not_found(client.get(f"/links/{link['token']}"))


@pytest.mark.parametrize(
    "body",
    [
        {"expiresIn": 59},
        {"expiresIn": 604801},
        {"expiresIn": "3600"},
        {},
        {"expiresIn": 3600, "maxDownloads": 0},
        {"expiresIn": 3600, "password": ""},
        {"expiresIn": 3600, "password": "x" * 7},
        {"expiresIn": 3600, "password": "x" * 129},
    ],
)
def test_link_settings_out_of_range_are_422(
    client: TestClient, upload: Upload, owner: ApiUser, body: dict[str, Any]
) -> None:
    file = upload(owner)
    response = client.post(f"/files/{file['fileId']}/links", json=body, headers=owner.headers)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize("chars", [8, 128])
def test_link_passwords_of_8_to_128_characters_are_accepted(chars: int) -> None:
    body = LinkCreate.model_validate({"expiresIn": 60, "password": "x" * chars})
    assert body.password == "x" * chars


def test_a_pending_file_cannot_get_a_link(client: TestClient, owner: ApiUser) -> None:
    body = {"fileName": "later.txt", "contentType": "text/plain", "size": 3}
    pending = client.post("/files/upload-url", json=body, headers=owner.headers).json()
    response = client.post(
        f"/files/{pending['fileId']}/links", json={"expiresIn": 600}, headers=owner.headers
    )
    assert response.status_code == 409
    assert response.json()["code"] == "file_not_available"


def test_the_openapi_schema_tells_what_a_password_link_leaves_out(client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    info = schemas["LinkInfo"]
    assert set(info["properties"]) == {
        "type",
        "name",
        "fileName",
        "contentType",
        "size",
        "expiresAt",
        "passwordProtected",
    }
    assert set(info["required"]) == {"expiresAt", "passwordProtected"}
    assert {"fileName", "contentType", "size"} <= set(schemas["LinkDownloadUrl"]["required"])
