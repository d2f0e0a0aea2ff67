"""Each function's IAM policy grants exactly the AWS actions its code can call.

The calls are discovered by reading the code (tests/deploy/boto_calls.py) from each
function's Handler through what it can reach, so the test follows the code as it changes.
"""

from typing import Any

import pytest

from tests.deploy.boto_calls import AwsCall, Discovery, discover, iam_actions
from tests.deploy.template import as_list, functions, template

FUNCTIONS = functions()
# The functions whose code reaches the bucket (the PostConfirmation trigger does not).
S3_FUNCTIONS = ("ApiFunction", "WorkerFunction")


def _role(props: dict[str, Any]) -> dict[str, Any]:
    assert "Policies" not in props, "SAM policies add managed policies on '*': use the Role"
    role_name = props["Role"]["Fn::GetAtt"][0]
    role: dict[str, Any] = template()["Resources"][role_name]["Properties"]
    return role


def _statements(props: dict[str, Any], policy: str | None = None) -> list[dict[str, Any]]:
    """The role's statements, of one inline policy (`code`, `platform`) or of all."""
    role = _role(props)
    assert not role.get("ManagedPolicyArns"), "managed policies grant on '*'"
    return [
        statement
        for document in role["Policies"]
        if policy is None or document["PolicyName"] == policy
        for statement in document["PolicyDocument"]["Statement"]
    ]


def _granted(props: dict[str, Any], policy: str = "code") -> set[str]:
    return {
        action
        for statement in _statements(props, policy)
        if statement["Effect"] == "Allow"
        for action in as_list(statement["Action"])
    }


def _needed(discovery: Discovery) -> dict[str, list[AwsCall]]:
    needed: dict[str, list[AwsCall]] = {}
    for call in discovery.calls:
        if call.local_only:
            continue
        for action in iam_actions(call, discovery.transact_kinds):
            needed.setdefault(action, []).append(call)
    return needed


@pytest.fixture(scope="module", params=sorted(FUNCTIONS))
def function(request: pytest.FixtureRequest) -> tuple[str, dict[str, Any], Discovery]:
    props = FUNCTIONS[request.param]
    return request.param, props, discover(props["Handler"])


def test_discovery_finds_the_calls_it_must(
    function: tuple[str, dict[str, Any], Discovery],
) -> None:
    """Guards the detector itself: each function reads the table; the API and the worker
    touch the bucket, the PostConfirmation trigger only the table (the email lookup), the
    notifications sender SES and its own queue."""
    name, _, discovery = function
    found = {(call.service, call.method) for call in discovery.calls}
    assert ("dynamodb", "get_item") in found
    if name == "ApiFunction":  # through a helper (`_s3()`) and a dispatcher (`_call("...")`)
        assert {("s3", "generate_presigned_post"), ("cognito-idp", "initiate_auth")} <= found
    elif name == "PostConfirmationFunction":  # the conditional claim and release of an address
        assert {("dynamodb", "put_item"), ("dynamodb", "delete_item")} <= found
        assert {service for service, _ in found} == {"dynamodb"}
    elif name == "NotificationsFunction":  # the email, its backoff, a request's delayed flush
        assert {("sesv2", "send_email"), ("sqs", "change_message_visibility")} <= found
        assert ("sqs", "send_message") in found
        assert {service for service, _ in found} == {"dynamodb", "sesv2", "sqs"}
    else:  # through `client("s3")` directly
        assert ("s3", "get_object") in found


def test_every_action_the_code_calls_is_granted_and_nothing_more(
    function: tuple[str, dict[str, Any], Discovery],
) -> None:
    name, props, discovery = function
    needed = _needed(discovery)
    granted = _granted(props)
    missing = {a: [c.where for c in needed[a]] for a in sorted(set(needed) - granted)}
    extra = sorted(granted - set(needed))
    assert not missing, f"{name} calls these without permission: {missing}"
    assert not extra, f"{name} is granted actions its code never calls: {extra}"


def test_no_wildcard_actions_and_no_wildcard_resources_but_for_xray(
    function: tuple[str, dict[str, Any], Discovery],
) -> None:
    _, props, _ = function
    for statement in _statements(props):
        actions = as_list(statement["Action"])
        assert all("*" not in action for action in actions), statement
        if "*" in as_list(statement["Resource"]):  # X-Ray has no resource-level permissions
            assert all(action.startswith("xray:") for action in actions), statement


