"""Place files written before folders existed at their owners' top level (run once).

`python -m app.tree.backfill` with the stack's TABLE_NAME (and AWS credentials) in the
environment. It Scans the table once, outside any request path, and adds the tree index
attributes (`gsi2pk`, `gsi2sk`) to every file item that lacks them, conditionally, so running it
again, or while the API serves, changes nothing it should not.
"""

import sys

from app import db
from app.tree.repository import file_place


def backfill() -> int:
    """Returns how many file items were placed."""
    placed = 0
    files = db.scan_items(
        {
            "FilterExpression": "begins_with(pk, :file) AND sk = :meta "
            "AND attribute_not_exists(gsi2pk)",
            "ExpressionAttributeValues": db.to_values({":file": "FILE#", ":meta": "META"}),
            "ProjectionExpression": "pk, sk, fileId, ownerId, createdAt, folderId",
        }
    )
    for item in files:
        values = db.from_item(item) or {}
        if not {"fileId", "ownerId", "createdAt"} <= values.keys():
            continue  # not a file item any version of the API wrote
        place = file_place(
            values["ownerId"], values.get("folderId"), values["createdAt"], values["fileId"]
        )
        with db.call(db.CONDITION_FAILED) as write:
            db.dynamodb().update_item(
                TableName=db.table_name(),
                Key={"pk": item["pk"], "sk": item["sk"]},
                UpdateExpression="SET gsi2pk = :pk, gsi2sk = :sk",
                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(gsi2pk)",
                ExpressionAttributeValues=db.to_values(
                    {":pk": place["gsi2pk"], ":sk": place["gsi2sk"]}
                ),
            )
        placed += write.refused is None
    return placed


if __name__ == "__main__":
    sys.stdout.write(f"placed {backfill()} files at their owners' top level\n")
