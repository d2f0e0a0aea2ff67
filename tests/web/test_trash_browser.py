"""The trash and expiry on the web page, in a real chromium against `python -m app.local`:
delete, undo, restore, delete for good, empty; an upload that expires, an expiry set and
cleared on the file's page."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import DESKTOP, PHONE, Server
from tests.web.pages import (
    Api,
    close,
    log_in,
    notice,
    open_detail,
    open_folder,
    open_page,
    row_of,
    shoot,
    upload,
    wait_available,
)

pytestmark = pytest.mark.browser

NOTES = b"Trash notes\n" * 100


def text_file(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "text/plain", "buffer": NOTES}


def trash_row(page: Page, name: str) -> Any:
    return page.locator("table.trash tbody tr").filter(has_text=name)


def open_trash(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Trash").click()
    expect(page.get_by_role("heading", name="Trash", level=1)).to_be_visible()


def upload_available(page: Page, *names: str) -> None:
    """Only an available file is kept in the trash (a pending one is deleted for good)."""
    upload(page, [text_file(name) for name in names])
    for name in names:
        wait_available(page, name)


def trashed_names(api: Api) -> list[str]:
    items = api.call("GET", "trash")["items"]
    return [i["folder"]["name"] if i["type"] == "folder" else i["file"]["fileName"] for i in items]


def test_a_deleted_file_waits_in_the_trash_and_is_restored_into_its_folder(
    browser: Any, server: Server, screenshots: Path
) -> None:
    email = server.new_user("tove")
    api = Api(server, email)
    api.folder("Reports")
    old = api.folder("Old drafts")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    open_folder(page, "Reports")
    upload_available(page, "q3.txt")
    row_of(page, "q3.txt").get_by_role("button", name="Delete q3.txt").click()
    expect(notice(page)).to_contain_text("q3.txt moved to the trash.")
    expect(row_of(page, "q3.txt")).to_have_count(0)
    page.get_by_role("link", name="My files").first.click()
    row_of(page, "Old drafts").get_by_role("button", name="Delete Old drafts").click()
    expect(row_of(page, "Old drafts")).to_have_count(0)

    open_trash(page)
    expect(page.get_by_role("link", name="Trash")).to_have_attribute("aria-current", "page")
    rows = page.locator("table.trash tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Old drafts")  # newest first
    expect(rows.first).to_have_attribute("data-type", "folder")
    file_row = trash_row(page, "q3.txt")
    purge = (datetime.now(UTC) + timedelta(days=30)).astimezone()
    expect(file_row.locator("td.col-purge")).to_contain_text(str(purge.year))
    expect(file_row.locator("td.col-date")).to_contain_text(re.compile("now|second|minute"))
    shoot(page, screenshots, "desktop-trash")
    phone = open_page(browser, server, PHONE)
    log_in(phone, email)
    open_trash(phone)
    expect(trash_row(phone, "q3.txt").locator(".row-meta")).to_contain_text("for good on")
    shoot(phone, screenshots, "phone-trash")
    close(phone)

    file_row.get_by_role("button", name="Restore q3.txt").click()
    expect(notice(page)).to_contain_text("q3.txt is back where it was.")
    expect(trash_row(page, "q3.txt")).to_have_count(0)
    notice(page).get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    wait_available(page, "q3.txt")
    assert trashed_names(api) == ["Old drafts"]
    status, _, _ = server.request("GET", f"folders/{old}", headers=api.auth)
    assert status == 404  # a trashed folder is out of sight until restored
    close(page)


def test_delete_for_good_asks_first_and_empty_trash_clears_the_rest(
    browser: Any, server: Server
) -> None:
    email = server.new_user("ulla")
    api = Api(server, email)
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    upload_available(page, "a.txt", "b.txt", "c.txt")
    for name in ("a.txt", "b.txt", "c.txt"):
        row_of(page, name).get_by_role("button", name=f"Delete {name}").click()
        expect(row_of(page, name)).to_have_count(0)
    open_trash(page)
    expect(page.locator("table.trash tbody tr")).to_have_count(3)

    trash_row(page, "b.txt").get_by_role("button", name="Delete b.txt for good").click()
    dialog = page.get_by_role("dialog", name="Delete b.txt for good?")
    expect(dialog).to_contain_text("cannot be undone")
    dialog.get_by_role("button", name="Cancel").click()
    expect(trash_row(page, "b.txt")).to_have_count(1)
    trash_row(page, "b.txt").get_by_role("button", name="Delete b.txt for good").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete for good").click()
    expect(trash_row(page, "b.txt")).to_have_count(0)
    focused = page.locator("table.trash button:focus")  # the next row's, not the page's top
    expect(focused).to_have_attribute("aria-label", re.compile(r"^Restore [ac]\.txt$"))
    assert sorted(trashed_names(api)) == ["a.txt", "c.txt"]

    page.get_by_role("button", name="Empty trash").click()
    page.get_by_role("dialog", name="Empty the trash?").get_by_role(
        "button", name="Empty trash"
    ).click()
    expect(page.get_by_text("The trash is empty", exact=True)).to_be_visible(timeout=15_000)
    expect(page.get_by_role("button", name="Empty trash")).to_be_disabled()
    assert trashed_names(api) == []
    page.get_by_role("link", name="My files").first.click()
    expect(page.get_by_text("No files yet")).to_be_visible()
    close(page)


def test_undo_in_the_notice_brings_a_deleted_file_or_folder_back(
    browser: Any, server: Server
) -> None:
    email = server.new_user("vera")
    api = Api(server, email)
    api.folder("Keep")
    page = open_page(browser, server, PHONE)
    log_in(page, email)
    upload_available(page, "plan.txt")
    open_detail(page, "plan.txt")
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", name="My files", level=1)).to_be_visible()
    expect(row_of(page, "plan.txt")).to_have_count(0)
    notice(page).get_by_role("button", name="Undo").click()
    expect(notice(page)).to_contain_text("plan.txt is back where it was.")
    wait_available(page, "plan.txt")

    row_of(page, "Keep").get_by_role("button", name="Delete Keep").click()
    expect(row_of(page, "Keep")).to_have_count(0)
    notice(page).get_by_role("button", name="Undo").click()
    expect(row_of(page, "Keep")).to_be_visible()
    assert trashed_names(api) == []
    close(page)


def test_a_file_whose_folder_went_for_good_is_restored_to_the_top_level(
    browser: Any, server: Server
) -> None:
    email = server.new_user("yael")
    api = Api(server, email)
    api.folder("Temp")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    open_folder(page, "Temp")
    upload_available(page, "kept.txt")
    row_of(page, "kept.txt").get_by_role("button", name="Delete kept.txt").click()
    expect(row_of(page, "kept.txt")).to_have_count(0)
    page.get_by_role("link", name="My files").first.click()
    row_of(page, "Temp").get_by_role("button", name="Delete Temp").click()
    expect(row_of(page, "Temp")).to_have_count(0)  # the delete answered: the trash holds it
    open_trash(page)
    trash_row(page, "Temp").get_by_role("button", name="Delete Temp for good").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete for good").click()
    expect(trash_row(page, "Temp")).to_have_count(0)

    trash_row(page, "kept.txt").get_by_role("button", name="Restore kept.txt").click()
    expect(notice(page)).to_contain_text("kept.txt is back, in My files")
    notice(page).get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="My files", level=1)).to_be_visible()
    wait_available(page, "kept.txt")
    close(page)


def test_the_trash_pages_with_load_more(browser: Any, server: Server) -> None:
    email = server.new_user("xena")
    api = Api(server, email)
    for number in range(21):  # one more than a page
        api.call("DELETE", f"folders/{api.folder(f'Box {number:02}')}")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    open_trash(page)
    rows = page.locator("table.trash tbody tr")
    expect(rows).to_have_count(20)
    expect(rows.first).to_contain_text("Box 20")  # newest first
    page.get_by_role("button", name="Load more").click()
    expect(rows).to_have_count(21)
    expect(rows.last).to_contain_text("Box 00")
    expect(page.get_by_role("button", name="Load more")).to_be_hidden()
    close(page)


def expiry_of(api: Api, name: str) -> Any:
    for item in api.call("GET", "folders/root/items")["items"]:
        if item["type"] == "file" and item["file"]["fileName"] == name:
            return item["file"]["expiresAt"]
    raise AssertionError(f"{name} is not at the top level")


def test_an_upload_can_expire_and_its_page_sets_and_clears_an_expiry(
    browser: Any, server: Server
) -> None:
    email = server.new_user("wanda")
    api = Api(server, email)
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    page.get_by_label("Expires after").select_option(label="1 day")
    upload_available(page, "brief.txt")
    expect(row_of(page, "brief.txt").locator(".badge-expiry")).to_have_text("Expires tomorrow")
    expires = datetime.fromisoformat(expiry_of(api, "brief.txt"))
    assert timedelta(hours=23) < expires - datetime.now(UTC) <= timedelta(days=1)
    page.get_by_label("Expires after").select_option(label="Never")
    upload_available(page, "keeper.txt")
    expect(row_of(page, "keeper.txt").locator(".badge-expiry")).to_have_count(0)
    assert expiry_of(api, "keeper.txt") is None

    open_detail(page, "keeper.txt")
    panel = page.get_by_role("region", name="Expiry")
    expect(panel).to_contain_text("never expires")
    expect(panel.get_by_role("button", name="Never expire")).to_be_hidden()
    when = datetime.now() + timedelta(days=3, hours=1)  # the browser's zone is this machine's
    panel.get_by_label("Delete for good on").fill(when.strftime("%Y-%m-%dT%H:%M"))
    panel.get_by_role("button", name="Set expiry").click()
    expect(notice(page)).to_contain_text("keeper.txt expires in 3 days.")
    expect(page.locator(".facts .badge-expiry")).to_have_text("Expires in 3 days")
    expires = datetime.fromisoformat(expiry_of(api, "keeper.txt"))
    assert abs(expires - when.astimezone(UTC)) < timedelta(minutes=1)
    page.get_by_role("link", name="My files").first.click()
    expect(row_of(page, "keeper.txt").locator(".badge-expiry")).to_have_text("Expires in 3 days")

    open_detail(page, "keeper.txt")
    panel.get_by_label("Delete for good on").fill("2020-01-01T10:00")
    panel.get_by_role("button", name="Set expiry").click()
    expect(panel.get_by_role("alert")).to_contain_text("in the future")
    panel.get_by_role("button", name="Never expire").click()
    expect(notice(page)).to_contain_text("keeper.txt no longer expires.")
    expect(page.locator(".facts .badge-expiry")).to_have_count(0)
    assert expiry_of(api, "keeper.txt") is None
    close(page)
