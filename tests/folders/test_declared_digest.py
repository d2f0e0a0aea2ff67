"""Every list that shows a File shows its declared SHA-256; what a public link's visitor sees
does not (it is the owner's and their recipients' fact, not an anonymous visitor's)."""

import hashlib
from typing import Any

from fastapi.testclient import TestClient

from tests.conftest import ApiUser
from tests.files.conftest import land
from tests.folders.conftest import Mkdir, items
from tests.folders.test_folder_sharing import share

DATA = b"report body"
DIGEST = hashlib.sha256(DATA).hexdigest()


def _put_file(client: TestClient, user: ApiUser, folder: str) -> dict[str, Any]:
    body = {
        "fileName": "report.txt",
        "contentType": "text/plain",
        "size": len(DATA),
        "folderId": folder,
        "sha256": DIGEST,
    }
    ticket = client.post("/files/upload-url", json=body, headers=user.headers)
    assert ticket.status_code == 201, ticket.text
    land(ticket.json()["fileId"], DATA)
    done = client.post(f"/files/{ticket.json()['fileId']}/complete", headers=user.headers)
    assert done.status_code == 200 and done.json()["sha256"] == DIGEST, done.text
    return dict(done.json())


def test_folder_items_search_shared_and_trash_carry_the_files_digest(
    client: TestClient, owner: ApiUser, recipient: ApiUser, mkdir: Mkdir
) -> None:
    folder = mkdir(owner, "Reports")["folderId"]
    file = _put_file(client, owner, folder)

    (entry,) = items(client, owner, folder)["items"]
    assert entry["file"]["sha256"] == DIGEST
    found = client.get("/search", params={"q": "report"}, headers=owner.headers).json()["items"]
    assert [e["file"]["sha256"] for e in found if e["type"] == "file"] == [DIGEST]
    share(client, owner, folder, recipient)
    (inside,) = items(client, recipient, folder)["items"]
    assert (inside["file"]["sharedWithMe"], inside["file"]["sha256"]) == (True, DIGEST)
    got = client.get(f"/files/{file['fileId']}", headers=recipient.headers).json()
    assert got["sha256"] == DIGEST

    assert client.delete(f"/files/{file['fileId']}", headers=owner.headers).status_code == 204
    trashed = client.get("/trash", headers=owner.headers).json()["items"]
    assert [e["file"]["sha256"] for e in trashed if e["type"] == "file"] == [DIGEST]
    restored = client.post(f"/trash/{file['fileId']}/restore", headers=owner.headers)
    assert restored.status_code == 200 and restored.json()["file"]["sha256"] == DIGEST


def test_a_public_links_visitor_is_not_told_the_digest(
    client: TestClient, owner: ApiUser, mkdir: Mkdir
) -> None:
    folder = mkdir(owner, "Public")["folderId"]
    file = _put_file(client, owner, folder)
    for path in (f"/files/{file['fileId']}/links", f"/folders/{folder}/links"):
        link = client.post(path, json={"expiresIn": 3600}, headers=owner.headers)
        assert link.status_code == 201, link.text
        token = link.json()["token"]
        inside = {"fileId": file["fileId"]} if path.startswith("/folders") else {}
        seen = [client.get(f"/links/{token}"), client.post(f"/links/{token}/download", json=inside)]
        if inside:
            seen.append(client.get(f"/links/{token}/items"))
        for response in seen:
            assert response.status_code == 200, response.text
            assert "sha256" not in response.text and DIGEST not in response.text
        assert file["fileId"] in seen[-1].text  # the file is there, only its digest is not
