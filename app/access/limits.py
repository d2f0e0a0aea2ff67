"""At most 50 active links and 500 shares per file, counted so that racing requests cannot pass.

One item per file, `FILE#<fileId>` / `LIMITS` (its shape lives only here), deleted with the
file's other sharing items:
- `shareCount`: the file's shares. A place is reserved with one conditional `ADD` (below the
  limit) before the share is written, and given back when the write finds the share already
  there or fails, and when the share is revoked. Parallel shares serialize on the counter; a
  crash between the two writes can only leave it one too high, never too low.
- `linkSlots`: a string set of the tokens of links that may be active. A link takes its slot
  with one conditional `ADD` (`size(linkSlots) < 50`) right after its item is written, and
  revoking gives the slot back. An expired or used-up link keeps its slot until the set is
  full; then the slots of links that are no longer active (expired, out of downloads, revoked,
  gone) are freed and the slot is tried once more. So "active" means exactly what
  `LinkRecord.usable_at` says, and no sweep runs on any other request.
- `requestSlots`: the same for a folder's live upload requests (at most 20; live is what
  `RequestRecord.usable_at` says: not expired, not revoked).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app import db
from app.access import links, requests, shares, subjects
from app.access.errors import LimitReached
from app.access.links import LinkRecord
from app.access.requests import RequestRecord
from app.access.shares import ShareRecord

MAX_LINKS = 50
MAX_SHARES = 500
MAX_REQUESTS = 20
SORT_KEY = "LIMITS"


@dataclass(frozen=True)
class _Slots:
    """A string set of tokens on the LIMITS item, at most `limit` long."""

    attribute: str
    limit: int


# Which of a subject's tokens still hold their slot (subject id, tokens, now).
_Alive = Callable[[str, set[str], datetime], set[str]]


LINK_SLOTS = _Slots("linkSlots", MAX_LINKS)
REQUEST_SLOTS = _Slots("requestSlots", MAX_REQUESTS)


def add_share(record: ShareRecord) -> tuple[ShareRecord, bool]:
    """Store the share within the file's limit; returns the stored share and whether it is new."""
    if not _reserve_share(record.file_id):
        existing = shares.get_share(record.file_id, record.member)
        if existing is not None:  # sharing again stays idempotent at the limit
            return existing, False
        raise LimitReached(f"A file can be shared with at most {MAX_SHARES} people.")
    try:
        stored, created = shares.create_share(record)
    except Exception:
        _release_share(record.file_id)
        raise
    if not created:
        _release_share(record.file_id)
    return stored, created


def remove_share(file_id: str, member: str) -> ShareRecord | None:
    """Revoke the share (or invitation: `shares.invitee(address)`) and give its place back;
    None when there was none."""
    removed = shares.delete_share(file_id, member)
    if removed is not None:
        _release_share(file_id)
    return removed


def deliver_invitations(user_id: str, address: str, at: str) -> list[ShareRecord]:
    """Every invitation of `address` becomes a share with `user_id` (who has just been verified
    as its holder), keeping the place it held; an invitation to something the user already has
    a share of is dropped and its place given back. Returns the invitations delivered."""
    delivered = []
    for invitation in shares.invitations_of(address):
        if invitation.owner_id == user_id:  # invited before the address was the owner's own
            remove_share(invitation.file_id, invitation.member)
        elif shares.deliver(invitation, user_id, at):
            delivered.append(invitation)
        elif shares.get_share(invitation.file_id, user_id) is not None:
            remove_share(invitation.file_id, invitation.member)
    return delivered


def add_link(record: LinkRecord, now: datetime) -> None:
    """Store the link if the file has fewer than MAX_LINKS active ones, else LimitReached.

    The link is written before its slot is taken, so a slot always names a link that can be
    read: freeing the slots of missing links never frees one still being created. Until the
    slot is taken nobody holds the token, and past the limit the link is deleted again.
    """
    links.create_link(record)
    _hold_slot(
        LINK_SLOTS,
        record.file_id,
        record.token,
        now,
        alive=links.alive_among,
        undo=lambda: links.delete_link(record.token, record.file_id),
        refusal=f"A file can have at most {MAX_LINKS} active links.",
    )


