"""The trash's client errors (problem+json codes of API.md)."""

from app.errors import NotFound


class NotInTrash(NotFound):
    code, detail = "not_in_trash", "Nothing with this id is in your trash."
