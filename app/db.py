"""Plain-dict <-> DynamoDB attribute-value conversion for the low-level client."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from app.aws import client
from app.errors import AwsCall, ServiceUnavailable
from app.settings import get_settings

_BATCH = 25  # BatchWriteItem's limit
_BATCH_GET = 100  # BatchGetItem's limit
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def dynamodb() -> Any:
    return client("dynamodb")


def table_name() -> str:
    return get_settings().table_name


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _serializer.serialize(v) for k, v in values.items() if v is not None}


def to_values(values: dict[str, Any]) -> dict[str, Any]:
    """Serialize expression attribute values (`:x` keys) without dropping None."""
    return {k: _serializer.serialize(v) for k, v in values.items()}


def from_item(item: dict[str, Any] | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {k: _plain(_deserializer.deserialize(v)) for k, v in item.items()}


def _plain(value: Any) -> Any:
    """Decimals from DynamoDB become ints (every number we store is whole)."""
    from decimal import Decimal

    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, set):
        return {_plain(v) for v in value}
    return value


CONDITION_FAILED = "ConditionalCheckFailedException"
TRANSACTION_CANCELED = "TransactionCanceledException"


def call(*expected: str) -> AwsCall:
    """Around a DynamoDB call: a failure is the metadata store's 503, but for `expected` codes."""
    return AwsCall("metadata store", expected)


@dataclass(frozen=True)
class QueryPage:
    """One page of raw items, the raw item a cursor should point at, and what was read."""

    items: list[dict[str, Any]]
    last: dict[str, Any] | None
    scanned_count: int


def query_page(params: dict[str, Any], limit: int, start_key: dict[str, Any] | None) -> QueryPage:
    """Up to `limit` items of a Query, reading one past the page so `last` is set only when
    more rows exist (no empty last page), and reading on through pages a filter or DynamoDB's
    1 MB cut left short."""
    items: list[dict[str, Any]] = []
    scanned = 0
    exclusive = start_key
    while len(items) <= limit:
        request = {"TableName": table_name(), **params, "Limit": limit + 1 - len(items)}
        if exclusive:
            request["ExclusiveStartKey"] = exclusive
        with call():
            answer = dynamodb().query(**request)
        items.extend(answer.get("Items", []))
        scanned += int(answer.get("ScannedCount", 0))
        exclusive = answer.get("LastEvaluatedKey")
        if not exclusive:
            break
    last = items[limit - 1] if len(items) > limit else None
    return QueryPage(items=items[:limit], last=last, scanned_count=scanned)


def scan_items(params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every raw item of a Scan, a page at a time (one-off backfills only: never on a request)."""
    request = {"TableName": table_name(), **params}
    while True:
        with call():
            answer = dynamodb().scan(**request)
        yield from answer.get("Items", [])
        if "LastEvaluatedKey" not in answer:
            return
        request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def query_all(params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every raw item of a Query, following LastEvaluatedKey."""
    items: list[dict[str, Any]] = []
    request = {"TableName": table_name(), **params}
    while True:
        with call():
            answer = dynamodb().query(**request)
        items.extend(answer.get("Items", []))
        if "LastEvaluatedKey" not in answer:
            return items
        request["ExclusiveStartKey"] = answer["LastEvaluatedKey"]


def delete_prefixed(pk: str, prefixes: Iterable[str]) -> int:
    """Delete the items of partition `pk` whose sort key starts with one of `prefixes`."""
    keys = [
        {"pk": item["pk"], "sk": item["sk"]}
        for prefix in prefixes
        for item in query_all(
            {
                "KeyConditionExpression": "pk = :pk AND begins_with(sk, :prefix)",
                "ExpressionAttributeValues": to_values({":pk": pk, ":prefix": prefix}),
                "ProjectionExpression": "pk, sk",
            }
        )
    ]
    batch_delete(keys)
    return len(keys)


def batch_get(
    keys: Iterable[dict[str, Any]], *, consistent: bool = False, projection: str | None = None
) -> list[dict[str, Any]]:
    """The raw items that exist among `keys` (BatchGetItem, 100 a call, following what
    DynamoDB left unprocessed); in no particular order."""
    wanted = list(keys)
    found: list[dict[str, Any]] = []
    for start in range(0, len(wanted), _BATCH_GET):
        batch: dict[str, Any] = {"Keys": wanted[start : start + _BATCH_GET]}
        if consistent:
            batch["ConsistentRead"] = True
        if projection:
            batch["ProjectionExpression"] = projection
        request = {table_name(): batch}
        while request:
            with call():
                answer = dynamodb().batch_get_item(RequestItems=request)
            found.extend(answer.get("Responses", {}).get(table_name(), []))
            request = answer.get("UnprocessedKeys") or {}
    return found


def batch_delete(keys: list[dict[str, Any]]) -> None:
    """Delete raw DynamoDB keys 25 at a time, retrying what DynamoDB left unprocessed."""
    for start in range(0, len(keys), _BATCH):
        requests = [{"DeleteRequest": {"Key": key}} for key in keys[start : start + _BATCH]]
        pending: dict[str, Any] = {table_name(): requests}
        for _ in range(5):
            with call():
                result = dynamodb().batch_write_item(RequestItems=pending)
            pending = result.get("UnprocessedItems") or {}
            if not pending:
                break
        if pending:
            raise ServiceUnavailable("The metadata store is throttling deletes; retry.")
