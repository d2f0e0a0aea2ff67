"""The docs pages in a real chromium, offline: every request to another host is refused."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import DESKTOP, PASSWORD, Server

pytestmark = pytest.mark.browser


def _offline_page(browser: Any, server: Server) -> tuple[Page, list[str], list[str]]:
    """A page that can reach only the server; returns it, the hosts it tried, CSP violations."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    outside: list[str] = []
    violations: list[str] = []

    def only_the_server(route: Any) -> None:
        if route.request.url.startswith(server.origin + "/"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_the_server)
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return page, outside, violations


def test_swagger_ui_renders_offline_and_authorize_logs_in_with_the_password_flow(
    browser: Any, server: Server
) -> None:
    email = server.new_user("docs")
    page, outside, violations = _offline_page(browser, server)
    page.goto(server.url + "docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Sharebox")
    expect(page.locator(".opblock").first).to_be_visible()

    page.get_by_role("button", name="Authorize").first.click()
    dialog = page.locator(".dialog-ux")
    # The password form's block (the dialog also has the Bearer field, for two-factor users).
    password_flow = dialog.locator(".auth-container", has_text="OAuth2PasswordBearer")
    password_flow.locator("input#oauth_username").fill(email)
    password_flow.locator("input#oauth_password").fill(PASSWORD)
    password_flow.locator("button.authorize", has_text="Authorize").click()
    # Swagger UI shows Logout only once /auth/token answered with a token.
    expect(password_flow.locator("button", has_text="Logout")).to_be_visible()

    assert outside == []
    assert violations == []
    page.context.close()


def test_redoc_renders_offline_under_its_policy(browser: Any, server: Server) -> None:
    page, outside, violations = _offline_page(browser, server)
    page.goto(server.url + "redoc")
    expect(page.locator("h1").first).to_contain_text("Sharebox")
    expect(page.get_by_text("/files/{fileId}").first).to_be_attached()

    assert outside == []
    # ReDoc's bundle has one outside URL, its "API docs by Redocly" logo: the policy stops it
    # before it leaves, and ReDoc then hides the image. Nothing else is refused.
    others = [text for text in violations if "cdn.redoc.ly/redoc/logo-mini.svg" not in text]
    assert others == []
    expect(page.get_by_alt_text("redocly logo")).to_have_count(0)
    page.context.close()
