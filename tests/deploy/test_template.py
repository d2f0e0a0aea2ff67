"""template.yaml lints clean and is wired the way the code and the local emulator expect."""

import ast
import json
import re
from typing import Any

import pytest

from app.accounts.web_session import MAX_AGE_SECONDS
from app.auth.cognito import PASSWORD_POLICY
from app.aws import client
from app.local import bootstrap
from app.main import CORS_HEADERS
from app.mfa.service import LOGIN_SESSION_SECONDS
from app.notifications import digests
from app.retention import repository as trash
from app.settings import Settings
from tests.deploy.boto_calls import ROOT, import_closure
from tests.deploy.template import as_list, functions, resources, template

DAY = 24 * 3600


def resource(name: str) -> dict[str, Any]:
    properties: dict[str, Any] = template()["Resources"][name]["Properties"]
    return properties


def test_cfn_lint_finds_nothing() -> None:
    """The same check as `.ci/run`'s `cfn-lint template.yaml`, so `make test` catches it too."""
    from cfnlint.api import ManualArgs, lint_file

    matches = lint_file(ROOT / "template.yaml", config=ManualArgs())
    assert [str(match) for match in matches] == []


# ---------------------------------------------------------------- functions


def test_the_api_function_runs_app_main_handler_on_a_current_python() -> None:
    api = functions()["ApiFunction"]
    assert api["Handler"] == "app.main.handler"
    assert api["Runtime"] in {"python3.12", "python3.13"}
    assert api["Architectures"] == ["arm64"]
    assert api["Tracing"] == "Active"


