"""The web page in a real chromium against `python -m app.local`, as a new user tries it."""

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.conftest import DESKTOP, PASSWORD, PHONE, Server
from tests.web.pages import (
    browse_until_sent_to_log_in,
    close,
    drop,
    log_in,
    notice,
    open_detail,
    open_page,
    png_bytes,
    progress_of,
    row_of,
    shoot,
    upload,
    wait_available,
)

pytestmark = pytest.mark.browser

NOTES = b"Meeting notes\n" * 200


def test_new_user_signs_up_with_the_password_rules_shown_then_logs_out_and_in(
    browser: Any, server: Server, screenshots: Path
) -> None:
    page = open_page(browser, server, DESKTOP)
    shoot(page, screenshots, "desktop-login")
    page.get_by_role("link", name="Create an account").click()
    rules = page.get_by_role("list", name="Password rules")
    expect(rules.get_by_role("listitem")).to_have_count(4)
    email = f"ada.{uuid.uuid4().hex[:6]}@example.com"
    page.get_by_label("Name (optional)").fill("Ada Lovelace")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("short")
    expect(rules.locator("li.ok")).to_have_count(1)  # the lower-case letter only
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("alert")).to_contain_text("does not meet every rule")

    page.get_by_label("Password", exact=True).fill("Sharebox-rules-1")
    expect(rules.locator("li.ok")).to_have_count(4)
    shoot(page, screenshots, "desktop-signup")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", name="My files")).to_be_visible()
    expect(page.get_by_text("No files yet")).to_be_visible()
    expect(page.locator("#user-menu")).to_contain_text(email)
    page.get_by_role("button", name="Log out").click()
    log_in(page, email, "Sharebox-rules-1")
    close(page)


def test_wrong_password_is_explained_in_plain_words(browser: Any, server: Server) -> None:
    email = server.new_user("grace")
    page = open_page(browser, server, PHONE)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("Not-the-password-1")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text(re.compile("password", re.I))
    close(page)


def test_image_and_text_uploads_reach_100_percent_and_become_available_with_a_thumbnail(
    browser: Any, server: Server, screenshots: Path
) -> None:
    email = server.new_user("linus")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    upload(page, [{"name": "harbour.png", "mimeType": "image/png", "buffer": png_bytes()}])
    drop(page, [("notes.txt", "text/plain", NOTES)])
    for name in ("harbour.png", "notes.txt"):
        expect(progress_of(page, name)).to_have_attribute("aria-valuenow", "100")
        wait_available(page, name)
    thumbnail = row_of(page, "harbour.png").locator("img.thumb-img")
    expect(thumbnail).to_be_visible(timeout=30_000)
    assert thumbnail.evaluate("img => img.naturalWidth") > 0
    expect(row_of(page, "notes.txt").locator("img")).to_have_count(0)
    expect(page.get_by_role("meter", name="Storage")).to_have_attribute(
        "aria-valuetext", re.compile(r"KB of 10 GB used")
    )
    shoot(page, screenshots, "desktop-files")

    phone = open_page(browser, server, PHONE)
    log_in(phone, email)
    expect(row_of(phone, "harbour.png").locator("img.thumb-img")).to_be_visible()
    shoot(phone, screenshots, "phone-files")
    close(phone)
    close(page)


