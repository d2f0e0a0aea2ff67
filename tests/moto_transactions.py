"""moto's TransactWriteItems with a rollback the size of the transaction, not of the table.

moto 5 deep-copies every table a transaction touches, once per item, before it starts (to
roll back if one item fails). On the session's shared table, which every test grows, that
made a full run's transactions quadratic and pushed it past the machine's memory. This keeps
moto's own transaction code (its conditions, errors and cancellation reasons) and changes
only what is saved for the rollback: a copy of each item the transaction names, and the
length of the table's stream, restored exactly as moto's table copy would have been.
"""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto.dynamodb import models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table


class _TablesAsTheyAre:
    """Stands in for `copy` inside moto's backend module: a table 'copy' is the table itself
    (the rollback below restores items instead); any other copy is a real one."""

    def deepcopy(self, value: Any, memo: Any = None) -> Any:
        if isinstance(value, Table):
            return value
        return copy.deepcopy(value, memo)


def _key(table: Table, op_type: str, op: dict[str, Any]) -> tuple[DynamoType, DynamoType | None]:
    attrs = op["Item"] if op_type == "Put" else op["Key"]
    hash_value = DynamoType(attrs[table.hash_key_attr])
    range_value = DynamoType(attrs[table.range_key_attr]) if table.has_range_key else None
    return hash_value, range_value


class _Saved:
    """What a transaction may change: each named item (or its absence) and each stream's length."""

    def __init__(self, backend: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        self.items: list[tuple[Table, DynamoType, DynamoType | None, Any]] = []
        self.streams: dict[int, tuple[Table, int]] = {}
        for entry in transact_items:
            op_type, op = next(iter(entry.items()))
            table = backend.tables.get(op.get("TableName", ""))
            if table is None:
                continue
            try:
                hash_value, range_value = _key(table, op_type, op)
            except (KeyError, TypeError):
                continue  # moto's own validation answers for a malformed key
            self.items.append(
                (
                    table,
                    hash_value,
                    range_value,
                    copy.deepcopy(table.get_item(hash_value, range_value)),
                )
            )
            if table.stream_shard is not None:
                self.streams.setdefault(id(table), (table, len(table.stream_shard.items)))

    def restore(self) -> None:
        for table, hash_value, range_value, item in reversed(self.items):
            if table.has_range_key:
                if item is None:
                    table.items[hash_value].pop(range_value, None)
                    if not table.items[hash_value]:
                        del table.items[hash_value]
                else:
                    table.items[hash_value][range_value] = item
            elif item is None:
                table.items.pop(hash_value, None)
            else:
                table.items[hash_value] = item
        for table, length in self.streams.values():
            if table.stream_shard is not None:
                del table.stream_shard.items[length:]


@contextmanager
def small_rollbacks() -> Iterator[None]:
    original = DynamoDBBackend.transact_write_items

    def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
        saved = _Saved(self, transact_items)
        try:
            original(self, transact_items)
        except Exception:
            saved.restore()
            raise

    models.copy = _TablesAsTheyAre()  # type: ignore[assignment]
    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    try:
        yield
    finally:
        DynamoDBBackend.transact_write_items = original  # type: ignore[method-assign]
        models.copy = copy