@pytest.mark.parametrize("name", sorted(functions()))
def test_each_handler_names_a_module_that_binds_it(name: str) -> None:
    module, _, attribute = functions()[name]["Handler"].rpartition(".")
    tree = import_closure(module)[module].tree
    bound = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    } | {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert attribute in bound


@pytest.mark.parametrize("name", sorted(functions()))
def test_sam_build_has_a_makefile_target_for_each_function(name: str) -> None:
    assert template()["Resources"][name]["Metadata"]["BuildMethod"] == "makefile"
    assert f"\nbuild-{name}:" in (ROOT / "Makefile").read_text()


def test_the_api_never_imports_pillow_or_the_local_emulator() -> None:
    modules = import_closure("app.main")
    assert not [m for m in modules if m.startswith("app.local")]
    for name, module in modules.items():
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(module.tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            (node.module or "").split(".")[0]
            for node in ast.walk(module.tree)
            if isinstance(node, ast.ImportFrom)
        }
        assert not imported & {"PIL", "moto", "uvicorn"}, name


def test_the_worker_package_needs_nothing_from_app_local() -> None:
    assert not [m for m in import_closure("app.worker.handler") if m.startswith("app.local")]


# ---------------------------------------------------------------- worker wiring


def test_the_worker_reads_the_upload_queue_reporting_partial_failures() -> None:
    worker = functions()["WorkerFunction"]
    assert set(worker["Events"]) == {"Uploads", "Purges", "Due"}
    event = worker["Events"]["Uploads"]
    assert event["Type"] == "SQS"
    props = event["Properties"]
    assert props["Queue"] == {"Fn::GetAtt": ["UploadsQueue", "Arn"]}
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert 1 <= props["BatchSize"] <= 10
    assert props["MaximumBatchingWindowInSeconds"] > 0


def test_the_worker_gets_just_the_purge_jobs_inserts_from_the_table_stream() -> None:
    event = functions()["WorkerFunction"]["Events"]["Purges"]
    assert event["Type"] == "DynamoDB"
    props = event["Properties"]
    assert props["Stream"] == {"Fn::GetAtt": ["Table", "StreamArn"]}
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert props["BisectBatchOnFunctionError"] is True
    (only,) = props["FilterCriteria"]["Filters"]
    pattern = json.loads(only["Pattern"])
    # The keys app/retention/repository.py writes for a purge job.
    job = trash._job_key("fo-x")
    assert pattern == {
        "eventName": ["INSERT"],
        "dynamodb": {"Keys": {"pk": {"S": [job["pk"]["S"]]}}},
    }
    assert resource("Table")["StreamSpecification"] == {"StreamViewType": "KEYS_ONLY"}
    failures = props["DestinationConfig"]["OnFailure"]
    assert failures["Destination"] == {"Fn::GetAtt": ["PurgesDeadLetterQueue", "Arn"]}


def test_the_worker_runs_what_is_due_once_a_minute_with_retries_and_a_dead_letter_queue() -> None:
    event = functions()["WorkerFunction"]["Events"]["Due"]
    assert event["Type"] == "Schedule"
    props = event["Properties"]
    assert props["Schedule"] == "rate(1 minute)"  # an expiry goes within the minute
    assert props["RetryPolicy"]["MaximumRetryAttempts"] >= 1
    assert props["DeadLetterConfig"]["Type"] == "SQS"


def test_queue_visibility_is_at_least_six_worker_timeouts_with_a_dead_letter_queue() -> None:
    queue = resource("UploadsQueue")
    assert queue["VisibilityTimeout"] >= 6 * functions()["WorkerFunction"]["Timeout"]
    redrive = queue["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["UploadsDeadLetterQueue", "Arn"]}
    assert 1 < redrive["maxReceiveCount"] <= 10


# ---------------------------------------------------------------- notifications wiring


def test_the_sender_reads_the_notifications_queue_reporting_partial_failures() -> None:
    sender = functions()["NotificationsFunction"]
    assert sender["Handler"] == "app.notifications.handler.handler"
    (event,) = sender["Events"].values()
    props = event["Properties"]
    assert event["Type"] == "SQS"
    assert props["Queue"] == {"Fn::GetAtt": ["NotificationsQueue", "Arn"]}
    assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert 1 <= props["BatchSize"] <= 10


def test_the_notifications_queue_has_a_dead_letter_queue_as_the_local_one_does(
    aws: bootstrap.LocalResources,
) -> None:
    queue = resource("NotificationsQueue")
    assert queue["VisibilityTimeout"] >= 6 * functions()["NotificationsFunction"]["Timeout"]
    redrive = queue["RedrivePolicy"]
    assert redrive["deadLetterTargetArn"] == {"Fn::GetAtt": ["NotificationsDeadLetterQueue", "Arn"]}
    local = client("sqs").get_queue_attributes(
        QueueUrl=aws.notifications_queue_url, AttributeNames=["RedrivePolicy"]
    )
    assert (
        json.loads(local["Attributes"]["RedrivePolicy"])["maxReceiveCount"]
        == (redrive["maxReceiveCount"])
    )
    # A request's delayed flush fits SQS's DelaySeconds.
    assert digests.WINDOW_SECONDS <= digests.MAX_DELAY_SECONDS == 900


def test_the_senders_links_use_the_public_base_url_else_the_apis_own() -> None:
    variables = functions()["NotificationsFunction"]["Environment"]["Variables"]
    condition, configured, otherwise = variables["PUBLIC_BASE_URL"]["Fn::If"]
    assert (condition, configured) == ("HasPublicBaseUrl", {"Ref": "PublicBaseUrl"})
    assert otherwise["Fn::Sub"] == template()["Outputs"]["ApiUrl"]["Value"]["Fn::Sub"].rstrip("/")
    assert variables.get("SENDER_EMAIL", {"Ref": "SenderEmail"}) == {"Ref": "SenderEmail"}
    pattern = re.compile(template()["Parameters"]["SenderEmail"]["AllowedPattern"])
    assert pattern.match("") and pattern.match("noreply@files.example.com")
    assert not pattern.match("noreply") and not pattern.match("a b@example.com")


# ---------------------------------------------------------------- bucket


def test_bucket_is_private_encrypted_and_versioned() -> None:
    bucket = resource("FilesBucket")
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    assert len(bucket["PublicAccessBlockConfiguration"]) == 4
    assert bucket["VersioningConfiguration"]["Status"] == "Enabled"
    (rule,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in {"AES256", "aws:kms"}


def test_bucket_cors_lets_the_page_post_and_read_etags() -> None:
    (rule,) = resource("FilesBucket")["CorsConfiguration"]["CorsRules"]
    assert "ETag" in rule["ExposedHeaders"]
    assert {"POST", "PUT", "GET"} <= set(rule["AllowedMethods"])


def test_lifecycle_outlives_resumable_uploads_and_keeps_a_files_older_versions() -> None:
    rules = {r["Id"]: r for r in resource("FilesBucket")["LifecycleConfiguration"]["Rules"]}
    abort_days = rules["abort-incomplete-multipart-uploads"]["AbortIncompleteMultipartUpload"]
    variables = functions()["ApiFunction"]["Environment"]["Variables"]
    resumable = int(variables["MULTIPART_UPLOAD_TTL_SECONDS"])
    assert abort_days["DaysAfterInitiation"] * DAY > resumable
    # Noncurrent S3 versions are kept file versions: no rule may expire them behind the code.
    assert not any("NoncurrentVersionExpiration" in rule for rule in rules.values())
    assert rules["expire-orphaned-delete-markers"]["ExpiredObjectDeleteMarker"] is True
    assert any("Transitions" in rule for rule in rules.values())


def test_new_uploads_notify_the_queue_under_the_prefix_the_code_uses() -> None:
    bucket = template()["Resources"]["FilesBucket"]
    (config,) = bucket["Properties"]["NotificationConfiguration"]["QueueConfigurations"]
    assert config["Event"] == "s3:ObjectCreated:*"
    (rule,) = config["Filter"]["S3Key"]["Rules"]
    assert rule == {"Name": "prefix", "Value": Settings.model_fields["uploads_prefix"].default}
    assert functions()["ApiFunction"]["Environment"]["Variables"]["UPLOADS_PREFIX"] == rule["Value"]
    assert bucket["DependsOn"] == "UploadsQueuePolicy"
    (statement,) = resource("UploadsQueuePolicy")["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "s3.amazonaws.com"}
    assert statement["Action"] == "sqs:SendMessage"


def test_bucket_name_is_the_same_string_everywhere_it_is_spelled() -> None:
    name = resource("FilesBucket")["BucketName"]["Fn::Sub"]
    assert functions()["ApiFunction"]["Environment"]["Variables"]["BUCKET_NAME"]["Fn::Sub"] == name
    text = (ROOT / "template.yaml").read_text()
    spelled = {
        line.split("s3:::")[1].split("/")[0].rstrip('"')
        for line in text.splitlines()
        if "s3:::" in line
    }
    assert spelled == {name}


# ---------------------------------------------------------------- table and users


class _Recorder:
    """Stands in for a DynamoDB client: remembers what bootstrap asks for."""

    def __init__(self) -> None:
        self.calls: dict[str, dict[str, Any]] = {}

    def list_tables(self) -> dict[str, list[str]]:
        return {"TableNames": []}

    def __getattr__(self, name: str) -> Any:
        return lambda **kwargs: self.calls.__setitem__(name, kwargs)


def test_table_matches_what_the_local_bootstrap_creates() -> None:
    local = _Recorder()
    bootstrap.create_table(local, "sharebox")
    created = local.calls["create_table"]
    table = resource("Table")
    assert table["BillingMode"] == created["BillingMode"] == "PAY_PER_REQUEST"
    assert sorted(table["AttributeDefinitions"], key=str) == sorted(
        created["AttributeDefinitions"], key=str
    )
    assert table["KeySchema"] == created["KeySchema"]
    assert table["GlobalSecondaryIndexes"] == created["GlobalSecondaryIndexes"]
    ttl = local.calls["update_time_to_live"]["TimeToLiveSpecification"]
    assert table["TimeToLiveSpecification"] == {
        "AttributeName": ttl["AttributeName"],
        "Enabled": True,
    }
    assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["SSESpecification"]["SSEEnabled"] is True
    assert table["DeletionProtectionEnabled"] == {"Fn::If": ["IsProd", True, False]}


def test_user_pool_uses_the_local_password_policy_and_hides_who_exists() -> None:
    pool = resource("UserPool")
    policy = {k: v for k, v in pool["Policies"]["PasswordPolicy"].items() if k in PASSWORD_POLICY}
    assert policy == PASSWORD_POLICY
    assert pool["UsernameAttributes"] == ["email"]
    assert pool["MfaConfiguration"] == "OPTIONAL"
    client = resource("UserPoolClient")
    assert client["GenerateSecret"] is False
    assert client["PreventUserExistenceErrors"] == "ENABLED"
    assert set(client["ExplicitAuthFlows"]) == {
        "ALLOW_USER_PASSWORD_AUTH",
        "ALLOW_REFRESH_TOKEN_AUTH",
    }
    assert {"AccessTokenValidity", "IdTokenValidity", "RefreshTokenValidity"} <= set(client)
    assert resource("AdminsGroup")["GroupName"] == "admins"


# ---------------------------------------------------------------- API, alarms, outputs


def test_http_api_throttles_logs_and_allows_the_configured_origins() -> None:
    api = resource("HttpApi")
    assert api["DefaultRouteSettings"]["ThrottlingRateLimit"] == {"Ref": "ApiRateLimit"}
    assert api["AccessLogSettings"]["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogs", "Arn"]}
    cors = api["CorsConfiguration"]
    assert cors["AllowOrigins"] == {"Fn::Split": [",", {"Ref": "AllowedOrigins"}]}
    # the gateway answers CORS for the function (which sets none on AWS): what the page needs
    assert {"authorization", "content-type"} <= set(cors["AllowHeaders"])
    assert {"GET", "POST", "PATCH", "DELETE"} <= set(cors["AllowMethods"])
    assert "x-request-id" in cors["ExposeHeaders"]
    events = functions()["ApiFunction"]["Events"].values()
    assert {e["Properties"]["Path"] for e in events} == {"/", "/{proxy+}"}
    assert all(
        e["Type"] == "HttpApi" and e["Properties"]["PayloadFormatVersion"] == "2.0" for e in events
    )


def test_http_api_cors_lets_the_page_send_its_session_cookie_and_csrf_headers() -> None:
    cors = resource("HttpApi")["CorsConfiguration"]
    assert cors["AllowCredentials"] is True
    assert {"x-sharebox-client", "x-sharebox-csrf"} <= set(cors["AllowHeaders"])
    assert set(CORS_HEADERS) == set(cors["AllowHeaders"])  # the app's local CORS allows the same


def test_allowed_origins_must_be_exact_because_cors_allows_credentials() -> None:
    pattern = re.compile(template()["Parameters"]["AllowedOrigins"]["AllowedPattern"])
    assert pattern.match(template()["Parameters"]["AllowedOrigins"]["Default"])
    assert pattern.match("https://files.example.com")
    for refused in ("*", "https://*.example.com", "https://a.example,*"):
        assert not pattern.match(refused), refused


def _alarmed() -> set[tuple[str, str, str]]:
    found = set()
    for alarm in resources("AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        (dimension,) = props["Dimensions"]
        value = dimension["Value"]
        target = value.get("Ref") or value.get("Fn::GetAtt", [""])[0]
        found.add((props["Namespace"], props["MetricName"], target))
        assert props["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    return found


def test_alarms_cover_api_errors_latency_each_function_and_the_dead_letter_queue() -> None:
    alarmed = _alarmed()
    expected = {
        ("AWS/ApiGateway", "5xx", "HttpApi"),
        ("AWS/ApiGateway", "Latency", "HttpApi"),
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "UploadsDeadLetterQueue"),
        ("AWS/SQS", "ApproximateNumberOfMessagesVisible", "NotificationsDeadLetterQueue"),
    } | {("AWS/Lambda", metric, name) for name in functions() for metric in ("Errors", "Throttles")}
    assert expected <= alarmed
    latency = next(
        a["Properties"]
        for a in resources("AWS::CloudWatch::Alarm").values()
        if a["Properties"]["MetricName"] == "Latency"
    )
    assert latency["ExtendedStatistic"] == "p99"


def test_outputs_give_everything_a_client_needs() -> None:
    assert {"ApiUrl", "UserPoolId", "UserPoolClientId", "BucketName", "TableName"} <= set(
        template()["Outputs"]
    )


def test_parameters_cover_stage_origins_and_quota() -> None:
    parameters = template()["Parameters"]
    assert {"Stage", "AllowedOrigins", "DefaultQuotaBytes"} <= set(parameters)
    assert as_list(parameters["Stage"]["AllowedValues"]) == ["dev", "staging", "prod"]


def test_snapstart_serves_the_api_in_prod_through_a_published_alias() -> None:
    api = functions()["ApiFunction"]
    assert api["SnapStart"] == {"ApplyOn": {"Fn::If": ["IsProd", "PublishedVersions", "None"]}}
    assert api["AutoPublishAlias"]  # SnapStart only applies to versions; events use the alias
    # The X-Ray SDK's import is paid before the snapshot in prod, on every cold start elsewhere.
    variables = api["Environment"]["Variables"]
    assert variables["TRACE_AWS_CALLS"] == {"Fn::If": ["IsProd", "true", "false"]}
    assert functions()["WorkerFunction"]["Environment"]["Variables"]["TRACE_AWS_CALLS"] == "true"
    assert all(props["Tracing"] == "Active" for props in functions().values())


def test_the_api_aws_budget_ends_every_attempt_well_inside_the_function_timeout() -> None:
    api = functions()["ApiFunction"]
    env = api["Environment"]["Variables"]
    budget = float(env["AWS_REQUEST_BUDGET_SECONDS"])
    attempt = float(env["AWS_CONNECT_TIMEOUT_SECONDS"]) + float(env["AWS_READ_TIMEOUT_SECONDS"])
    assert attempt < budget  # room for at least one whole attempt
    assert budget + 3 <= api["Timeout"]  # and for the answer after the budget ran out
    completion = float(env["AWS_CONNECT_TIMEOUT_SECONDS"]) + float(
        env["AWS_COMPLETE_READ_TIMEOUT_SECONDS"]
    )
    assert attempt < completion < budget  # a longer wait for S3 to assemble, that can start


def test_the_pool_offers_totp_and_a_login_challenge_lives_as_long_as_the_apis_record_of_it() -> (
    None
):
    pool = resource("UserPool")
    assert pool["MfaConfiguration"] == "OPTIONAL"
    assert pool["EnabledMfas"] == ["SOFTWARE_TOKEN_MFA"]
    client = resource("UserPoolClient")
    assert client["AuthSessionValidity"] * 60 == LOGIN_SESSION_SECONDS  # minutes


def test_the_totp_sealing_key_is_generated_and_outlives_the_stack_as_the_table_does() -> None:
    key = template()["Resources"]["MfaSecretKey"]
    assert key["Type"] == "AWS::SecretsManager::Secret"
    assert "GenerateSecretString" in key["Properties"]
    assert key["DeletionPolicy"] == key["UpdateReplacePolicy"] == "Retain"
    assert template()["Resources"]["Table"]["DeletionPolicy"] == "Retain"


def test_the_session_cookie_lives_as_long_as_the_refresh_token() -> None:
    client = resource("UserPoolClient")
    assert client["TokenValidityUnits"]["RefreshToken"] == "days"
    assert client["RefreshTokenValidity"] * 24 * 3600 == MAX_AGE_SECONDS
