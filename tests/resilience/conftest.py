"""A tight AWS time budget, so tests of a silent dependency take a second, not fifteen."""

import os
from collections.abc import Iterator

import pytest

from tests.conftest import reload_settings

TIGHT = {
    "AWS_CONNECT_TIMEOUT_SECONDS": "0.2",
    "AWS_READ_TIMEOUT_SECONDS": "0.4",
    "AWS_MAX_ATTEMPTS": "3",
    "AWS_REQUEST_BUDGET_SECONDS": "1.5",
    "RETRY_AFTER_SECONDS": "7",
}


@pytest.fixture
def tight_budget(aws: object) -> Iterator[dict[str, str]]:
    """The budget's settings scaled down (the clients are rebuilt with its timeouts)."""
    before = {name: os.environ.get(name) for name in TIGHT}
    os.environ.update(TIGHT)
    reload_settings()
    try:
        yield TIGHT
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        reload_settings()
