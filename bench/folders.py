"""Folder costs: what a folder page, a deep shared read, a search and a big move cost.

Run in its own interpreter (`python -m bench.folders`): moto in-process, the app through
app.main.handler, reads counted by the scaling bench's hook on the app's own DynamoDB client
(ScannedCount of every Query and Scan, the items of every GetItem and BatchGetItem). Prints
one JSON line:
- page: three pages of a folder holding 60 folders and 9,940 files, while the owner has
  10,000 more files in another folder;
- deep: GET /files/{fileId} by a user the top folder of a 10-level chain is shared with;
- search: a search by a user with 200 items, in a table of 20,000 others' items;
- move: PATCH /folders/{id} of a folder with 1,000 descendants (100 folders, 900 files), to
  and fro, first, while the table is small (moto's Query walks its whole table in Python and
  its transactions copy it; DynamoDB does neither);
- purge: the worker's purge of a folder holding 1,000 files (10 subfolders of 100), deleted
  for good from the trash: AWS requests (DynamoDB and S3) per file, against the purge of one
  file on its own.
"""

import json
import os
import sys
import time
import uuid
from typing import Any

from bench.common import LambdaContext, http_event, median
from bench.scaling import Reads, World, _file_item, _stamp

OWNER, RECIPIENT = "folder-owner", "folder-recipient"
LIMIT, DEPTH = 50, 10


def _token(sub: str, issuer: str, client_id: str) -> str:
    from jose import jwt
    from moto.utilities.utils import load_resource

    now = int(time.time())
    claims = {
        "sub": sub,
        "iss": issuer,
        "client_id": client_id,
        "token_use": "access",
        "iat": now,
        "exp": now + 7200,
        "jti": f"folders-{sub}",
    }
    private = load_resource("cognitoidp/resources/jwks-private.json")
    return str(jwt.encode(claims, private, algorithm="RS256", headers={"kid": "dummy"}))


class App:
    """The Lambda handler, a user's token, and the reads of each request."""

    def __init__(self) -> None:
        from app import aws
        from app.main import handler
        from app.settings import get_settings

        self.handler, self.reads, self.context = handler, Reads(), LambdaContext()
        aws.client("dynamodb").meta.events.register("after-call.dynamodb", self.reads)
        settings = get_settings()
        self.issuer, self.client_id = settings.issuer, settings.user_pool_client_id

    def call(
        self, sub: str, method: str, path: str, query: str = "", body: Any = None
    ) -> tuple[dict[str, Any], dict[str, Any], float, list[str]]:
        token = _token(sub, self.issuer, self.client_id)
        payload = None if body is None else json.dumps(body)
        self.reads.take()
        started = time.perf_counter()
        answer = self.handler(
            http_event(method, path, token=token, query=query, body=payload), self.context
        )
        elapsed = time.perf_counter() - started
        operations = [op for op, _ in self.reads.calls]
        read = self.reads.take()
        if answer["statusCode"] >= 300:
            raise RuntimeError(f"{method} {path}: {answer['statusCode']} {answer['body']}")
        return json.loads(answer["body"] or "null"), read, elapsed, operations


def _folder(app: App, sub: str, name: str, parent: str | None = None) -> str:
    body = {"name": name} | ({"parentId": parent} if parent else {})
    return str(app.call(sub, "POST", "/folders", body=body)[0]["folderId"])


def _files_in(world: World, owner: str, folder: str | None, count: int, name: str = "f") -> None:
    from app.tree import repository as tree

    items = []
    for i in range(count):
        world.counter += 1
        file_id, at = str(uuid.uuid4()), _stamp(world.counter)
        place = tree.file_place(owner, folder, at, file_id)
        item = _file_item(file_id, owner, at) | {
            "gsi2pk": {"S": place["gsi2pk"]},
            "gsi2sk": {"S": place["gsi2sk"]},
            "fileName": {"S": f"{name}-{i}.txt"},
        }
        if folder:
            item["folderId"] = {"S": folder}
        items.append(item)
    world._write(items)


def _page_costs(app: App, world: World) -> dict[str, Any]:
    big, elsewhere = _folder(app, OWNER, "big"), _folder(app, OWNER, "elsewhere")
    for i in range(60):
        _folder(app, OWNER, f"sub {i:02d}", big)
    _files_in(world, OWNER, big, 9_940)
    _files_in(world, OWNER, elsewhere, 10_000)
    pages, query = [], f"limit={LIMIT}"
    for _ in range(3):
        body, read, elapsed, _ = app.call(OWNER, "GET", f"/folders/{big}/items", query)
        pages.append(read | {"items": len(body["items"]), "seconds": elapsed})
        query = f"limit={LIMIT}&cursor={body['nextCursor']}"
    return {"pages": pages}


