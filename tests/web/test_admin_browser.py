"""The admin page, in a real chromium against `python -m app.local`: an administrator (a member
of the pool's `admins` group) finds users by email prefix, pages through them, sets a quota,
disables a user (who is signed out and refused) and enables them again; anyone else is told
the page is not for them."""

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import DESKTOP, PASSWORD, PHONE, Server
from tests.web.pages import (
    Api,
    Codes,
    add_to_group,
    browse_until_sent_to_log_in,
    close,
    log_in,
    notice,
    open_page,
    shoot,
)

pytestmark = pytest.mark.browser

MB = 1024**2


def sign_up(server: Server, email: str) -> str:
    status, _, body = server.request("POST", "auth/signup", {"email": email, "password": PASSWORD})
    assert status == 201, body
    return email


def team(server: Server, *names: str) -> tuple[str, list[str]]:
    """Users whose addresses share a prefix no other test's users have: (prefix, addresses)."""
    prefix = f"team-{uuid.uuid4().hex[:6]}"
    return prefix, [sign_up(server, f"{prefix}-{name}@example.com") for name in names]


def admin_page(browser: Any, server: Server, email: str, viewport: dict[str, int]) -> Page:
    add_to_group(server, email)
    page = open_page(browser, server, viewport)
    log_in(page, email)  # a log-in after joining the group: the token carries it
    return page