def test_large_upload_goes_multipart_and_resumes_after_a_reload(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    big = tmp_path / "archive.bin"
    big.write_bytes(bytes(range(256)) * (17 * 4096))  # 17 MiB: four 5 MiB parts
    email = server.new_user("margaret")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)

    # Let part 1 land, then cut the connection for the rest, as a dropped network would.
    def only_first_part(route: Any) -> None:
        if route.request.method == "PUT" and "partNumber=1&" not in route.request.url + "&":
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(f"{server.moto_url}/**", only_first_part)
    upload(page, [big])
    item = page.locator("li.upload").filter(has_text="archive.bin")
    expect(item).to_have_attribute("data-state", "failed")
    page.unroute(f"{server.moto_url}/**")

    page.reload()
    expect(page.get_by_role("heading", name="Unfinished uploads")).to_be_visible()
    sent_parts: list[str] = []
    page.on(
        "request",
        lambda request: (
            sent_parts.append(re.search(r"partNumber=(\d+)", request.url).group(1))  # type: ignore[union-attr]
            if request.method == "PUT" and "partNumber=" in request.url
            else None
        ),
    )
    page.locator("input[id^=resume-]").set_input_files(big)
    expect(progress_of(page, "archive.bin")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("li.upload").filter(has_text="archive.bin")).to_contain_text("resumed")
    wait_available(page, "archive.bin")
    assert sorted(sent_parts) == ["2", "3", "4"]
    expect(row_of(page, "archive.bin")).to_contain_text("17 MB")
    close(page)


def test_owner_shares_a_file_and_the_other_user_sees_it_in_shared_with_me_and_downloads_it(
    browser: Any, server: Server, screenshots: Path
) -> None:
    owner, friend = server.new_user("owner"), server.new_user("friend")
    page = open_page(browser, server, DESKTOP)
    log_in(page, owner)
    upload(page, [{"name": "plan.txt", "mimeType": "text/plain", "buffer": NOTES}])
    wait_available(page, "plan.txt")
    open_detail(page, "plan.txt")
    page.get_by_label("Share with (email)").fill(friend)
    page.get_by_role("button", name="Share", exact=True).click()
    people = page.locator("ul.people")
    expect(people).to_contain_text(friend)
    expect(page.locator("ol.activity")).to_contain_text(f"shared the file with {friend}")

    other = open_page(browser, server, DESKTOP)
    log_in(other, friend)
    other.get_by_role("link", name="Shared with me").click()
    expect(other.get_by_role("heading", name="Shared with me")).to_be_visible()
    wait_available(other, "plan.txt")
    shoot(other, screenshots, "desktop-shared")
    with other.expect_download() as download_info:
        other.get_by_role("button", name="Download plan.txt").click()
    download = download_info.value
    assert download.suggested_filename == "plan.txt"
    assert Path(download.path()).read_bytes() == NOTES

    page.reload()
    expect(page.locator("ol.activity")).to_contain_text(f"{friend} downloaded the file")
    close(other)
    close(page)


def test_password_link_opens_in_a_fresh_browser_context(
    browser: Any, server: Server, screenshots: Path
) -> None:
    owner = server.new_user("alan")
    page = open_page(browser, server, DESKTOP)
    log_in(page, owner)
    upload(
        page, [{"name": "sunset.png", "mimeType": "image/png", "buffer": png_bytes((230, 120, 40))}]
    )
    wait_available(page, "sunset.png")
    expect(row_of(page, "sunset.png").locator("img.thumb-img")).to_be_visible(timeout=30_000)
    open_detail(page, "sunset.png")
    page.get_by_label("Download limit").fill("3")
    page.get_by_label("Password (optional)").fill("open-sesame")
    page.get_by_role("button", name="Create link").click()
    link = page.locator("li.link").first
    expect(link).to_contain_text("0 of 3 downloads")
    expect(link).to_contain_text("Password")
    url = link.get_by_label("Public link address").input_value()
    assert url.startswith(f"{server.url}s/")

    for viewport, prefix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        stranger = open_page(browser, server, viewport, url.removeprefix(server.url))
        # A password link names its file only after the right password.
        heading = stranger.get_by_role("heading", level=1)
        expect(heading).to_have_text("A password-protected file")
        expect(stranger.get_by_text("sunset.png")).to_have_count(0)
        stranger.get_by_label("Password").fill("wrong-guess")
        stranger.get_by_role("button", name="Download").click()
        expect(stranger.get_by_role("alert")).to_contain_text("password is not right")
        shoot(stranger, screenshots, f"{prefix}-public-link")
        stranger.get_by_label("Password").fill("open-sesame")
        with stranger.expect_download() as download_info:
            stranger.get_by_role("button", name="Download").click()
        assert Path(download_info.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        expect(heading).to_have_text("sunset.png")
        close(stranger)

    page.reload()
    expect(page.locator("li.link").first).to_contain_text("2 of 3 downloads")
    expect(page.locator("ol.activity")).to_contain_text("Someone downloaded it through link")
    shoot(page, screenshots, "desktop-file-detail", full_page=True)
    close(page)


def test_owner_renames_then_deletes_a_file_to_the_trash(
    browser: Any, server: Server, screenshots: Path
) -> None:
    owner = server.new_user("barbara")
    page = open_page(browser, server, PHONE)
    log_in(page, owner)
    upload(page, [{"name": "draft.txt", "mimeType": "text/plain", "buffer": NOTES}])
    wait_available(page, "draft.txt")
    open_detail(page, "draft.txt")
    shoot(page, screenshots, "phone-file-detail")
    page.get_by_role("button", name="Rename").click()
    # the form focuses the field and selects the name's stem once shown: fill after that
    expect(page.get_by_label("New name")).to_be_focused()
    page.get_by_label("New name").fill("final.txt")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="final.txt", level=1)).to_be_visible()

    page.get_by_role("button", name="Delete").click()  # no question: the notice has Undo
    expect(page.get_by_role("heading", name="My files")).to_be_visible()
    expect(notice(page)).to_contain_text("final.txt moved to the trash.")
    expect(page.get_by_text("No files yet")).to_be_visible()
    expect(row_of(page, "final.txt")).to_have_count(0)
    close(page)


