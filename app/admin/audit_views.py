"""The audit log as administrators read it (`GET /admin/audit`)."""

from app.admin import audit
from app.admin.schemas import AuditEntry, AuditPage, AuditPerson
from app.pagination import decode_cursor, encode_cursor


def page(limit: int, cursor: str | None, target_id: str | None) -> AuditPage:
    """The log, or one user's entries, newest first."""
    scope = f"audit:{target_id or ''}"
    found = audit.page(limit, decode_cursor(cursor, scope), target_id)
    return AuditPage(
        items=[_entry(entry) for entry in found.items],
        next_cursor=encode_cursor(found.last_key, scope),
    )


def _entry(entry: audit.Entry) -> AuditEntry:
    return AuditEntry(
        at=entry.at,
        action=entry.action,
        actor=AuditPerson(user_id=entry.actor.user_id, email=entry.actor.email),
        target=AuditPerson(user_id=entry.target.user_id, email=entry.target.email),
        before=entry.before,
        after=entry.after,
        outcome=entry.outcome,
        ip=entry.ip,
    )