def _deep_costs(app: App, world: World) -> dict[str, Any]:
    from app.access import shares
    from app.access.shares import ShareRecord

    top = parent = _folder(app, OWNER, "shared top")
    for level in range(2, DEPTH + 1):
        parent = _folder(app, OWNER, f"level {level}", parent)
    _files_in(world, OWNER, parent, 1, "deep")
    shares.create_share(
        ShareRecord(top, RECIPIENT, "r@example.com", OWNER, "2026-12-05T00:00:00.000000Z")
    )
    page = app.call(OWNER, "GET", f"/folders/{parent}/items")[0]
    file_id = page["items"][0]["file"]["fileId"]
    rounds = []
    for _ in range(5):
        body, read, elapsed, operations = app.call(RECIPIENT, "GET", f"/files/{file_id}")
        assert body["sharedWithMe"] is True
        rounds.append(read | {"seconds": elapsed, "operations": operations})
    return {"depth": DEPTH, "rounds": rounds}


def _search_costs(app: App, world: World) -> dict[str, Any]:
    searcher = "searcher"
    folder = _folder(app, searcher, "holiday photos")
    _files_in(world, searcher, folder, 199, "img")
    world.add_others(20_000)
    body, read, elapsed, operations = app.call(searcher, "GET", "/search", "q=no-such-name")
    assert body["items"] == []
    found, _, _, _ = app.call(searcher, "GET", "/search", "q=HOLIDAY")
    return read | {
        "own_items": 200,
        "seconds": elapsed,
        "operations": operations,
        "found": len(found["items"]),
    }


def _move_costs(app: App, world: World) -> dict[str, Any]:
    mover = "mover"
    moving = _folder(app, mover, "moving")
    there = _folder(app, mover, "there")
    count = 0
    for i in range(10):
        child = _folder(app, mover, f"child {i}", moving)
        count += 1
        _files_in(world, mover, child, 9)
        for j in range(9):
            grandchild = _folder(app, mover, f"grandchild {j}", child)
            _files_in(world, mover, grandchild, 9)
            count += 1
    descendants = count + 10 * 9 + 90 * 9
    times = []
    for target in (there, None, there, None, there):
        _, _, elapsed, _ = app.call(mover, "PATCH", f"/folders/{moving}", body={"parentId": target})
        times.append(elapsed)
    return {"descendants": descendants, "seconds": times}


