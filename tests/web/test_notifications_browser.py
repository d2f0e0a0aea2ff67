"""Invitations and email settings on the web page, in a real chromium against
`python -m app.local`: sharing with an address that has no account invites it (a pending
share, which can be withdrawn), and the account page's notification switches persist."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import DESKTOP, PHONE, Server
from tests.web.pages import Api, close, log_in, notice, open_page, shoot

pytestmark = pytest.mark.browser

SWITCHES = {
    "shares": "Something is shared with me",
    "requests": "Files arrive through my requests",
    "rejections": "An upload of mine is rejected",
}


def people(page: Page) -> Any:
    return page.locator("ul.people")


def invite(page: Page, address: str) -> None:
    page.get_by_label("Share with (email)").fill(address)
    page.get_by_role("button", name="Share", exact=True).click()


def test_sharing_with_an_address_without_an_account_invites_it_and_the_invitation_is_withdrawn(
    browser: Any, server: Server
) -> None:
    email = server.new_user("rosa")
    api = Api(server, email)
    folder = api.folder("Plans")
    stranger = "nobody-yet.7a1c@example.com"
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    page.goto(f"{server.url}#/folder/{folder}")
    page.get_by_role("button", name="Share folder").click()
    invite(page, stranger)
    expect(notice(page)).to_contain_text(f"Invitation sent to {stranger}")
    expect(page.locator("#share-error")).to_be_hidden()
    entry = people(page).locator("li").filter(has_text=stranger)
    expect(entry.locator(".badge-invited")).to_have_text("Pending — invited")
    expect(entry).to_contain_text("gets access on signing up")
    [share] = api.call("GET", f"folders/{folder}/shares")["items"]
    assert share["pending"] is True and share["userId"] is None

    entry.get_by_role("button", name=f"Cancel the invitation of {stranger}").click()
    expect(notice(page)).to_contain_text(f"The invitation of {stranger} is cancelled.")
    expect(people(page)).to_contain_text("Only you can see this folder.")
    assert api.call("GET", f"folders/{folder}/shares")["items"] == []
    close(page)


def switch(page: Page, kind: str) -> Any:
    return page.get_by_role("switch", name=SWITCHES[kind])


def open_account(page: Page) -> None:
    page.get_by_role("link", name="Account", exact=True).click()
    expect(page.get_by_role("heading", name="Account", level=1)).to_be_visible()


def test_notification_switches_save_as_they_are_flipped_and_stay_after_a_reload(
    browser: Any, server: Server, screenshots: Path
) -> None:
    email = server.new_user("sami")
    api = Api(server, email)
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    open_account(page)
    for kind in SWITCHES:
        expect(switch(page, kind)).to_be_checked()  # every kind is on until turned off
    switch(page, "requests").click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    expect(switch(page, "requests")).not_to_be_checked()
    switch(page, "rejections").press("Space")  # the keyboard flips it too
    expect(switch(page, "rejections")).not_to_be_checked()
    expect(switch(page, "rejections")).to_be_enabled()
    assert api.call("GET", "users/me")["notifications"] == {
        "shares": True,
        "requests": False,
        "rejections": False,
    }
    shoot(page, screenshots, "desktop-notification-settings")

    page.reload()
    expect(page.get_by_role("heading", name="Account", level=1)).to_be_visible()
    expect(switch(page, "shares")).to_be_checked()
    expect(switch(page, "requests")).not_to_be_checked()
    expect(switch(page, "rejections")).not_to_be_checked()
    switch(page, "requests").click()
    expect(switch(page, "requests")).to_be_checked()
    expect(switch(page, "requests")).to_be_enabled()
    assert api.call("GET", "users/me")["notifications"]["requests"] is True

    page.get_by_label("Name", exact=True).fill("Quinn Sami")
    page.get_by_role("button", name="Save name").click()
    expect(notice(page)).to_contain_text("Name saved.")
    expect(page.locator("#user-menu .avatar")).to_have_text("Q")
    assert api.call("GET", "users/me")["name"] == "Quinn Sami"
    close(page)


def test_a_phone_reaches_the_account_page_from_the_top_bar(browser: Any, server: Server) -> None:
    email = server.new_user("tilda")
    page = open_page(browser, server, PHONE)
    log_in(page, email)
    expect(page.get_by_role("link", name="Account", exact=True)).to_be_hidden()
    page.get_by_role("link", name=f"Account: {email}").click()
    expect(page.get_by_role("heading", name="Account", level=1)).to_be_visible()
    expect(switch(page, "shares")).to_be_visible()
    close(page)
