"""Delete a pull request's preview stack and the bucket and table it leaves behind.

`python deploy/delete_preview.py sharebox-pr-42` (deploy.yml runs it when the pull request
closes). template.yaml retains every stack's bucket and table on deletion, since they hold
users' data; a preview's hold only test data, so this reads their names from the stack's
outputs, deletes the stack, then empties the versioned bucket (every version and delete marker)
and deletes it and the table. It refuses any stack not named sharebox-pr-<n>.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import boto3
from botocore.exceptions import ClientError

PREVIEW = re.compile(r"sharebox-pr-[0-9]+")


def retained(cloudformation: Any, stack: str) -> dict[str, str] | None:
    """The stack's BucketName and TableName outputs, or None when there is no such stack."""
    try:
        described = cloudformation.describe_stacks(StackName=stack)["Stacks"][0]
    except ClientError as error:
        if "does not exist" in str(error):
            return None
        raise
    outputs = {o["OutputKey"]: o["OutputValue"] for o in described.get("Outputs", [])}
    return {key: outputs[key] for key in ("BucketName", "TableName") if key in outputs}


def empty_bucket(s3: Any, bucket: str) -> int:
    """Delete every object version and delete marker in `bucket`; how many were deleted."""
    deleted = 0
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=bucket):
        keys = [
            {"Key": item["Key"], "VersionId": item["VersionId"]}
            for item in page.get("Versions", []) + page.get("DeleteMarkers", [])
        ]
        if keys:  # a page holds at most 1000 entries, delete_objects' limit
            s3.delete_objects(Bucket=bucket, Delete={"Objects": keys, "Quiet": True})
            deleted += len(keys)
    return deleted


def delete_preview(stack: str, session: Any = None) -> None:
    if not PREVIEW.fullmatch(stack):
        raise SystemExit(f"{stack!r} is not a preview stack (sharebox-pr-<n>): refusing")
    session = session or boto3.Session()
    cloudformation = session.client("cloudformation")
    names = retained(cloudformation, stack)
    if names is None:
        print(f"{stack}: no such stack, nothing to delete")
        return
    cloudformation.delete_stack(StackName=stack)
    cloudformation.get_waiter("stack_delete_complete").wait(StackName=stack)
    print(f"{stack}: stack deleted")
    if bucket := names.get("BucketName"):
        s3 = session.client("s3")
        print(f"{bucket}: {empty_bucket(s3, bucket)} versions and markers deleted")
        s3.delete_bucket(Bucket=bucket)
        print(f"{bucket}: bucket deleted")
    if table := names.get("TableName"):
        dynamodb = session.client("dynamodb")
        dynamodb.delete_table(TableName=table)
        dynamodb.get_waiter("table_not_exists").wait(TableName=table)
        print(f"{table}: table deleted")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python deploy/delete_preview.py sharebox-pr-<n>")
    delete_preview(sys.argv[1])
