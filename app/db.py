"""Plain-dict <-> DynamoDB attribute-value conversion for the low-level client."""

from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from app.aws import client
from app.errors import ServiceUnavailable
from app.settings import get_settings

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


def is_conditional_failure(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def unavailable(exc: ClientError) -> ServiceUnavailable:
    """The domain error for a DynamoDB failure the caller cannot fix."""
    return ServiceUnavailable(f"The metadata store failed: {exc.response['Error'].get('Code')}.")