def test_signed_out_visitor_is_sent_to_log_in_and_a_dead_link_says_so(
    browser: Any, server: Server, screenshots: Path
) -> None:
    page = open_page(browser, server, PHONE, "#/files")
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    shoot(page, screenshots, "phone-login")
    page.goto(server.url + "s/no-such-token")
    expect(page.get_by_role("heading", name="This link is not available")).to_be_visible()
    close(page)


def test_a_reload_keeps_the_session_and_a_logout_elsewhere_sends_the_page_to_log_in(
    browser: Any, server: Server
) -> None:
    email = server.new_user("ken")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    page.reload()  # the access token was only in memory: the refresh token brings it back
    expect(page.get_by_role("heading", name="My files")).to_be_visible()
    expect(page.locator("#user-menu")).to_contain_text(email)

    # Token issue times are whole seconds: log out elsewhere strictly after the page's token.
    page.wait_for_timeout(1100)
    status, _, tokens = server.request("POST", "auth/login", {"email": email, "password": PASSWORD})
    assert status == 200
    status, _, _ = server.request(
        "POST", "auth/logout", headers={"Authorization": f"Bearer {tokens['accessToken']}"}
    )
    assert status == 204
    browse_until_sent_to_log_in(page)
    expect(page.locator("#toasts")).to_contain_text("Your session has ended")
    close(page)


def test_my_files_pages_with_load_more(browser: Any, server: Server) -> None:
    email = server.new_user("edsger")
    _, _, tokens = server.request("POST", "auth/login", {"email": email, "password": PASSWORD})
    auth = {"Authorization": f"Bearer {tokens['accessToken']}"}
    for number in range(21):
        declared = {"fileName": f"scan-{number:02}.txt", "contentType": "text/plain", "size": 10}
        status, _, body = server.request("POST", "files/upload-url", declared, headers=auth)
        assert status == 201, body
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    rows = page.locator("table.files tbody tr")
    expect(rows).to_have_count(20)
    expect(rows.first).to_contain_text("scan-20.txt")  # newest first
    expect(rows.first).to_contain_text("Pending")
    page.get_by_role("button", name="Load more").click()
    expect(rows).to_have_count(21)
    expect(rows.last).to_contain_text("scan-00.txt")
    expect(page.get_by_role("button", name="Load more")).to_be_hidden()
    close(page)


