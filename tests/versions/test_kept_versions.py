"""Kept versions through the API: listing, downloads, restore, delete, the 20-version cap."""

from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from app.files import repository, service, version_items, versions
from app.files.schemas import VersionCreate
from tests.conftest import ApiUser
from tests.versions.conftest import (
    NewVersion,
    PutFile,
    land,
    read_version,
    stored_versions,
    usage,
    versions_of,
)


def _signed(url: str) -> dict[str, str]:
    return {name: values[0] for name, values in parse_qs(urlsplit(url).query).items()}


def test_versions_are_listed_newest_first_with_the_current_one_marked(
    client: TestClient, owner: ApiUser, put_file: PutFile, new_version: NewVersion
) -> None:
    file = put_file(owner, b"one")
    new_version(owner, file["fileId"], b"two!")
    latest = new_version(owner, file["fileId"], b"three")

    listed = versions_of(client, owner, file["fileId"])

    assert [v["size"] for v in listed] == [5, 4, 3]
    assert [v["current"] for v in listed] == [True, False, False]
    assert [v["uploadedAt"] for v in listed] == sorted(
        (v["uploadedAt"] for v in listed), reverse=True
    )
    assert listed[0]["uploadedAt"] == latest["uploadedAt"] and latest["versionCount"] == 3
    assert set(listed[0]) == {
        "versionId",
        "size",
        "contentType",
        "uploadedAt",
        "current",
        "sha256",
    }


def test_an_old_versions_download_url_signs_that_version_with_the_passive_type_rule(
    client: TestClient, owner: ApiUser, put_file: PutFile, new_version: NewVersion
) -> None:
    file = put_file(owner, b"<html>", "text/html")
    new_version(owner, file["fileId"], b"plain text", "text/plain")
    old = versions_of(client, owner, file["fileId"])[1]

    response = client.get(
        f"/files/{file['fileId']}/versions/{old['versionId']}/download-url",
        params={"disposition": "inline"},
        headers=owner.headers,
    )

    assert response.status_code == 200, response.text
    signed = _signed(response.json()["downloadUrl"])
    assert signed["versionId"] == old["versionId"]
    assert signed["response-content-type"] == "application/octet-stream"
    assert signed["response-content-disposition"].startswith("attachment;")
    assert response.json()["expiresIn"] > 0


def test_the_current_versions_download_url_is_the_files(
    client: TestClient, owner: ApiUser, put_file: PutFile, new_version: NewVersion
) -> None:
    file = put_file(owner)
    new_version(owner, file["fileId"], b"text!!", "text/plain")
    current = versions_of(client, owner, file["fileId"])[0]
    response = client.get(
        f"/files/{file['fileId']}/versions/{current['versionId']}/download-url",
        params={"disposition": "inline"},
        headers=owner.headers,
    )
    signed = _signed(response.json()["downloadUrl"])
    assert signed["versionId"] == current["versionId"]
    assert signed["response-content-disposition"].startswith("inline;")


def test_an_unknown_version_is_404_version_not_found(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner)
    base = f"/files/{file['fileId']}/versions/no-such-version"
    for method, path in [
        ("GET", f"{base}/download-url"),
        ("POST", f"{base}/restore"),
        ("DELETE", base),
    ]:
        response = client.request(method, path, headers=owner.headers)
        assert response.status_code == 404, (method, response.text)
        assert response.json()["code"] == "version_not_found"
        assert response.headers["content-type"] == "application/problem+json"


def test_restore_makes_a_copy_current_and_keeps_the_version_it_replaces(
    client: TestClient, owner: ApiUser, put_file: PutFile, new_version: NewVersion
) -> None:
    file = put_file(owner, b"first", "text/plain")
    new_version(owner, file["fileId"], b"second!", "text/markdown")
    first, _ = reversed(versions_of(client, owner, file["fileId"]))

    response = client.post(
        f"/files/{file['fileId']}/versions/{first['versionId']}/restore", headers=owner.headers
    )

    assert response.status_code == 200, response.text
    restored = response.json()
    assert (restored["size"], restored["contentType"], restored["versionCount"]) == (
        5,
        "text/plain",
        3,
    )
    listed = versions_of(client, owner, file["fileId"])
    assert [(v["size"], v["current"]) for v in listed] == [(5, True), (7, False), (5, False)]
    assert listed[0]["versionId"] not in {first["versionId"], listed[1]["versionId"]}
    assert read_version(file["fileId"], listed[0]["versionId"]) == b"first"
    assert read_version(file["fileId"], listed[1]["versionId"]) == b"second!"
    assert stored_versions(file["fileId"]) == [v["versionId"] for v in listed]
    assert usage(client, owner) == {"files": 1, "bytes": 5 + 7 + 5}


