"""Fixtures for notification tests: `queue` (tests/conftest.py), emptied around each test."""

from tests.conftest import drain

__all__ = ["drain"]