def test_a_sign_up_that_needs_a_code_goes_through_the_confirm_screen(
    browser: Any, server: Server, screenshots: Path
) -> None:
    page = open_page(browser, server, PHONE, "#/signup")

    # Local sign-ups are confirmed at once; answer as Cognito does when it emails a code.
    def needs_code(route: Any) -> None:
        response = route.fetch()
        route.fulfill(response=response, json={**response.json(), "confirmed": False})

    page.route("**/auth/signup", needs_code)
    email = f"hedy.{uuid.uuid4().hex[:6]}@example.com"
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    shoot(page, screenshots, "phone-signup")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Confirm your email")).to_be_visible()
    expect(page.get_by_label("Email")).to_have_value(email)
    page.get_by_label("Confirmation code").fill("123456")
    page.get_by_role("button", name="Confirm account").click()
    expect(page.get_by_text("Your account is confirmed")).to_be_visible()
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My files")).to_be_visible()
    close(page)


def test_forgotten_password_is_reset_with_the_emailed_code(browser: Any, server: Server) -> None:
    email = server.new_user("katherine")
    page = open_page(browser, server, DESKTOP)
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Email me a reset code").click()
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("Reset code").fill("123456")  # the emulator accepts any code
    page.get_by_label("New password", exact=True).fill("Brand-new-pass-2")
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_text("Your password was changed")).to_be_visible()
    log_in(page, email, "Brand-new-pass-2")
    close(page)


def test_cancelling_an_upload_stops_it_and_removes_the_pending_file(
    browser: Any, server: Server
) -> None:
    email = server.new_user("frances")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    held: list[Any] = []  # the storage service never answers while the upload is held
    page.route(f"{server.moto_url}/**", lambda route: held.append(route))
    upload(page, [{"name": "draft-v2.txt", "mimeType": "text/plain", "buffer": NOTES}])
    item = page.locator("li.upload").filter(has_text="draft-v2.txt")
    expect(item).to_have_attribute("data-state", "uploading")
    expect(row_of(page, "draft-v2.txt")).to_contain_text("Pending")

    item.get_by_role("button", name="Cancel upload of draft-v2.txt").click()
    expect(item).to_have_attribute("data-state", "cancelled")
    expect(item).to_contain_text("Cancelled")
    expect(row_of(page, "draft-v2.txt")).to_have_count(0)
    page.unroute(f"{server.moto_url}/**")
    page.reload()
    expect(page.get_by_text("No files yet")).to_be_visible()
    close(page)


def test_the_access_token_is_renewed_a_minute_before_it_expires(
    browser: Any, server: Server
) -> None:
    email = server.new_user("radia")
    page = open_page(browser, server, DESKTOP, fake_clock=True)
    log_in(page, email)
    _, _, tokens = server.request("POST", "auth/login", {"email": email, "password": PASSWORD})
    lifetime_ms = tokens["expiresIn"] * 1000
    with page.expect_request("**/auth/refresh") as renewal:
        page.clock.run_for(lifetime_ms - 55_000)
    assert renewal.value.method == "POST"
    page.get_by_role("link", name="Shared with me").click()
    expect(page.get_by_text("Nothing shared with you yet")).to_be_visible()
    close(page)


def test_the_main_path_works_from_the_keyboard_alone(browser: Any, server: Server) -> None:
    email = server.new_user("tim")
    page = open_page(browser, server, DESKTOP)
    expect(page.get_by_label("Email")).to_be_focused()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="My files")).to_be_focused()
    upload(page, [{"name": "todo.txt", "mimeType": "text/plain", "buffer": NOTES}])
    wait_available(page, "todo.txt")

    link = row_of(page, "todo.txt").get_by_role("link", name="todo.txt")
    for _ in range(30):  # Tab through the page until the file's link has focus
        page.keyboard.press("Tab")
        if link.evaluate("node => node === document.activeElement"):
            break
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="todo.txt", level=1)).to_be_focused()
    page.get_by_role("button", name="Delete").focus()
    page.keyboard.press("Enter")  # to the trash, back to the list
    expect(page.get_by_role("heading", name="My files")).to_be_focused()
    expect(row_of(page, "todo.txt")).to_have_count(0)
    page.keyboard.press("Control+z")  # the notice's Undo, without Tabbing to it
    expect(notice(page)).to_contain_text("todo.txt is back where it was.")
    expect(row_of(page, "todo.txt")).to_have_count(1)
    close(page)


