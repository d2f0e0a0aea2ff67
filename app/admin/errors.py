"""The admin domain's errors."""

from app.errors import Conflict


class CannotDisableSelf(Conflict):
    code, detail = (
        "cannot_disable_self",
        "You cannot disable your own account; ask another administrator.",
    )