def test_restoring_the_current_version_changes_nothing(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner)
    (current,) = versions_of(client, owner, file["fileId"])
    response = client.post(
        f"/files/{file['fileId']}/versions/{current['versionId']}/restore", headers=owner.headers
    )
    assert response.status_code == 200 and response.json() == file
    assert usage(client, owner)["bytes"] == 5


def test_deleting_an_older_version_frees_its_bytes_and_the_current_one_is_409(
    client: TestClient, owner: ApiUser, put_file: PutFile, new_version: NewVersion
) -> None:
    file = put_file(owner, b"hello")
    new_version(owner, file["fileId"], b"hello!!")
    current, old = versions_of(client, owner, file["fileId"])
    base = f"/files/{file['fileId']}/versions"

    refused = client.delete(f"{base}/{current['versionId']}", headers=owner.headers)
    assert refused.status_code == 409 and refused.json()["code"] == "current_version"

    deleted = client.delete(f"{base}/{old['versionId']}", headers=owner.headers)
    assert deleted.status_code == 204
    assert versions_of(client, owner, file["fileId"]) == [current]
    assert stored_versions(file["fileId"]) == [current["versionId"]]
    assert usage(client, owner) == {"files": 1, "bytes": 7}
    assert client.get(f"/files/{file['fileId']}", headers=owner.headers).json()["versionCount"] == 1
    again = client.delete(f"{base}/{old['versionId']}", headers=owner.headers)
    assert again.status_code == 404 and again.json()["code"] == "version_not_found"
    assert usage(client, owner)["bytes"] == 7


def test_deleting_the_file_for_good_frees_every_kept_version_and_forgets_them(
    client: TestClient, owner: ApiUser, put_file: PutFile, new_version: NewVersion
) -> None:
    file = put_file(owner, b"hello")
    new_version(owner, file["fileId"], b"hello!!")
    body = {"contentType": "text/plain", "size": 4}  # and one still pending
    assert client.post(f"/files/{file['fileId']}/versions", json=body, headers=owner.headers)

    assert client.delete(f"/files/{file['fileId']}", headers=owner.headers).status_code == 204
    assert usage(client, owner)["bytes"] == 5 + 7 + 4  # in the trash: every version still counts
    assert client.delete(f"/trash/{file['fileId']}", headers=owner.headers).status_code == 204

    assert usage(client, owner) == {"files": 0, "bytes": 0}
    assert version_items.kept_versions(file["fileId"]) == []
    assert version_items.get_next(file["fileId"]) is None
    assert stored_versions(file["fileId"]) == []


def test_the_21st_version_drops_the_oldest_its_item_its_bytes_and_its_usage(
    client: TestClient, owner: ApiUser, put_file: PutFile
) -> None:
    file = put_file(owner, b"v00")
    record = repository.get_file(file["fileId"])
    assert record is not None
    oldest = record.version_id
    for n in range(1, 21):  # through the service: 20 round trips of the API would be slow
        versions.create_upload(record, VersionCreate(content_type="text/plain", size=3))
        land(file["fileId"], f"v{n:02}".encode())
        verified = service.verify_upload(file["fileId"])
        assert verified is not None and verified.size == 3
        record = verified

    listed = versions_of(client, owner, file["fileId"])
    assert len(listed) == 20 and record.version_count == 20
    assert oldest not in {v["versionId"] for v in listed}
    assert stored_versions(file["fileId"]) == [v["versionId"] for v in listed]
    assert read_version(file["fileId"], listed[-1]["versionId"]) == b"v01"
    assert read_version(file["fileId"], listed[0]["versionId"]) == b"v20"
    assert usage(client, owner) == {"files": 1, "bytes": 20 * 3}
    assert record.stored_bytes == 60
