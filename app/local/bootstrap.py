"""Create the AWS resources template.yaml declares, in an emulator (moto, LocalStack).

Used by `make run` and by the tests; the same names and shapes as the deployed stack, so
the code cannot tell the difference.
"""

import json
from dataclasses import dataclass
from typing import Any

from app.auth.cognito import PASSWORD_POLICY
from app.auth.dependencies import ADMINS_GROUP


@dataclass(frozen=True)
class LocalResources:
    user_pool_id: str
    user_pool_client_id: str
    table_name: str
    bucket_name: str
    queue_url: str
    dlq_url: str
    notifications_queue_url: str
    notifications_dlq_url: str
    sender_email: str = ""  # verified in the emulator's SES; empty: none was asked for

    def environment(self) -> dict[str, str]:
        """The environment variables template.yaml would set for these resources."""
        return {
            "USER_POOL_ID": self.user_pool_id,
            "USER_POOL_CLIENT_ID": self.user_pool_client_id,
            "TABLE_NAME": self.table_name,
            "BUCKET_NAME": self.bucket_name,
            "QUEUE_URL": self.queue_url,
            "NOTIFICATIONS_QUEUE_URL": self.notifications_queue_url,
        } | ({"SENDER_EMAIL": self.sender_email} if self.sender_email else {})


def create_user_pool(cognito: Any, name: str) -> tuple[str, str]:
    pools = cognito.list_user_pools(MaxResults=60)["UserPools"]
    pool_id = next((p["Id"] for p in pools if p["Name"] == name), None)
    if pool_id is None:
        pool_id = cognito.create_user_pool(
            PoolName=name,
            UsernameAttributes=["email"],
            AutoVerifiedAttributes=["email"],
            Policies={"PasswordPolicy": PASSWORD_POLICY},
            UserPoolAddOns={"AdvancedSecurityMode": "OFF"},
        )["UserPool"]["Id"]
    clients = cognito.list_user_pool_clients(UserPoolId=pool_id, MaxResults=60)["UserPoolClients"]
    client_id = next((c["ClientId"] for c in clients if c["ClientName"] == "web"), None)
    if client_id is None:
        client_id = cognito.create_user_pool_client(
            UserPoolId=pool_id,
            ClientName="web",
            GenerateSecret=False,
            ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            PreventUserExistenceErrors="ENABLED",
        )["UserPoolClient"]["ClientId"]
    groups = cognito.list_groups(UserPoolId=pool_id)["Groups"]
    if all(group["GroupName"] != ADMINS_GROUP for group in groups):  # template.yaml AdminsGroup
        cognito.create_group(
            UserPoolId=pool_id, GroupName=ADMINS_GROUP, Description="Sharebox administrators"
        )
    return pool_id, client_id


def create_table(dynamodb: Any, name: str) -> None:
    if name in dynamodb.list_tables()["TableNames"]:
        return
    keys = ("pk", "sk", "gsi1pk", "gsi1sk", "gsi2pk", "gsi2sk")
    dynamodb.create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": k, "AttributeType": "S"} for k in keys],
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "gsi1",
                "KeySchema": [
                    {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            },
            {
                "IndexName": "gsi2",
                "KeySchema": [
                    {"AttributeName": "gsi2pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi2sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            },
        ],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"},
    )
    dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"}
    )


def create_queues(sqs: Any, name: str, *, max_receive_count: int = 3) -> tuple[str, str]:
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    queue_url = sqs.create_queue(
        QueueName=name,
        Attributes={
            "VisibilityTimeout": "180",
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": max_receive_count}
            ),
        },
    )["QueueUrl"]
    return queue_url, dlq_url


def create_bucket(
    s3: Any, sqs: Any, name: str, queue_url: str, origins: list[str], uploads_prefix: str
) -> None:
    existing = {b["Name"] for b in s3.list_buckets().get("Buckets", [])}
    if name not in existing:
        s3.create_bucket(Bucket=name)
    # As template.yaml: a verified file is served by its version id, so a re-used upload form
    # adds a version (which the worker deletes) instead of replacing the verified bytes.
    s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_cors(
        Bucket=name,
        CORSConfiguration={
            "CORSRules": [
                {
                    "AllowedOrigins": origins,
                    "AllowedMethods": ["GET", "HEAD", "POST", "PUT"],
                    "AllowedHeaders": ["*"],
                    "ExposeHeaders": ["ETag"],
                    "MaxAgeSeconds": 3000,
                }
            ]
        },
    )
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    s3.put_bucket_notification_configuration(
        Bucket=name,
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "QueueArn": queue_arn,
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {
                        "Key": {"FilterRules": [{"Name": "prefix", "Value": uploads_prefix}]}
                    },
                }
            ]
        },
    )


def verify_sender(sesv2: Any, address: str) -> None:
    """What SES's console does once the address's owner clicks the link: a verified identity
    (the emulator verifies at once), so that SES sends from it."""
    identities = sesv2.list_email_identities().get("EmailIdentities", [])
    if all(identity["IdentityName"] != address for identity in identities):
        sesv2.create_email_identity(EmailIdentity=address)


def bootstrap(
    clients: dict[str, Any],
    *,
    name: str = "sharebox",
    origins: list[str] | None = None,
    uploads_prefix: str = "uploads/",
    sender_email: str = "",
) -> LocalResources:
    """Create (or find) every resource; `clients` maps service names to boto3 clients
    (`sesv2` only with a `sender_email` to verify)."""
    pool_id, client_id = create_user_pool(clients["cognito-idp"], name)
    create_table(clients["dynamodb"], name)
    queue_url, dlq_url = create_queues(clients["sqs"], f"{name}-uploads")
    # As template.yaml: a notification is tried 5 times (with the sender's own backoff).
    notifications_url, notifications_dlq_url = create_queues(
        clients["sqs"], f"{name}-notifications", max_receive_count=5
    )
    if sender_email:
        verify_sender(clients["sesv2"], sender_email)
    bucket = f"{name}-files"
    create_bucket(
        clients["s3"], clients["sqs"], bucket, queue_url, origins or ["*"], uploads_prefix
    )
    return LocalResources(
        pool_id,
        client_id,
        name,
        bucket,
        queue_url,
        dlq_url,
        notifications_url,
        notifications_dlq_url,
        sender_email,
    )
