"""Query scaling: list and lookup pages read only what they return, however big the table.

Run in its own interpreter (`python -m bench.scaling`): moto in-process, the app through
app.main.handler. The table holds 10,000 files of 100 other users; the viewer owns N files and
has N files shared with them, N = 100 and then 10,000. A botocore hook on the app's own
DynamoDB client adds up what each request read: ScannedCount of every Query, the items of
every GetItem and BatchGetItem. Prints one JSON line.
"""

import json
import os
import sys
import time
import uuid
from typing import Any

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "LOCAL_MODE": "true",
        "CURSOR_SECRET": "bench-cursor-secret",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_LAMBDA_FUNCTION_NAME", None)

from bench.common import LambdaContext, http_event, median

VIEWER = "viewer-0000"
OTHERS, OTHER_FILES = 100, 10_000
LIMIT = 50


class Reads:
    """What the app's DynamoDB client read, per request."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def __call__(self, http_response: Any, parsed: dict[str, Any], model: Any, **_: Any) -> None:
        name = model.name
        if name in ("Query", "Scan"):
            self.calls.append((name, int(parsed.get("ScannedCount", 0))))
        elif name == "GetItem":
            self.calls.append((name, 1 if parsed.get("Item") else 0))
        elif name == "BatchGetItem":
            count = sum(len(items) for items in parsed.get("Responses", {}).values())
            self.calls.append((name, count))

    def take(self) -> dict[str, Any]:
        calls, self.calls = self.calls, []
        scanned = sum(n for op, n in calls if op in ("Query", "Scan"))
        fetched = sum(n for op, n in calls if op in ("GetItem", "BatchGetItem"))
        return {"query_scanned": scanned, "items_fetched": fetched, "calls": len(calls)}


def _file_item(file_id: str, owner: str, created: str) -> dict[str, Any]:
    return {
        "pk": {"S": f"FILE#{file_id}"},
        "sk": {"S": "META"},
        "gsi1pk": {"S": f"OWNER#{owner}"},
        "gsi1sk": {"S": f"{created}#{file_id}"},
        "fileId": {"S": file_id},
        "ownerId": {"S": owner},
        "fileName": {"S": f"{file_id[:8]}.txt"},
        "contentType": {"S": "text/plain"},
        "size": {"N": "1024"},
        "status": {"S": "available"},
        "createdAt": {"S": created},
        "uploadedAt": {"S": created},
        "hasThumbnail": {"BOOL": False},
    }


def _share_item(file_id: str, owner: str, user: str, at: str) -> dict[str, Any]:
    return {
        "pk": {"S": f"FILE#{file_id}"},
        "sk": {"S": f"SHARE#{user}"},
        "gsi1pk": {"S": f"SHARED#{user}"},
        "gsi1sk": {"S": f"{at}#{file_id}"},
        "fileId": {"S": file_id},
        "userId": {"S": user},
        "email": {"S": "viewer@example.com"},
        "ownerId": {"S": owner},
        "sharedAt": {"S": at},
    }


def _stamp(i: int) -> str:
    return f"2026-{1 + i // 100_000 % 12:02d}-01T00:00:00.{i:06d}Z"


class World:
    def __init__(self, dynamodb: Any, table: str) -> None:
        self.dynamodb, self.table = dynamodb, table
        self.own: list[str] = []
        self.shared: list[str] = []
        self.counter = 0

    def _write(self, items: list[dict[str, Any]]) -> None:
        for start in range(0, len(items), 25):
            request = {self.table: [{"PutRequest": {"Item": i}} for i in items[start : start + 25]]}
            while request:
                request = self.dynamodb.batch_write_item(RequestItems=request).get(
                    "UnprocessedItems"
                )

    def add_others(self, count: int) -> None:
        items = []
        for i in range(count):
            self.counter += 1
            items.append(_file_item(str(uuid.uuid4()), f"other-{i % OTHERS}", _stamp(self.counter)))
        self._write(items)

    def add_viewer_files(self, count: int) -> None:
        items = []
        for _ in range(count):
            self.counter += 1
            file_id, at = str(uuid.uuid4()), _stamp(self.counter)
            items.append(_file_item(file_id, VIEWER, at))
            self.own.append(file_id)
            self.counter += 1
            shared_id, owner = str(uuid.uuid4()), f"other-{self.counter % OTHERS}"
            items.append(_file_item(shared_id, owner, at))
            items.append(_share_item(shared_id, owner, VIEWER, _stamp(self.counter)))
            self.shared.append(shared_id)
        self._write(items)


def _token(issuer: str, client_id: str) -> str:
    from jose import jwt
    from moto.utilities.utils import load_resource

    now = int(time.time())
    claims = {
        "sub": VIEWER,
        "iss": issuer,
        "client_id": client_id,
        "token_use": "access",
        "iat": now,
        "exp": now + 7200,
        "jti": "scaling",
    }
    private = load_resource("cognitoidp/resources/jwks-private.json")
    return str(jwt.encode(claims, private, algorithm="RS256", headers={"kid": "dummy"}))


def _measure(handler: Any, reads: Reads, token: str, world: World) -> dict[str, Any]:
    context = LambdaContext()

    def call(path: str, query: str = "") -> tuple[dict[str, Any], dict[str, Any], float]:
        reads.take()
        started = time.perf_counter()
        response = handler(http_event("GET", path, token=token, query=query), context)
        elapsed = time.perf_counter() - started
        if response["statusCode"] != 200:
            raise RuntimeError(f"GET {path}?{query}: {response['statusCode']} {response['body']}")
        return json.loads(response["body"]), reads.take(), elapsed

    result: dict[str, Any] = {}
    for name, path in (("files", "/files"), ("shared", "/files/shared")):
        pages, query = [], f"limit={LIMIT}"
        for _ in range(3):  # the first page and up to two followed cursors
            body, read, elapsed = call(path, query)
            pages.append(read | {"items": len(body["items"]), "seconds": elapsed})
            if not body["nextCursor"]:
                break
            query = f"limit={LIMIT}&cursor={body['nextCursor']}"
        result[name] = pages
    lookups = []
    for file_id in (world.own[len(world.own) // 2], world.shared[len(world.shared) // 2]):
        _, read, elapsed = call(f"/files/{file_id}")
        lookups.append(read | {"items": 1, "seconds": elapsed})
    result["lookup"] = lookups
    return result


def main() -> None:
    from moto import mock_aws
    from moto.utilities.utils import load_resource

    with mock_aws():
        import boto3

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
        from app.main import handler

        public = load_resource("cognitoidp/resources/jwks-public.json")
        auth._fetch_json = lambda _url: public  # type: ignore[assignment]
        auth.revocation_store().cached = lambda _user: Revocation()  # type: ignore[method-assign]
        settings = get_settings()
        token = _token(settings.issuer, settings.user_pool_client_id)
        world = World(clients["dynamodb"], resources.table_name)
        world.add_others(OTHER_FILES)
        world.add_viewer_files(100)
        reads = Reads()
        aws.client("dynamodb").meta.events.register("after-call.dynamodb", reads)
        small = _measure(handler, reads, token, world)
        world.add_viewer_files(10_000 - 100)
        large = _measure(handler, reads, token, world)
    sys.stdout.write(json.dumps({"limit": LIMIT, "small": small, "large": large}) + "\n")


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """Per listing: the worst reads per page and the median page time, at N=100 and 10,000."""
    out = {}
    for name in ("files", "shared", "lookup"):
        row = {}
        for size in ("small", "large"):
            pages = result[size][name]
            row[size] = {
                "max_query_scanned": max(p["query_scanned"] for p in pages),
                "max_items_fetched": max(p["items_fetched"] for p in pages),
                "max_items_returned": max(p["items"] for p in pages),
                "median_seconds": median([p["seconds"] for p in pages]),
            }
        out[name] = row
    return out


if __name__ == "__main__":
    main()
