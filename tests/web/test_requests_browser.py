"""Upload requests on the web page, in a real chromium against `python -m app.local`: the
owner asks for files from a folder's "Request files" panel, a visitor without an account sends
them from /r/<token>, and the files land in the folder saying who sent them."""

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect

from tests.web.conftest import DESKTOP, PASSWORD, PHONE, Server
from tests.web.pages import (
    Api,
    close,
    drop,
    log_in,
    notice,
    open_detail,
    open_page,
    progress_of,
    row_of,
    shoot,
    wait_available,
)

pytestmark = pytest.mark.browser

MB = 1024 * 1024


def new_user_named(server: Server, name: str) -> str:
    """A user with a name, which a request's page shows as the one asking."""
    email = f"{name.lower()}.{uuid.uuid4().hex[:6]}@example.com"
    body = {"email": email, "password": PASSWORD, "name": name}
    status, _, answer = server.request("POST", "auth/signup", body)
    assert status == 201, answer
    return email


def text_file(name: str, size: int) -> dict[str, Any]:
    return {"name": name, "mimeType": "text/plain", "buffer": b"x" * size}


def requests_panel(page: Page) -> Any:
    return page.get_by_role("region", name="Request files")


def ask_for_files(page: Page, title: str, **settings: str) -> str:
    """Fill and send the "Request files" form; answers the new request's token."""
    panel = requests_panel(page)
    if not panel.is_visible():
        page.get_by_role("button", name="Request files").click()
    panel.get_by_label("Title", exact=True).fill(title)
    for label, value in settings.items():
        field = panel.get_by_label(label)
        if field.evaluate("node => node.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    panel.get_by_role("button", name="Create request").click()
    expect(notice(page)).to_contain_text("Request created.")
    link = panel.get_by_role("textbox", name=f"Link of the request {title}")
    expect(link).to_be_focused()
    match = re.search(r"/r/([^/]+)$", link.input_value())
    assert match, link.input_value()
    return match.group(1)


def request_item(page: Page, title: str) -> Any:
    return requests_panel(page).locator("li.request").filter(has_text=title)


def upload_line(page: Page, name: str) -> Any:
    return page.locator("li.upload").filter(has_text=name)


def ticket_requests(page: Page) -> list[dict[str, Any]]:
    """The bodies the page posts to /requests/<token>/uploads, as it posts them."""
    sent: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda r: (
            sent.append(json.loads(r.post_data or "{}"))
            if r.method == "POST" and r.url.endswith("/uploads")
            else None
        ),
    )
    return sent