class Requests:
    """Every AWS request the app's DynamoDB and S3 clients send."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, **_: Any) -> None:
        self.count += 1


def _with_objects(world: World, owner: str, folder: str | None, count: int) -> None:
    """`count` files in `folder`, each with its object in the bucket (as an upload leaves it)."""
    from app import aws
    from app.files import storage
    from app.settings import get_settings

    before = set(_file_ids(world, owner))
    _files_in(world, owner, folder, count)
    s3 = aws.client("s3")
    for file_id in set(_file_ids(world, owner)) - before:
        s3.put_object(Bucket=get_settings().bucket_name, Key=storage.object_key(file_id), Body=b"x")


def _file_ids(world: World, owner: str) -> list[str]:
    from app import db

    rows = db.query_all(
        {
            "IndexName": "gsi1",
            "KeyConditionExpression": "gsi1pk = :pk",
            "ExpressionAttributeValues": db.to_values({":pk": f"OWNER#{owner}"}),
            "ProjectionExpression": "fileId",
        }
    )
    return [row["fileId"]["S"] for row in rows]


class _NoTableSnapshots:
    """moto deep-copies its whole table before every item of a TransactWriteItems (to roll
    back on failure; DynamoDB does nothing like it), which makes 1,000 deletes quadratic here
    (500 s). This purge counts requests, so moto's transactions run without that snapshot;
    a transaction that fails would then not be rolled back, so the bench refuses any."""

    def __init__(self) -> None:
        import copy

        from moto.dynamodb import models

        self.models, self.copy = models, copy
        models.copy = self  # type: ignore[attr-defined]

    def deepcopy(self, value: Any, memo: Any = None) -> Any:
        if isinstance(value, self.models.Table):
            return value
        return self.copy.deepcopy(value, memo)

    def restore(self) -> None:
        self.models.copy = self.copy  # type: ignore[attr-defined]


def _purge_costs(app: App, world: World) -> dict[str, Any]:
    from app import aws
    from app.folders import service as folders_service
    from app.trash import purge

    snapshots = _NoTableSnapshots()
    canceled: list[str] = []

    def refused(http_response: Any, parsed: dict[str, Any], **_: Any) -> None:
        if parsed.get("Error", {}).get("Code") == "TransactionCanceledException":
            canceled.append(str(parsed["Error"]))

    aws.client("dynamodb").meta.events.register("after-call.dynamodb.TransactWriteItems", refused)
    requests = Requests()
    for name in ("dynamodb", "s3"):
        aws.client(name).meta.events.register(f"before-call.{name}", requests)
    purger = "purger"
    doomed = _folder(app, purger, "doomed")
    for i in range(10):
        _with_objects(world, purger, _folder(app, purger, f"sub {i}", doomed), 100)
    _with_objects(world, purger, None, 1)
    (single,) = _file_ids(world, purger)[-1:]
    # The delete marks each of the 1,000 files (one write each, 20 ms apiece on moto): past
    # the request's 10 s budget here, so it is called directly (README "Trash and expiry").
    folders_service.delete_folder(doomed, purger)
    app.call(purger, "DELETE", f"/trash/{doomed}")  # answers at once: the job waits
    app.call(purger, "DELETE", f"/files/{single}")
    before = requests.count
    purge.run(doomed)
    folder_requests = requests.count - before
    from app.retention import repository as trash

    record = trash.get_item(single)
    assert record is not None
    values = {k: next(iter(v.values())) for k, v in record.items()}
    trash.delete_for_good(
        single, purger, trashed_at=values["trashedAt"], purge_at=int(values["purgeAt"]), now="x"
    )
    before = requests.count
    purge.run(single)
    single_requests = requests.count - before
    left = len(_file_ids(world, purger))
    snapshots.restore()
    assert not canceled, f"a transaction failed without moto's rollback: {canceled}"
    return {
        "files": 1_000,
        "folders": 11,
        "requests": folder_requests,
        "single_requests": single_requests,
        "left": left,
    }


def _world() -> tuple[App, World]:
    import boto3
    from moto.utilities.utils import load_resource

    from app import aws
    from app.auth import dependencies as auth
    from app.auth.revocation import Revocation
    from app.local.bootstrap import bootstrap
    from app.settings import get_settings

    clients = {n: boto3.client(n) for n in ("cognito-idp", "dynamodb", "s3", "sqs")}
    resources = bootstrap(clients, origins=["http://127.0.0.1:8000"])
    os.environ.update(resources.environment())
    get_settings.cache_clear()
    aws.reset()
    public = load_resource("cognitoidp/resources/jwks-public.json")
    auth._fetch_json = lambda _url: public  # type: ignore[assignment]
    auth.token_verifier.cache_clear()  # a second world has its own pool (issuer)
    auth.revocation_store.cache_clear()
    auth.revocation_store().cached = lambda _user: Revocation()  # type: ignore[method-assign]
    return App(), World(clients["dynamodb"], resources.table_name)


def main() -> None:
    from moto import mock_aws

    result: dict[str, Any] = {"limit": LIMIT}
    with mock_aws():
        app, world = _world()
        result["move"] = _move_costs(app, world)  # first, while the table is small
        result["deep"] = _deep_costs(app, world)
        result["page"] = _page_costs(app, world)
        result["search"] = _search_costs(app, world)
    with mock_aws():  # a table of its own: moto copies its whole table on every transaction
        result["purge"] = _purge_costs(*_world())
    sys.stdout.write(json.dumps(result) + "\n")


def summary(result: dict[str, Any]) -> dict[str, Any]:
    pages = result["page"]["pages"]
    deep = result["deep"]["rounds"]
    return {
        "page_scanned": max(p["query_scanned"] for p in pages),
        "page_fetched": max(p["items_fetched"] for p in pages),
        "page_seconds": median([p["seconds"] for p in pages]),
        "deep_calls": max(r["calls"] for r in deep),
        "deep_items": max(r["query_scanned"] + r["items_fetched"] for r in deep),
        "deep_operations": deep[0]["operations"],
        "search_scanned": result["search"]["query_scanned"],
        "search_operations": sorted(set(result["search"]["operations"])),
        "move_seconds": median(result["move"]["seconds"]),
        "move_worst": max(result["move"]["seconds"]),
        "purge_per_file": result["purge"]["requests"] / result["purge"]["files"],
        "purge_single": result["purge"]["single_requests"],
        "purge_left": result["purge"]["left"],
    }


if __name__ == "__main__":
    main()
