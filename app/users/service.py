"""Keeping a user's profile and email lookup in line with what Cognito says about them.

Sharing by email trusts the `EMAIL#` lookup, so it is written only for an address Cognito has
verified, never taken from another user, and dropped once the user's address changes. The
invitations of an address are delivered at that same moment, never before.
"""

from collections.abc import Mapping

from app.access import limits
from app.clock import iso, utcnow
from app.errors import NotFound
from app.settings import get_settings
from app.users import repository as users
from app.users.repository import Profile

MAX_QUOTA_BYTES = 1024**5  # 1 PiB: the largest quota an administrator may give


def quota_of(profile: Profile | None) -> int:
    """The user's byte quota: an administrator's override, else the default."""
    if profile is not None and profile.quota_bytes is not None:
        return profile.quota_bytes
    return get_settings().default_quota_bytes


def quota_for(user_id: str) -> int:
    """`quota_of` the user's profile (one GetItem)."""
    return quota_of(users.get_profile(user_id))


def sync_profile(
    user_id: str, email: str, *, verified: bool, name: str | None = None
) -> Profile | None:
    """Create or update the profile from Cognito's `email` and `email_verified`; idempotent.

    The lookup follows the address only once it is verified, and only if no other user holds
    it; an address the user no longer has (or that is no longer verified) stops resolving.
    """
    profile = users.get_profile(user_id)
    changed = (
        profile is None
        or profile.email != email
        or bool(name and profile.name != name)
        or not profile.listed  # written before the administrators' index existed
    )
    if changed:
        users.save_profile(user_id, email, name)
    held = profile.verified_email if profile else None
    address = email.lower()
    keep = None
    if verified and address:
        keep = address if held == address or users.claim_email(user_id, address) else None
    if keep != held:
        users.set_verified_email(user_id, keep)
        if held:
            users.release_email(user_id, held)
        if keep:  # the address is now proven theirs: what it was invited to is theirs too
            limits.deliver_invitations(user_id, keep, iso(utcnow()))
        changed = True
    return users.get_profile(user_id) if changed else profile


def update_settings(
    user_id: str, *, name: str | None = None, notifications: Mapping[str, bool] | None = None
) -> Profile:
    """Change the user's name and the kinds of email given (the others stay as they are)."""
    if not users.update_profile(user_id, name=name, notifications=notifications):
        raise NotFound("There is no such user.", code="user_not_found")
    profile = users.get_profile(user_id)
    if profile is None:  # deleted between the two calls
        raise NotFound("There is no such user.", code="user_not_found")
    return profile
