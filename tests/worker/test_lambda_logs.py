"""On Lambda, each object's outcome is one JSON log line (Powertools), with its metrics."""

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from app.worker.handler import handler
from tests.deploy.conftest import json_lines, json_logs
from tests.worker.conftest import Upload, load_event
from tests.worker.images import image_bytes


@dataclass
class WorkerContext:
    function_name: str = "sharebox-WorkerFunction-XyZ789"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = (
        "arn:aws:lambda:us-east-1:123456789012:function:sharebox-WorkerFunction-XyZ789"
    )
    aws_request_id: str = "0b7e2f7c-1f1e-4a43-9d51-9a8c2e1d4f60"

    def get_remaining_time_in_millis(self) -> int:
        return 170_000


@pytest.fixture
def lambda_logs(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", WorkerContext.function_name)
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    with json_logs() as stream:
        yield stream


def test_each_object_logs_one_json_line_with_its_outcome(
    upload: Upload, lambda_logs: io.StringIO, capsys: pytest.CaptureFixture[str]
) -> None:
    good = upload(image_bytes("PNG"))
    fake = upload(b"not an image", name="fake.png")
    event = load_event("sqs_batch_uploads", [good.file_id, fake.file_id, "no-such-file"])

    assert handler(event, WorkerContext()) == {"batchItemFailures": []}

    lines = [line for line in json_lines(lambda_logs) if "outcome" in line]
    assert [(line["fileId"], line["outcome"]) for line in lines] == [
        (good.file_id, "thumbnail_created"),
        (fake.file_id, "rejected:type_mismatch"),
        ("no-such-file", "unknown_file"),
    ]
    assert all(line["level"] == "INFO" and line["service"] == "sharebox" for line in lines)
    assert all(line["function_name"] == WorkerContext.function_name for line in lines)
    assert lines[0]["key"] == f"uploads/{good.file_id}"
    assert isinstance(lines[0]["durationMs"], float)
    emf = [json.loads(out) for out in capsys.readouterr().out.splitlines() if "_aws" in out]
    assert [metrics["UploadsRejected"] for metrics in emf] == [[1.0]]
