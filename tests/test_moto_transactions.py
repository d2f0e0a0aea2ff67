"""The tests' moto transactions still roll back whole (tests/moto_transactions.py): what a
canceled transaction wrote is undone item by item, what a committed one wrote stays."""

import uuid

import pytest
from botocore.exceptions import ClientError

from app import db


def _keys() -> tuple[dict[str, dict[str, str]], ...]:
    prefix = f"ROLLBACK#{uuid.uuid4().hex}"
    return tuple({"pk": {"S": prefix}, "sk": {"S": name}} for name in ("kept", "new", "check"))


def _put(table: str, key: dict[str, dict[str, str]], value: str) -> dict[str, object]:
    return {"Put": {"TableName": table, "Item": {**key, "value": {"S": value}}}}


def _item(key: dict[str, dict[str, str]]) -> dict[str, object] | None:
    return db.dynamodb().get_item(TableName=db.table_name(), Key=key).get("Item")


def test_a_canceled_transaction_leaves_every_item_as_it_was(aws: object) -> None:
    table = db.table_name()
    kept, new, check = _keys()
    db.dynamodb().put_item(TableName=table, Item={**kept, "value": {"S": "before"}})
    update = {
        "Update": {
            "TableName": table,
            "Key": kept,
            "UpdateExpression": "SET #v = :v",
            "ExpressionAttributeNames": {"#v": "value"},
            "ExpressionAttributeValues": {":v": {"S": "after"}},
        }
    }
    refused = {
        "ConditionCheck": {
            "TableName": table,
            "Key": check,
            "ConditionExpression": "attribute_exists(pk)",
        }
    }

    with pytest.raises(ClientError) as canceled:
        db.dynamodb().transact_write_items(TransactItems=[update, _put(table, new, "x"), refused])

    assert canceled.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert _item(kept) == {**kept, "value": {"S": "before"}}
    assert _item(new) is None


def test_a_committed_transaction_keeps_what_it_wrote(aws: object) -> None:
    table = db.table_name()
    kept, new, _ = _keys()

    db.dynamodb().transact_write_items(
        TransactItems=[_put(table, kept, "one"), _put(table, new, "two")]
    )

    assert _item(kept) == {**kept, "value": {"S": "one"}}
    assert _item(new) == {**new, "value": {"S": "two"}}