def test_the_platform_policy_grants_logs_to_its_own_group_traces_and_its_queue(
    function: tuple[str, dict[str, Any], Discovery],
) -> None:
    name, props, _ = function
    by_sid = {statement["Sid"]: statement for statement in _statements(props, "platform")}
    assert by_sid["Logs"]["Resource"] == {"Fn::GetAtt": [f"{name}Logs", "Arn"]}
    assert props["LoggingConfig"]["LogGroup"] == {"Ref": f"{name}Logs"}
    assert set(as_list(by_sid["Logs"]["Action"])) == {"logs:CreateLogStream", "logs:PutLogEvents"}
    assert set(as_list(by_sid["Traces"]["Action"])) == {
        "xray:PutTelemetryRecords",
        "xray:PutTraceSegments",
    }
    queues = [
        event["Properties"]["Queue"]
        for event in props.get("Events", {}).values()
        if event["Type"] == "SQS"
    ]
    if queues:
        (sid,) = [sid for sid in by_sid if sid.startswith("Poll") and sid.endswith("Queue")]
        poll = by_sid.pop(sid)
        assert [poll["Resource"]] == queues
        assert set(as_list(poll["Action"])) == {
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:ReceiveMessage",
        }
    streams = [
        event["Properties"]["Stream"]
        for event in props.get("Events", {}).values()
        if event["Type"] == "DynamoDB"
    ]
    if streams:  # what Lambda's event source mapping needs to read the stream, on it alone
        read = by_sid.pop("ReadTableStream")
        assert [read["Resource"]] == streams
        assert set(as_list(read["Action"])) == {
            "dynamodb:DescribeStream",
            "dynamodb:GetRecords",
            "dynamodb:GetShardIterator",
            "dynamodb:ListStreams",
        }
    failures = [
        event["Properties"]["DestinationConfig"]["OnFailure"]["Destination"]
        for event in props.get("Events", {}).values()
        if event["Type"] == "DynamoDB" and "DestinationConfig" in event["Properties"]
    ]
    if failures:  # where the mapping sends a record that failed every retry, and only there
        send = by_sid.pop("PurgeFailures")
        assert [send["Resource"]] == failures
        assert as_list(send["Action"]) == ["sqs:SendMessage"]
    assert set(by_sid) == {"Logs", "Traces"}


def test_index_queries_are_granted_on_the_index_and_table_queries_on_the_table(
    function: tuple[str, dict[str, Any], Discovery],
) -> None:
    name, props, discovery = function
    queries = [c for c in discovery.calls if c.method == "query" and not c.local_only]
    query_resources = [
        str(resource)
        for statement in _statements(props, "code")
        if "dynamodb:Query" in as_list(statement["Action"])
        for resource in as_list(statement["Resource"])
    ]
    on_index = any("/index/" in resource for resource in query_resources)
    on_table = any("/index/" not in resource for resource in query_resources)
    assert on_index == any(c.on_index for c in queries), (name, query_resources)
    assert on_table == any(not c.on_index for c in queries), (name, query_resources)


def test_local_only_calls_are_not_granted() -> None:
    """Auto-confirming sign-ups runs only under LOCAL_MODE, which the template turns off."""
    discovery = discover(FUNCTIONS["ApiFunction"]["Handler"])
    local = [c for c in discovery.calls if c.local_only]
    assert any(c.method == "admin_confirm_sign_up" for c in local)
    assert "cognito-idp:AdminConfirmSignUp" not in _granted(FUNCTIONS["ApiFunction"])


def test_the_post_confirmation_trigger_reaches_no_cognito_bucket_or_queue_call() -> None:
    """It runs with the pool's event only: nothing beyond the profile, the lookup and the
    address's invitations becoming shares."""
    discovery = discover(FUNCTIONS["PostConfirmationFunction"]["Handler"])
    assert {call.service for call in discovery.calls} == {"dynamodb"}
    assert _granted(FUNCTIONS["PostConfirmationFunction"]) == {
        "dynamodb:DeleteItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:UpdateItem",
    }


def test_the_worker_cannot_reach_presigning_or_multipart_calls() -> None:
    discovery = discover(FUNCTIONS["WorkerFunction"]["Handler"])
    methods = {call.method for call in discovery.calls}
    assert not methods & {"generate_presigned_post", "create_multipart_upload", "upload_part"}


