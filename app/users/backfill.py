"""Put profiles written before the administrators' list existed into its index (run once).

`python -m app.users.backfill` with the stack's TABLE_NAME (and AWS credentials) in the
environment. It Scans the table once, outside any request path, and gives every profile that
lacks them its index attributes (`gsi1pk`, `gsi1sk`), conditionally, so running it again, or
while the API serves, changes nothing it should not. (A user who logs in or opens their
account page before it runs is indexed then.)
"""

import sys

from app import db
from app.users import index


def backfill() -> int:
    """Returns how many profiles were indexed."""
    indexed = 0
    profiles = db.scan_items(
        {
            "FilterExpression": "begins_with(pk, :user) AND sk = :profile "
            "AND attribute_exists(email) AND attribute_not_exists(gsi1pk)",
            "ExpressionAttributeValues": db.to_values({":user": "USER#", ":profile": "PROFILE"}),
            "ProjectionExpression": "pk, email",
        }
    )
    for item in profiles:
        values = db.from_item(item) or {}
        indexed += index.add_to_index(values["pk"].removeprefix("USER#"), values["email"])
    return indexed


if __name__ == "__main__":
    sys.stdout.write(f"indexed {backfill()} profiles for the administrators' list\n")
