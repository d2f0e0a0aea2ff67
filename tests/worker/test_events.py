import json

import pytest

from app.worker.events import MalformedMessage, file_id_for_key, parse_body
from tests.worker.conftest import SAMPLE_IDS, load_event


def bodies(name: str) -> list[str]:
    return [record["body"] for record in load_event(name)["Records"]]


def test_single_upload_event_names_one_created_object() -> None:
    [body] = bodies("sqs_single_upload")

    [obj] = parse_body(body)
    assert (obj.bucket, obj.key) == ("sharebox-files", f"uploads/{SAMPLE_IDS[0]}")
    assert (obj.size, obj.event_name) == (68, "ObjectCreated:Post")


def test_batch_event_carries_post_put_and_multipart_completions() -> None:
    objects = [obj for body in bodies("sqs_batch_uploads") for obj in parse_body(body)]

    assert [obj.key for obj in objects] == [f"uploads/{file_id}" for file_id in SAMPLE_IDS]
    assert [obj.event_name for obj in objects] == [
        "ObjectCreated:Post",
        "ObjectCreated:Put",
        "ObjectCreated:CompleteMultipartUpload",
    ]


def test_s3_test_event_announces_nothing() -> None:
    [body] = bodies("sqs_s3_test_event")

    assert parse_body(body) == []


def test_url_encoded_key_is_decoded_with_spaces_and_plus_signs() -> None:
    [body] = bodies("sqs_encoded_key")

    [obj] = parse_body(body)
    assert obj.key == "uploads/café + friends 2026.jpg"


def test_events_other_than_object_created_are_skipped() -> None:
    body = json.dumps({"Records": [{"eventName": "ObjectRemoved:Delete", "s3": {}}]})

    assert parse_body(body) == []


@pytest.mark.parametrize(
    "body",
    ["not json", "[1, 2]", '{"Records": "x"}', '{"Records": [{"eventName": "ObjectCreated:Put"}]}'],
)
def test_a_body_that_is_not_an_s3_notification_is_malformed(body: str) -> None:
    with pytest.raises(MalformedMessage):
        parse_body(body)


@pytest.mark.parametrize(
    ("key", "file_id"),
    [
        ("uploads/abc-123", "abc-123"),
        ("thumbnails/abc-123.jpg", None),
        ("uploads/", None),
        ("uploads/nested/abc", None),
        ("other/uploads/abc", None),
    ],
)
def test_only_keys_directly_under_the_uploads_prefix_name_a_file(
    key: str, file_id: str | None
) -> None:
    assert file_id_for_key(key, "uploads/") == file_id
