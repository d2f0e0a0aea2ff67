"""Invitations on the web page, in a real chromium against `python -m app.local`: sharing
with an address that has no account invites it (a pending share, which can be withdrawn)."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import DESKTOP, Server
from tests.web.pages import Api, close, log_in, notice, open_page

pytestmark = pytest.mark.browser


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