def test_a_visitor_sends_two_files_through_a_request_and_the_owner_sees_who_sent_them(
    browser: Any, server: Server, screenshots: Path
) -> None:
    email = new_user_named(server, "Ann")
    api = Api(server, email)
    folder = api.folder("Receipts")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    page.goto(f"{server.url}#/folder/{folder}")
    expect(page.get_by_role("heading", name="Receipts", level=1)).to_be_visible()
    token = ask_for_files(
        page,
        "Tax papers 2026",
        **{"Message (optional)": "The receipts from March, please.", "Open for": "14 days"},
    )
    item = request_item(page, "Tax papers 2026")
    expect(item).to_contain_text("Closes in 14 days")
    expect(item).to_contain_text("0 of 1000 files received")
    expect(item.locator(".badge-password")).to_have_count(0)

    visitor = open_page(browser, server, PHONE, f"r/{token}")  # no account, a phone
    expect(visitor.get_by_role("heading", name="Tax papers 2026", level=1)).to_be_visible()
    expect(visitor.locator("main")).to_contain_text("Ann asks you to send files.")
    expect(visitor.locator("main")).to_contain_text("The receipts from March, please.")
    visitor.get_by_label("Your name (optional)").fill("Zoe")
    visitor.get_by_label("Your email (optional)").fill("zoe@example.org")
    visitor.locator("#request-picker").set_input_files(
        [text_file("march.txt", 300_000), text_file("april.txt", 2_000)]
    )
    expect(upload_line(visitor, "march.txt")).to_contain_text("Ready to send")
    visitor.get_by_role("button", name="Send files").click()
    for name in ("march.txt", "april.txt"):
        expect(progress_of(visitor, name)).to_have_attribute("aria-valuenow", "100")
        expect(upload_line(visitor, name)).to_contain_text("Sent")
    done = visitor.locator(".note-success")
    expect(done).to_have_text(re.compile(r"^Sent: 2 files went to Ann\."))
    expect(done).to_be_focused()
    # Nothing of the folder, not even what was just sent, is offered back.
    links = visitor.get_by_role("link")
    expect(links).to_have_text(["Skip to content", "Sharebox", "Get your own account"])
    visitor.evaluate("window.scrollTo(0, 0)")  # else the sticky top bar lands mid-picture
    shoot(visitor, screenshots, "phone-request-page", full_page=True)
    close(visitor)

    page.reload()
    for name in ("march.txt", "april.txt"):
        wait_available(page, name)
        expect(row_of(page, name)).to_contain_text("From Zoe via request “Tax papers 2026”")
    page.get_by_role("button", name="Share folder").click()  # the folder's log says so too
    expect(page.locator("ol.activity")).to_contain_text("Zoe sent march.txt through request")
    page.get_by_role("button", name="Share folder").click()
    page.get_by_role("button", name="Request files").click()
    expect(request_item(page, "Tax papers 2026")).to_contain_text("2 of 1000 files received")
    shoot(page, screenshots, "desktop-requests", full_page=True)
    files = [i["file"] for i in api.call("GET", f"folders/{folder}/items")["items"]]
    by = {"name": "Zoe", "email": "zoe@example.org", "requestToken": token}
    assert [f["uploadedBy"] for f in files] == [by, by]

    open_detail(page, "march.txt")
    expect(page.locator(".facts")).to_contain_text(
        "From Zoe (zoe@example.org) via request “Tax papers 2026”"
    )
    close(page)


def test_a_password_protected_request_refuses_a_wrong_password_then_takes_the_right_one(
    browser: Any, server: Server
) -> None:
    email = new_user_named(server, "Bea")
    api = Api(server, email)
    folder = api.folder("Contracts")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    page.goto(f"{server.url}#/folder/{folder}")
    token = ask_for_files(page, "Signed copies", **{"Password (optional)": "open-sesame-1"})
    expect(request_item(page, "Signed copies").locator(".badge-password")).to_have_text("Password")

    visitor = open_page(browser, server, DESKTOP, f"r/{token}")
    tickets = ticket_requests(visitor)
    expect(visitor.locator(".request-limits")).to_contain_text("Needs a password")
    password = visitor.get_by_label("Password")
    expect(password).to_be_focused()
    visitor.locator("#request-picker").set_input_files(
        [text_file("one.txt", 1_000), text_file("two.txt", 1_000)]
    )
    password.fill("not-the-password")
    visitor.get_by_role("button", name="Send files").click()
    expect(visitor.get_by_role("alert")).to_have_text(
        "That password is not right. Check it and press Send again."
    )
    expect(upload_line(visitor, "one.txt")).to_contain_text("Not sent: the password is not right.")
    expect(upload_line(visitor, "two.txt")).to_contain_text("Not sent yet")
    assert len(tickets) == 1  # one guess spent, not one per file

    password.fill("open-sesame-1")
    visitor.get_by_role("button", name="Send files").click()
    for name in ("one.txt", "two.txt"):
        expect(upload_line(visitor, name)).to_contain_text("Sent")
    expect(visitor.get_by_role("alert")).to_be_hidden()
    assert [t["password"] for t in tickets] == ["not-the-password"] + ["open-sesame-1"] * 2

    item = request_item(page, "Signed copies")
    item.get_by_role("button", name="Revoke request Signed copies").click()
    page.get_by_role("dialog").get_by_role("button", name="Revoke request").click()
    expect(notice(page)).to_contain_text("Request “Signed copies” revoked.")
    expect(item).to_have_count(0)
    visitor.reload()
    expect(visitor.get_by_role("heading", name="This request is closed")).to_be_visible()
    close(visitor)
    close(page)