def open_admin(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    expect(page.get_by_role("heading", name="Admin", level=1)).to_be_visible()


def search(page: Page, text: str) -> None:
    page.get_by_label("Search users by email").fill(text)
    page.get_by_role("button", name="Search").click()


def rows(page: Page) -> Any:
    return page.locator("table.admin-users tbody tr")


def row_of(page: Page, email: str) -> Any:
    return rows(page).filter(has_text=email)


def set_quota(page: Page, email: str, amount: str, unit: str) -> None:
    row_of(page, email).get_by_role("button", name=f"Set the quota of {email}").click()
    dialog = page.get_by_role("dialog", name=f"Storage quota of {email}")
    expect(dialog.get_by_label("Use the default quota for everyone")).to_be_checked()
    dialog.get_by_label("Use the default quota for everyone").uncheck()
    dialog.get_by_label("Quota", exact=True).fill(amount)
    dialog.get_by_label("Unit").select_option(unit)
    dialog.get_by_role("button", name="Save quota").click()
    expect(dialog).to_have_count(0)


def confirm(page: Page, title: str, button: str) -> None:
    dialog = page.get_by_role("dialog", name=title)
    dialog.get_by_role("button", name=button).click()
    expect(dialog).to_have_count(0)


def test_an_admin_sets_a_quota_and_disables_a_user_who_is_signed_out_and_refused_until_enabled(
    browser: Any, server: Server, screenshots: Path
) -> None:
    prefix, [admin, ana, bea, cyd] = team(server, "admin", "ana", "bea", "cyd")
    ana_api = Api(server, ana)
    ana_api.call("POST", "auth/mfa/setup")  # set up but never enabled: no badge
    bea_api = Api(server, bea)
    bea_codes = Codes(bea_api.call("POST", "auth/mfa/setup")["secret"])
    bea_api.call("POST", "auth/mfa/enable", {"code": bea_codes.next()})
    ana_page = open_page(browser, server, DESKTOP)
    log_in(ana_page, ana)

    page = admin_page(browser, server, admin, DESKTOP)
    open_admin(page)
    for label in ("Users", "Files", "Stored", "Uploads (24 h)", "Active links"):
        expect(page.locator(".stat dt", has_text=label)).to_be_visible()
    search(page, f"{prefix}-")
    expect(rows(page)).to_have_count(4)
    expect(page.get_by_role("status").filter(has_text="users shown")).to_have_text("4 users shown.")
    expect(row_of(page, bea).locator(".badge-mfa")).to_have_text("2-step on")
    expect(row_of(page, ana).locator(".badge-mfa")).to_have_count(0)
    expect(row_of(page, cyd).locator(".badge")).to_have_count(0)
    expect(row_of(page, admin).locator(".badge-you")).to_have_text("You")
    expect(row_of(page, admin).get_by_role("button", name=f"Disable {admin}")).to_be_disabled()
    search(page, ana.upper()[: len(prefix) + 3])  # any case
    expect(rows(page)).to_have_count(1)
    search(page, f"{prefix}-")

    set_quota(page, ana, "2", "MB")
    expect(notice(page)).to_contain_text(f"The quota of {ana} is now 2 MB.")
    expect(row_of(page, ana).get_by_role("meter", name=f"Storage of {ana}")).to_have_attribute(
        "aria-valuetext", "0 B of 2 MB used"
    )
    expect(row_of(page, ana)).to_contain_text("custom quota")
    assert ana_api.call("GET", "users/me")["quota"]["bytes"] == 2 * MB

    row_of(page, ana).get_by_role("button", name=f"Disable {ana}").click()
    confirm(page, f"Disable {ana}?", "Disable")
    expect(notice(page)).to_contain_text(f"{ana} is disabled and signed out.")
    expect(row_of(page, ana).locator(".badge-disabled")).to_have_text("Disabled")
    log = page.get_by_role("region", name="Admin log").locator("li")
    expect(log.first).to_contain_text(f"{admin} disabled {ana}")
    expect(log.nth(1)).to_contain_text(f"{admin} set the quota of {ana} to 2 MB (was the default)")
    expect(page.locator("#toasts .toast")).to_have_count(0, timeout=10_000)  # for the picture
    shoot(page, screenshots, "desktop-admin")

    # Ana's open page is refused, and her password no longer logs her in.
    browse_until_sent_to_log_in(ana_page)
    expect(ana_page.locator("#toasts")).to_contain_text("Your session has ended")
    ana_page.get_by_label("Email").fill(ana)
    ana_page.get_by_label("Password", exact=True).fill(PASSWORD)
    ana_page.get_by_role("button", name="Log in").click()
    expect(ana_page.locator("#login-error")).to_be_visible()
    expect(ana_page.get_by_role("heading", name="Log in")).to_be_visible()

    row_of(page, ana).get_by_role("button", name=f"Re-enable {ana}").click()
    confirm(page, f"Re-enable {ana}?", "Re-enable")
    expect(notice(page)).to_contain_text(f"{ana} is enabled again.")
    expect(row_of(page, ana).locator(".badge-disabled")).to_have_count(0)
    ana_page.get_by_role("button", name="Log in").click()
    expect(ana_page.get_by_role("heading", name="My files")).to_be_visible()
    expect(ana_page.get_by_role("meter", name="Storage")).to_have_attribute(
        "aria-valuetext", re.compile(r"of 2 MB used$")
    )

    row_of(page, ana).get_by_role("button", name=f"Set the quota of {ana}").click()
    dialog = page.get_by_role("dialog", name=f"Storage quota of {ana}")
    dialog.get_by_label("Use the default quota for everyone").check()
    dialog.get_by_role("button", name="Save quota").click()
    expect(notice(page)).to_contain_text(f"The quota of {ana} is now the default, 10 GB.")
    expect(row_of(page, ana)).not_to_contain_text("custom quota")
    close(ana_page)
    close(page)


def test_an_admin_pages_through_users_with_load_more(browser: Any, server: Server) -> None:
    prefix, emails = team(server, *(f"u{n:02d}" for n in range(26)))
    page = admin_page(browser, server, emails[0], PHONE)
    page.get_by_role("link", name="Admin").click()  # a phone: the top bar's shield
    expect(page.get_by_role("heading", name="Admin", level=1)).to_be_visible()
    search(page, prefix)
    shown = page.get_by_role("status").filter(has_text="users shown")
    expect(shown).to_have_text("25 users shown; more below.")
    more = page.get_by_role("button", name="Load more")
    more.click()
    expect(shown).to_have_text("26 users shown.")
    expect(rows(page)).to_have_count(26)
    expect(rows(page).filter(has_text=prefix)).to_have_count(26)
    expect(more).to_be_hidden()
    search(page, f"{prefix}-nobody")
    expect(page.get_by_role("status").filter(has_text="starts with")).to_have_text(
        f"No user's email starts with “{prefix}-nobody”."
    )
    close(page)


def test_someone_who_is_not_an_admin_has_no_admin_link_and_is_not_allowed_in(
    browser: Any, server: Server
) -> None:
    email = server.new_user("nadia")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    expect(page.get_by_role("link", name="Account", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Admin")).to_have_count(0)
    page.goto(f"{server.url}#/admin")
    expect(page.get_by_role("heading", name="Not allowed", level=1)).to_be_visible()
    expect(page.get_by_text("only for Sharebox administrators")).to_be_visible()
    status, _, body = server.request("GET", "admin/stats", headers=Api(server, email).auth)
    assert (status, body["code"]) == (403, "forbidden")
    close(page)
