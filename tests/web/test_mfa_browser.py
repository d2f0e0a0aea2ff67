"""Two-step verification on the web page, in a real chromium against `python -m app.local`:
the account page's Security panel turns it on (a QR code and the key, then a code) and off,
and a log-in then asks for the code; the codes are real TOTP codes (pyotp) of the key the page
shows."""

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from tests.web.conftest import DESKTOP, PASSWORD, PHONE, Server
from tests.web.pages import Api, Codes, close, log_in, notice, open_page, shoot

pytestmark = pytest.mark.browser

QR_CODE = "QR code to add Sharebox to an authenticator app"


def security(page: Page) -> Any:
    return page.get_by_role("region", name="Security")


def open_account(page: Page) -> None:
    page.get_by_role("link", name="Account", exact=True).click()
    expect(page.get_by_role("heading", name="Account", level=1)).to_be_visible()


def password_step(page: Page, email: str) -> None:
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()


def send_code(page: Page, code: str) -> None:
    page.get_by_label("6-digit code").fill(code)
    page.get_by_role("button", name="Verify and log in").click()


def turn_on_through_the_api(server: Server, email: str) -> Codes:
    api = Api(server, email)
    setup = api.call("POST", "auth/mfa/setup")
    codes = Codes(setup["secret"])
    api.call("POST", "auth/mfa/enable", {"code": codes.next()})
    return codes


def test_two_step_verification_is_turned_on_with_the_key_shown_asked_at_log_in_and_turned_off(
    browser: Any, server: Server, screenshots: Path
) -> None:
    email = server.new_user("ines")
    api = Api(server, email)
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    open_account(page)
    panel = security(page)
    expect(panel.locator(".mfa-status")).to_have_text("Two-step verification: Off")
    panel.get_by_role("button", name="Turn on").click()
    qr = panel.get_by_role("img", name=QR_CODE)
    expect(qr).to_be_visible()
    assert len(qr.locator("path").get_attribute("d") or "") > 1000  # drawn, module by module
    key = panel.locator(".mfa-secret").inner_text()
    codes = Codes(key)  # typed in by hand: the key as the page shows it, in groups of four
    expect(panel.get_by_label("6-digit code")).to_be_focused()
    shoot(page, screenshots, "desktop-security")

    panel.get_by_label("6-digit code").fill("12 34")
    panel.get_by_role("button", name="Turn on").click()
    expect(panel.get_by_role("alert")).to_have_text(
        "Enter the 6 digits your authenticator app shows."
    )
    panel.get_by_label("6-digit code").fill(codes.next())
    panel.get_by_role("button", name="Turn on").click()
    expect(notice(page)).to_contain_text("Two-step verification is on.")
    expect(panel.locator(".mfa-status")).to_have_text("Two-step verification: On")
    expect(panel.get_by_role("button", name="Turn off")).to_be_focused()
    assert api.call("GET", "users/me")["mfa"] is True

    page.get_by_role("button", name="Log out").click()
    password_step(page, email)
    field = page.get_by_label("6-digit code")
    expect(field).to_have_attribute("inputmode", "numeric")
    expect(field).to_have_attribute("autocomplete", "one-time-code")
    expect(field).to_be_focused()
    send_code(page, codes.wrong())
    expect(page.locator("#login-code-error")).to_contain_text("That code is not right")
    expect(field).to_have_value("")
    send_code(page, codes.next())
    expect(page.get_by_role("heading", name="My files")).to_be_visible()

    open_account(page)
    expect(panel.locator(".mfa-status")).to_have_text("Two-step verification: On")
    panel.get_by_role("button", name="Turn off").click()
    panel.get_by_label("6-digit code").fill(codes.next())
    panel.get_by_role("button", name="Turn off").click()
    expect(notice(page)).to_contain_text("Two-step verification is off.")
    expect(panel.locator(".mfa-status")).to_have_text("Two-step verification: Off")
    expect(panel.get_by_role("button", name="Turn on")).to_be_focused()
    # The page's log-out above signed `api` out too; with two-step off, a password is enough.
    assert Api(server, email).call("GET", "users/me")["mfa"] is False
    page.get_by_role("button", name="Log out").click()
    log_in(page, email)  # the password alone again
    close(page)


def test_a_phone_logs_in_with_the_code_its_authenticator_shows(
    browser: Any, server: Server, screenshots: Path
) -> None:
    email = server.new_user("jonas")
    codes = turn_on_through_the_api(server, email)
    page = open_page(browser, server, PHONE)
    password_step(page, email)
    expect(page.get_by_text(f"One more step to log in as {email}.")).to_be_visible()
    page.get_by_label("6-digit code").fill(codes.next())
    shoot(page, screenshots, "phone-mfa-login")
    page.get_by_role("button", name="Verify and log in").click()
    expect(page.get_by_role("heading", name="My files")).to_be_visible()
    page.reload()  # the code step's log-in left the same session cookie as a password log-in
    expect(page.get_by_role("heading", name="My files")).to_be_visible()
    close(page)


def test_a_log_in_that_can_no_longer_take_a_code_goes_back_to_the_password(
    browser: Any, server: Server
) -> None:
    email = server.new_user("kasia")
    codes = turn_on_through_the_api(server, email)
    page = open_page(browser, server, DESKTOP)
    password_step(page, email)

    def stale_session(route: Route) -> None:
        body = json.loads(route.request.post_data or "{}")
        route.continue_(post_data=json.dumps({**body, "session": "a-session-already-answered"}))

    page.route("**/auth/login/mfa", stale_session)
    send_code(page, codes.next())
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Log in again")).to_contain_text(
        "can no longer take a code"
    )
    expect(page.get_by_label("Email")).to_have_value(email)
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.unroute("**/auth/login/mfa")

    password_step(page, email)
    page.get_by_role("button", name="Log in with another account").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    close(page)
