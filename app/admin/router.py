"""The administrators' routes (members of the pool's `admins` group; everyone else: 403)."""

from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.admin import audit_views, service
from app.admin import stats as totals
from app.admin.schemas import AdminStats, AdminUserPage, AdminUserUpdate, AdminUserView, AuditPage
from app.auth.dependencies import AdminUser
from app.blocking import run_blocking
from app.clock import Clock
from app.errors import problem_responses
from app.pagination import Cursor, Limit
from app.request_facts import ClientIp
from app.routing import AppRoute

router = APIRouter(prefix="/admin", tags=["admin"], route_class=AppRoute)

UserId = Annotated[str, Path(alias="userId", max_length=64, description="The user's id.")]
Search = Annotated[
    str | None,
    Query(
        max_length=254,
        description="Only users whose email address starts with this (any case).",
    ),
]
AuditOf = Annotated[
    str | None, Query(alias="userId", max_length=64, description="Only this user's entries.")
]


@router.get("/users", responses=problem_responses(400, 401, 403))
async def list_users(
    admin: AdminUser, limit: Limit = 50, cursor: Cursor = None, q: Search = None
) -> AdminUserPage:
    """Every user by email address, with their usage, quota, and whether they are disabled
    or use two-factor login; `q` finds those whose address starts with it."""
    return await run_blocking(service.list_users, limit, cursor, q)


@router.get("/users/{userId}", responses=problem_responses(401, 403, 404))
async def get_user(admin: AdminUser, user_id: UserId) -> AdminUserView:
    """One user, as the list shows them."""
    return await run_blocking(service.get_user, user_id)


@router.patch("/users/{userId}", responses=problem_responses(401, 403, 404, 409, 422))
async def update_user(
    body: AdminUserUpdate, admin: AdminUser, user_id: UserId, ip: ClientIp, clock: Clock
) -> AdminUserView:
    """Set a user's own quota (`quotaBytes`; null: back to the default), or disable them
    (`disabled: true`: no more log-ins, signed out everywhere, and the tokens they hold are
    refused at once) or enable them again. You cannot disable yourself. Logged with who did
    it (`GET /admin/audit`)."""
    return await run_blocking(service.update_user, admin.id, user_id, body, ip=ip, now=clock())


@router.get("/stats", responses=problem_responses(401, 403))
async def stats(admin: AdminUser, clock: Clock) -> AdminStats:
    """Totals: users, files and bytes (recounted every few minutes: `countedAt`), uploads in
    the last 24 hours and the public links that still work."""
    return await run_blocking(totals.stats, clock())


@router.get("/audit", responses=problem_responses(400, 401, 403))
async def audit_log(
    admin: AdminUser, limit: Limit = 50, cursor: Cursor = None, user_id: AuditOf = None
) -> AuditPage:
    """What administrators did, newest first: who, to whom, the fields before and after,
    when and from which IP; `userId` keeps one user's entries."""
    return await run_blocking(audit_views.page, limit, cursor, user_id)
