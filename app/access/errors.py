"""The access domain's errors (problem+json codes of API.md)."""

from app.errors import Conflict


class LimitReached(Conflict):
    """A file already has as many shares, or active links, as it may."""

    code = "limit_reached"