def test_a_file_over_the_requests_size_limit_is_refused_in_plain_words(
    browser: Any, server: Server
) -> None:
    email = new_user_named(server, "Cleo")
    api = Api(server, email)
    folder = api.folder("Photos")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    page.goto(f"{server.url}#/folder/{folder}")
    token = ask_for_files(page, "Holiday photos", **{"Largest file (MB)": "1"})
    expect(request_item(page, "Holiday photos")).to_contain_text("Up to 1 MB each")
    close(page)

    visitor = open_page(browser, server, DESKTOP, f"r/{token}")
    tickets = ticket_requests(visitor)
    expect(visitor.locator(".request-limits")).to_contain_text("Each file at most 1 MB")
    files = [("huge.txt", "text/plain", b"x" * 2 * MB), ("small.txt", "text/plain", b"y" * 1_000)]
    drop(visitor, files, ".request-drop")  # dragged from the desktop onto the page
    too_large = "Too large: this request takes files of at most 1 MB."
    expect(upload_line(visitor, "huge.txt")).to_contain_text(too_large)  # before anything is sent
    visitor.get_by_role("button", name="Send files").click()
    expect(upload_line(visitor, "small.txt")).to_contain_text("Sent")
    expect(upload_line(visitor, "huge.txt")).to_contain_text(too_large)
    assert [t["fileName"] for t in tickets] == ["small.txt"]
    upload_line(visitor, "huge.txt").get_by_role("button", name="Remove huge.txt").click()
    expect(upload_line(visitor, "huge.txt")).to_have_count(0)
    close(visitor)


def test_the_apis_refusal_of_a_too_large_file_is_shown_as_well(
    browser: Any, server: Server
) -> None:
    """A page that did not know the limit (here: told none) shows the API's 413 in words."""
    email = new_user_named(server, "Dina")
    api = Api(server, email)
    folder = api.folder("Scans")
    body = {"title": "Scans", "expiresIn": 3600, "maxFileBytes": MB}
    token = api.call("POST", f"folders/{folder}/requests", body)["token"]
    visitor = open_page(browser, server, DESKTOP)

    def without_limit(route: Route) -> None:
        answer = route.fetch()
        info = {**answer.json(), "maxFileBytes": None}
        route.fulfill(response=answer, body=json.dumps(info))

    visitor.route(f"**/requests/{token}", without_limit)
    visitor.goto(f"{server.url}r/{token}")
    expect(visitor.get_by_role("heading", name="Scans", level=1)).to_be_visible()
    visitor.locator("#request-picker").set_input_files([text_file("scan.txt", 2 * MB)])
    visitor.get_by_role("button", name="Send files").click()
    expect(upload_line(visitor, "scan.txt")).to_contain_text("Too large for this request.")
    close(visitor)


def test_a_request_that_has_all_its_files_says_so_and_sends_no_more(
    browser: Any, server: Server
) -> None:
    email = new_user_named(server, "Edda")
    api = Api(server, email)
    folder = api.folder("Forms")
    body = {"title": "One form", "expiresIn": 3600, "maxFiles": 1}
    token = api.call("POST", f"folders/{folder}/requests", body)["token"]
    visitor = open_page(browser, server, DESKTOP, f"r/{token}")
    tickets = ticket_requests(visitor)
    expect(visitor.locator(".request-limits li").first).to_have_text("Up to 1 file")
    visitor.locator("#request-picker").set_input_files(
        [text_file("a.txt", 100), text_file("b.txt", 100), text_file("c.txt", 100)]
    )
    visitor.get_by_role("button", name="Send files").click()
    expect(visitor.get_by_role("alert")).to_have_text(
        "This request has received as many files as it takes. Ask for a new one."
    )
    expect(upload_line(visitor, "a.txt")).to_contain_text("Sent")
    expect(upload_line(visitor, "b.txt")).to_contain_text("Not sent: the request takes no more")
    expect(upload_line(visitor, "c.txt")).to_contain_text("Not sent yet")
    assert [t["fileName"] for t in tickets] == ["a.txt", "b.txt"]
    close(visitor)
