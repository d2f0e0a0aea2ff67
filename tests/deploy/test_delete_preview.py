"""deploy/delete_preview.py: the stack goes, then its retained versioned bucket and table."""

import json
import uuid
from typing import Any

import boto3
import pytest

from deploy.delete_preview import delete_preview, empty_bucket


@pytest.fixture
def session(aws: object) -> boto3.Session:
    return boto3.Session(region_name="us-east-1")


def versioned_bucket(s3: Any, name: str) -> None:
    s3.create_bucket(Bucket=name)
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    for body in (b"one", b"two"):
        s3.put_object(Bucket=name, Key="uploads/a.txt", Body=body)
    s3.put_object(Bucket=name, Key="uploads/b.txt", Body=b"b")
    s3.delete_object(Bucket=name, Key="uploads/b.txt")  # a delete marker on top


def preview_stack(session: boto3.Session, number: int) -> tuple[str, str, str]:
    stack, bucket, table = f"sharebox-pr-{number}", f"sharebox-pr-{number}-dev-files", f"t-{number}"
    versioned_bucket(session.client("s3"), bucket)
    session.client("dynamodb").create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
    )
    body = {
        "Resources": {"Queue": {"Type": "AWS::SQS::Queue"}},
        "Outputs": {"BucketName": {"Value": bucket}, "TableName": {"Value": table}},
    }
    session.client("cloudformation").create_stack(StackName=stack, TemplateBody=json.dumps(body))
    return stack, bucket, table


def test_a_preview_loses_its_stack_bucket_and_table(session: boto3.Session) -> None:
    stack, bucket, table = preview_stack(session, 4242)
    delete_preview(stack, session)
    assert bucket not in [b["Name"] for b in session.client("s3").list_buckets()["Buckets"]]
    assert table not in session.client("dynamodb").list_tables()["TableNames"]
    live = session.client("cloudformation").list_stacks(StackStatusFilter=["CREATE_COMPLETE"])
    assert stack not in [s["StackName"] for s in live["StackSummaries"]]


def test_emptying_removes_every_version_and_delete_marker(session: boto3.Session) -> None:
    s3, name = session.client("s3"), f"sharebox-{uuid.uuid4().hex[:8]}"
    versioned_bucket(s3, name)
    assert empty_bucket(s3, name) == 4  # a.txt twice, b.txt and its delete marker
    left = s3.list_object_versions(Bucket=name)
    assert left.get("Versions", []) == left.get("DeleteMarkers", []) == []


def test_a_stack_already_gone_is_nothing_to_do(session: boto3.Session, capsys) -> None:
    delete_preview("sharebox-pr-999999", session)
    assert "no such stack" in capsys.readouterr().out


@pytest.mark.parametrize("stack", ["sharebox-prod", "sharebox-staging", "sharebox", "x-pr-1"])
def test_it_refuses_any_stack_but_a_preview(stack: str) -> None:
    with pytest.raises(SystemExit, match="not a preview stack"):
        delete_preview(stack, session=object())
