"""AwsCall: the one way an AWS error answer becomes a store's 503, or a code the caller expects."""

import pytest
from botocore.exceptions import ClientError

from app.aws import failed_call
from app.errors import AwsCall, ServiceUnavailable


def answer(code: str) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "no"}}, "PutItem")


def test_an_unexpected_code_is_the_stores_503_naming_the_code_and_the_call() -> None:
    with pytest.raises(ServiceUnavailable) as raised, AwsCall("metadata store"):
        raise answer("InternalServerError")
    assert raised.value.detail == "The metadata store failed: InternalServerError."
    assert raised.value.headers["Retry-After"]
    assert failed_call(raised.value) == "PutItem"  # what the 503's log line names


def test_an_expected_code_is_kept_for_the_caller_and_nothing_is_raised() -> None:
    with AwsCall("file store", ("NoSuchUpload",)) as call:
        raise answer("NoSuchUpload")
    assert call.code == "NoSuchUpload" and isinstance(call.refused, ClientError)
    assert call.unavailable().detail == "The file store failed: NoSuchUpload."


def test_a_call_that_succeeds_refuses_nothing_and_other_errors_pass_through() -> None:
    with AwsCall("user directory", ("NotAuthorizedException",)) as call:
        pass
    assert call.refused is None and call.code is None
    with pytest.raises(KeyError), AwsCall("user directory"):
        raise KeyError("not an AWS answer")


def test_a_fixed_detail_replaces_the_one_that_names_aws_codes() -> None:
    with pytest.raises(ServiceUnavailable) as failed, AwsCall("user directory", detail="Down."):
        raise ClientError({"Error": {"Code": "InternalErrorException"}}, "SignUp")
    assert failed.value.detail == "Down."
    assert failed.value.__cause__ is not None and failed.value.__suppress_context__