def test_calls_that_name_an_s3_version_need_the_version_actions() -> None:
    """Deleting a version needs DeleteObjectVersion alone; a GET that may name one, both."""
    for name in S3_FUNCTIONS:
        calls = discover(FUNCTIONS[name]["Handler"]).calls
        deletes = [c for c in calls if c.method == "delete_object"]
        assert deletes and all(iam_actions(c, set()) == {"s3:DeleteObjectVersion"} for c in deletes)
        reads = [c for c in calls if c.method == "get_object" and c.version == "maybe"]
        assert reads, name  # the verified version is what gets downloaded or thumbnailed
        assert all(iam_actions(c, set()) == {"s3:GetObject", "s3:GetObjectVersion"} for c in reads)


@pytest.mark.parametrize("name", S3_FUNCTIONS)
def test_listing_versions_is_granted_on_the_bucket_for_the_code_prefixes_only(name: str) -> None:
    props = FUNCTIONS[name]
    (statement,) = [
        s for s in _statements(props, "code") if "s3:ListBucketVersions" in as_list(s["Action"])
    ]
    assert as_list(statement["Action"]) == ["s3:ListBucketVersions"]
    assert "/" not in str(statement["Resource"]).split("s3:::")[1]  # the bucket, not objects
    assert statement["Condition"] == {"StringLike": {"s3:prefix": ["uploads/*", "thumbnails/*"]}}


def test_the_functions_checked_for_s3_versions_are_exactly_those_that_reach_s3() -> None:
    reach = {
        name
        for name, props in FUNCTIONS.items()
        if any(call.service == "s3" for call in discover(props["Handler"]).calls)
    }
    assert reach == set(S3_FUNCTIONS)


def test_the_notifications_sender_sends_only_as_the_sender_identity() -> None:
    """ses:SendEmail on the SenderEmail identity (or its domain's), never on "*"."""
    props = FUNCTIONS["NotificationsFunction"]
    (statement,) = [
        s for s in _statements(props, "code") if "ses:SendEmail" in as_list(s["Action"])
    ]
    assert as_list(statement["Action"]) == ["ses:SendEmail"]  # API v2: no SendRawEmail
    address, domain = statement["Resource"]
    identity = "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/"
    assert address == {"Fn::Sub": identity + "${SenderEmail}"}
    assert domain["Fn::If"][0] == "HasSenderEmail"


def test_the_notifications_sender_writes_only_request_windows_and_reads_by_key() -> None:
    statements = _statements(FUNCTIONS["NotificationsFunction"], "code")
    leading = {
        action: statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
        for statement in statements
        for action in as_list(statement["Action"])
        if action.startswith("dynamodb:")
    }
    assert leading == {
        "dynamodb:GetItem": ["USER#*", "NOTIFY#*", "FILE#*", "FOLDER#*"],
        "dynamodb:PutItem": ["NOTIFY#REQUEST#*"],
    }


@pytest.mark.parametrize("name", ["ApiFunction", "WorkerFunction"])
def test_the_api_and_the_worker_may_queue_notifications_and_nothing_else_there(name: str) -> None:
    (statement,) = [
        s for s in _statements(FUNCTIONS[name], "code") if "sqs:SendMessage" in as_list(s["Action"])
    ]
    assert as_list(statement["Action"]) == ["sqs:SendMessage"]
    assert statement["Resource"] == {"Fn::GetAtt": ["NotificationsQueue", "Arn"]}


def test_the_apis_administrator_calls_on_the_pool_read_disable_and_enable_a_user_only() -> None:
    """Whose log-in a TOTP challenge is (AdminGetUser), and an administrator disabling or
    enabling a user (app/auth/directory.py): on this pool, and no other admin action."""
    statements = _statements(FUNCTIONS["ApiFunction"], "code")
    cognito = [
        s for s in statements if any(a.startswith("cognito-idp:") for a in as_list(s["Action"]))
    ]
    assert sorted(action for s in cognito for action in as_list(s["Action"])) == [
        "cognito-idp:AdminDisableUser",
        "cognito-idp:AdminEnableUser",
        "cognito-idp:AdminGetUser",
        "cognito-idp:AdminUserGlobalSignOut",
    ]
    assert all(s["Resource"] == {"Fn::GetAtt": ["UserPool", "Arn"]} for s in cognito)