STORAGE = "() => ({ local: { ...localStorage }, session: { ...sessionStorage } })"


def test_the_refresh_token_is_an_httponly_cookie_a_reload_uses_and_a_logout_clears(
    browser: Any, server: Server
) -> None:
    email = server.new_user("grace")
    page = open_page(browser, server, DESKTOP)
    # What an older version of the page left behind is dropped at start-up.
    page.evaluate("localStorage.setItem('sharebox.refreshToken', 'old')")
    page.evaluate("sessionStorage.setItem('sharebox.refreshToken', 'old')")
    page.reload()
    log_in(page, email)

    (cookie,) = [c for c in page.context.cookies() if c["name"] == "sharebox_refresh"]
    # Chromium keeps a Secure cookie from plain-http 127.0.0.1, a potentially trustworthy origin.
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/auth/refresh" and cookie["expires"] > 0
    stored = page.evaluate(STORAGE)
    assert "sharebox.refreshToken" not in {**stored["local"], **stored["session"]}
    assert not any(cookie["value"] in value for value in stored["local"].values())
    assert not any(cookie["value"] in value for value in stored["session"].values())
    assert cookie["value"] not in page.evaluate("document.cookie")

    page.reload()  # the access token was only in memory: the cookie brings it back
    expect(page.get_by_role("heading", name="My files")).to_be_visible()
    expect(page.locator("#user-menu")).to_contain_text(email)

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert [c for c in page.context.cookies() if c["name"] == "sharebox_refresh"] == []
    page.reload()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    close(page)


def _user_id(server: Server, email: str) -> str:
    _, _, tokens = server.request("POST", "auth/login", {"email": email, "password": PASSWORD})
    _, _, me = server.request(
        "GET", "users/me", headers={"Authorization": f"Bearer {tokens['accessToken']}"}
    )
    return str(me["userId"])


def test_unfinished_uploads_are_remembered_per_user_and_a_logout_abandons_them(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    big = tmp_path / "dataset.bin"
    big.write_bytes(bytes(range(256)) * (17 * 4096))  # 17 MiB: multipart
    owner, other = server.new_user("barbara"), server.new_user("frances")
    page = open_page(browser, server, DESKTOP)
    page.evaluate("localStorage.setItem('sharebox.multipartUploads', '[]')")  # an older page's
    page.reload()
    log_in(page, owner)
    page.route(f"{server.moto_url}/**", lambda route: route.abort("connectionreset"))
    upload(page, [big])
    expect(page.locator("li.upload").filter(has_text="dataset.bin")).to_have_attribute(
        "data-state", "failed"
    )
    page.unroute(f"{server.moto_url}/**")
    records = [k for k in page.evaluate(STORAGE)["local"] if k.startswith("sharebox.multipart")]
    assert records == [f"sharebox.multipartUploads.{_user_id(server, owner)}"]

    page.get_by_role("button", name="Log out").click()
    log_in(page, other)
    expect(page.get_by_role("heading", name="Unfinished uploads")).to_have_count(0)
    expect(page.locator("li.upload")).to_have_count(0)
    assert not [k for k in page.evaluate(STORAGE)["local"] if k.startswith("sharebox.multipart")]
    page.get_by_role("button", name="Log out").click()
    log_in(page, owner)  # abandoned at logout: nothing to resume, and no pending file left
    expect(page.get_by_text("No files yet")).to_be_visible()
    expect(page.get_by_role("heading", name="Unfinished uploads")).to_have_count(0)
    close(page)