def remove_link(token: str, file_id: str) -> LinkRecord | None:
    """Delete the link if it is this file's and free its slot; returns what was removed."""
    removed = links.delete_link(token, file_id)
    if removed is not None:
        _free_slots(LINK_SLOTS, file_id, {removed.token})
    return removed


def add_request(record: RequestRecord, now: datetime) -> None:
    """Store the upload request if its folder has fewer than MAX_REQUESTS live ones, else
    LimitReached (and nothing stays written), as links do."""
    requests.create_request(record)
    _hold_slot(
        REQUEST_SLOTS,
        record.folder_id,
        record.token,
        now,
        alive=requests.alive_among,
        undo=lambda: requests.delete_request(record.token),
        refusal=f"A folder can have at most {MAX_REQUESTS} live upload requests.",
    )


def remove_request(token: str, folder_id: str) -> RequestRecord | None:
    """Revoke the folder's request and free its slot; returns what was revoked."""
    revoked = requests.revoke(token, folder_id)
    if revoked is not None:
        _free_slots(REQUEST_SLOTS, folder_id, {token})
    return revoked


def _hold_slot(
    slots: _Slots,
    subject_id: str,
    token: str,
    now: datetime,
    *,
    alive: _Alive,
    undo: Callable[[], object],
    refusal: str,
) -> None:
    """Take the slot of an item just written, or undo the write (and say why)."""
    try:
        taken = _take_slot(slots, subject_id, token, now, alive)
    except Exception:
        undo()
        raise
    if not taken:
        undo()
        raise LimitReached(refusal)


def _take_slot(slots: _Slots, subject_id: str, token: str, now: datetime, alive: _Alive) -> bool:
    """Take the slot; when the set is full, free the dead ones and try once more."""
    if _add_slot(slots, subject_id, token):
        return True
    tokens = _slot_tokens(slots, subject_id)
    _free_slots(slots, subject_id, tokens - alive(subject_id, tokens, now))
    return _add_slot(slots, subject_id, token)


def forget(file_id: str) -> None:
    """Delete a deleted file's counters."""
    db.delete_prefixed(subjects.partition(file_id), (SORT_KEY,))


def _key(file_id: str) -> dict[str, Any]:
    return {"pk": {"S": subjects.partition(file_id)}, "sk": {"S": SORT_KEY}}


def _update(file_id: str, expression: str, values: dict[str, Any], condition: str = "") -> bool:
    """One UpdateItem on the file's LIMITS item; False when its condition failed."""
    request: dict[str, Any] = {
        "TableName": db.table_name(),
        "Key": _key(file_id),
        "UpdateExpression": expression,
        "ExpressionAttributeValues": values,
    }
    if condition:
        request["ConditionExpression"] = condition
    with db.call(db.CONDITION_FAILED) as write:
        db.dynamodb().update_item(**request)
    return write.refused is None


def _reserve_share(file_id: str) -> bool:
    return _update(
        file_id,
        "ADD shareCount :one",
        db.to_values({":one": 1, ":max": MAX_SHARES}),
        "attribute_not_exists(shareCount) OR shareCount < :max",
    )


def _release_share(file_id: str) -> None:
    # Never below zero: shares made before the counter existed were never counted.
    _update(
        file_id,
        "ADD shareCount :minus",
        db.to_values({":minus": -1, ":zero": 0}),
        "shareCount > :zero",
    )


def _add_slot(slots: _Slots, subject_id: str, token: str) -> bool:
    return _update(
        subject_id,
        f"ADD {slots.attribute} :token",
        {":token": {"SS": [token]}, ":max": {"N": str(slots.limit)}},
        f"attribute_not_exists({slots.attribute}) OR size({slots.attribute}) < :max",
    )


def _free_slots(slots: _Slots, subject_id: str, tokens: set[str]) -> None:
    if tokens:  # conditional, so a stray call never creates the item
        _update(
            subject_id,
            f"DELETE {slots.attribute} :tokens",
            {":tokens": {"SS": sorted(tokens)}},
            f"attribute_exists({slots.attribute})",
        )


def _slot_tokens(slots: _Slots, subject_id: str) -> set[str]:
    with db.call():
        answer = db.dynamodb().get_item(
            TableName=db.table_name(),
            Key=_key(subject_id),
            ConsistentRead=True,
            ProjectionExpression=slots.attribute,
        )
    return set((db.from_item(answer.get("Item")) or {}).get(slots.attribute, set()))
