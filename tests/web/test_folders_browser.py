"""Folders on the web page, in a real chromium against `python -m app.local`: make, browse,
rename, move, drop a whole folder, share, link and search."""

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import DESKTOP, PHONE, Server
from tests.web.pages import (
    Api,
    close,
    crumbs,
    drop_folder,
    log_in,
    new_folder,
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

NOTES = b"Folder notes\n" * 100


def requests_to(page: Page, ending: str) -> list[str]:
    """The URLs of the page's requests whose path ends with `ending`, as they are made."""
    seen: list[str] = []
    page.on("request", lambda r: seen.append(r.url) if r.url.endswith(ending) else None)
    return seen


def text_file(name: str) -> dict[str, Any]:
    return {"name": name, "mimeType": "text/plain", "buffer": NOTES}


def test_owner_makes_nested_folders_uploads_into_one_and_goes_back_up_by_the_breadcrumbs(
    browser: Any, server: Server, screenshots: Path
) -> None:
    email = server.new_user("ines")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    new_folder(page, "Projects")
    expect(row_of(page, "Projects")).to_contain_text("Folder")
    open_folder(page, "Projects")
    expect(page.get_by_text("This folder is empty")).to_be_visible()
    new_folder(page, "Drafts")
    upload(page, [text_file("budget.txt")])
    wait_available(page, "budget.txt")
    open_folder(page, "Drafts")
    upload(page, [text_file("outline.txt")])
    wait_available(page, "outline.txt")
    expect(crumbs(page).get_by_role("link")).to_have_text(["My files", "Projects"])

    page.reload()  # the folder is in the address: a reload stays in it
    expect(page.get_by_role("heading", name="Drafts", level=1)).to_be_visible()
    tree = page.get_by_role("navigation", name="Folder tree")  # the sidebar's, opened down to it
    expect(tree.get_by_role("link", name="Drafts")).to_have_attribute("aria-current", "page")
    wait_available(page, "outline.txt")
    crumbs(page).get_by_role("link", name="Projects").click()
    expect(page.get_by_role("heading", name="Projects", level=1)).to_be_visible()
    rows = page.locator("table.files tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Drafts")  # folders first
    expect(row_of(page, "outline.txt")).to_have_count(0)
    shoot(page, screenshots, "desktop-folder")
    phone = open_page(browser, server, PHONE)
    log_in(phone, email)
    phone.goto(page.url)
    expect(row_of(phone, "Drafts")).to_be_visible()
    shoot(phone, screenshots, "phone-folder")
    close(phone)

    tree.get_by_role("button", name="Show the folders in Projects").click()  # closes it
    expect(tree.get_by_role("link", name="Drafts")).to_be_hidden()
    tree.get_by_role("button", name="Show the folders in Projects").click()
    tree.get_by_role("link", name="Drafts").click()
    expect(page.get_by_role("heading", name="Drafts", level=1)).to_be_visible()
    expect(tree.get_by_role("link", name="Drafts")).to_have_attribute("aria-current", "page")
    tree.get_by_role("link", name="Projects").click()

    open_detail(page, "budget.txt")  # a file's page leads back to its folder
    page.get_by_role("link", name="Back to the folder").click()
    expect(page.get_by_role("heading", name="Projects", level=1)).to_be_visible()
    crumbs(page).get_by_role("link", name="My files").click()
    expect(page.get_by_role("heading", name="My files", level=1)).to_be_visible()
    expect(page.locator("table.files tbody tr")).to_have_count(1)
    expect(row_of(page, "Projects")).to_be_visible()

    page.get_by_role("searchbox").fill("budget")  # from its own page, a file moves too
    page.get_by_role("searchbox").press("Enter")
    open_detail(page, "budget.txt")
    page.get_by_role("button", name="Move").click()
    dialog = page.get_by_role("dialog", name="Move budget.txt")
    dialog.get_by_role("button", name="Projects").click()
    dialog.get_by_role("button", name="Drafts").click()
    dialog.get_by_role("button", name="Move here").click()
    page.get_by_role("link", name="Back to the folder").click()
    expect(page.get_by_role("heading", name="Drafts", level=1)).to_be_visible()
    expect(row_of(page, "budget.txt")).to_be_visible()

    page.get_by_role("button", name="Log out").click()  # the next user sees none of its tree
    log_in(page, server.new_user("ivy"))
    expect(tree.get_by_role("link")).to_have_count(0)
    close(page)


def test_owner_renames_moves_by_dialog_and_by_drag_and_drop_then_deletes_a_folder(
    browser: Any, server: Server
) -> None:
    email = server.new_user("joan")
    api = Api(server, email)
    inbox, archive = api.folder("Inbox"), api.folder("Archive")
    api.pending_file("memo.txt")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)

    row_of(page, "Inbox").get_by_role("button", name="Rename Inbox").click()
    dialog = page.get_by_role("dialog", name="Rename Inbox")
    dialog.get_by_label("New name").fill("Incoming")
    dialog.get_by_role("button", name="Rename").click()
    expect(row_of(page, "Incoming")).to_be_visible()
    expect(row_of(page, "Inbox")).to_have_count(0)
    tree = page.get_by_role("navigation", name="Folder tree")
    expect(tree.get_by_role("link")).to_have_text(["Archive", "Incoming"])

    row_of(page, "memo.txt").get_by_role("button", name="Move memo.txt").click()
    dialog = page.get_by_role("dialog", name="Move memo.txt")
    expect(dialog.get_by_role("button", name="Move here")).to_be_disabled()  # it is here already
    dialog.get_by_role("button", name="Archive").click()
    expect(dialog.get_by_role("navigation", name="Destination")).to_contain_text("Archive")
    dialog.get_by_role("button", name="Move here").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    expect(row_of(page, "memo.txt")).to_have_count(0)
    page.wait_for_timeout(2000)  # memo.txt is pending, so watched: a poll must not bring it back
    expect(row_of(page, "memo.txt")).to_have_count(0)
    assert api.names_in(archive) == ["memo.txt"]

    open_folder(page, "Archive")  # drag the file onto the top level's breadcrumb
    row_of(page, "memo.txt").drag_to(crumbs(page).get_by_role("link", name="My files"))
    expect(row_of(page, "memo.txt")).to_have_count(0)
    assert api.names_in("root")[-1] == "memo.txt"

    crumbs(page).get_by_role("link", name="My files").click()
    row_of(page, "memo.txt").drag_to(row_of(page, "Incoming"))  # a file onto a folder's row
    expect(row_of(page, "memo.txt")).to_have_count(0)
    row_of(page, "Archive").drag_to(row_of(page, "Incoming"))  # and a folder
    expect(row_of(page, "Archive")).to_have_count(0)
    assert api.names_in(inbox) == ["Archive", "memo.txt"]
    expect(tree.get_by_role("link")).to_have_text(["Incoming"])

    row_of(page, "Incoming").get_by_role("button", name="Delete Incoming").click()
    expect(notice(page)).to_contain_text("Incoming moved to the trash.")
    expect(page.get_by_text("No files yet")).to_be_visible()
    for folder in (inbox, archive):  # everything below went with it
        status, _, _ = server.request("GET", f"folders/{folder}", headers=api.auth)
        assert status == 404, folder
    page.goto(f"{server.url}#/folder/{inbox}")
    expect(page.get_by_role("heading", name="Folder not found")).to_be_visible()
    close(page)


def test_a_folder_dropped_from_the_desktop_or_picked_arrives_with_its_structure(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    email = server.new_user("lise")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    drop_folder(page, {"Trip": {"Day 1": {"beach.txt": "sand"}, "plan.txt": "go", "Empty": {}}})
    open_folder(page, "Trip")
    wait_available(page, "plan.txt")
    expect(row_of(page, "Day 1")).to_be_visible()
    expect(row_of(page, "Empty")).to_be_visible()
    open_folder(page, "Day 1")
    wait_available(page, "beach.txt")

    recipes = tmp_path / "Recipes"
    (recipes / "Cakes").mkdir(parents=True)
    (recipes / "soup.txt").write_bytes(NOTES)
    (recipes / "Cakes" / "lemon.txt").write_bytes(NOTES)
    page.locator("#folder-picker").set_input_files(recipes)  # inside Day 1: it goes there
    open_folder(page, "Recipes")
    wait_available(page, "soup.txt")
    open_folder(page, "Cakes")
    wait_available(page, "lemon.txt")
    expect(crumbs(page).get_by_role("link")).to_have_text(["My files", "Trip", "Day 1", "Recipes"])
    close(page)


def share_folder(page: Page, email: str) -> None:
    page.get_by_role("button", name="Share folder").click()
    page.get_by_label("Share with (email)").fill(email)
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.locator("ul.people")).to_contain_text(email)


def test_a_shared_folder_is_listed_in_shared_with_me_and_browsed_read_only(
    browser: Any, server: Server, screenshots: Path
) -> None:
    owner, friend = server.new_user("owner"), server.new_user("friend")
    api = Api(server, owner)
    team = api.folder("Team")
    api.folder("Specs", team)
    page = open_page(browser, server, DESKTOP)
    log_in(page, owner)
    page.goto(f"{server.url}#/folder/{team}")
    open_folder(page, "Specs")
    upload(page, [text_file("spec.txt")])
    wait_available(page, "spec.txt")
    crumbs(page).get_by_role("link", name="Team").click()
    share_folder(page, friend)
    expect(page.locator("ol.activity")).to_contain_text(f"shared the folder with {friend}")

    other = open_page(browser, server, DESKTOP)
    log_in(other, friend)
    other.get_by_role("link", name="Shared with me").click()
    expect(row_of(other, "Team")).to_contain_text("Folder")
    shoot(other, screenshots, "desktop-shared-folders")
    open_folder(other, "Team")
    open_folder(other, "Specs")
    expect(crumbs(other).get_by_role("link")).to_have_text(["Shared with me", "Team"])
    for name in ("New folder", "Upload files", "Upload folder", "Share folder", "Request files"):
        expect(other.get_by_role("button", name=name)).to_have_count(0)
    expect(other.get_by_role("button", name=re.compile("^(Rename|Move|Delete) "))).to_have_count(0)
    expect(row_of(other, "spec.txt")).not_to_have_attribute("draggable", "true")
    with other.expect_download() as download_info:
        other.get_by_role("button", name="Download spec.txt").click()
    assert Path(download_info.value.path()).read_bytes() == NOTES
    open_detail(other, "spec.txt")
    expect(other.get_by_role("button", name="Rename")).to_have_count(0)
    expect(other.get_by_role("button", name="Delete")).to_have_count(0)
    close(other)
    close(page)


def test_a_folder_link_with_a_password_is_browsed_and_downloaded_asking_once(
    browser: Any, server: Server, screenshots: Path
) -> None:
    owner = server.new_user("ada")
    api = Api(server, owner)
    photos = api.folder("Photos")
    page = open_page(browser, server, DESKTOP)
    log_in(page, owner)
    page.goto(f"{server.url}#/folder/{photos}")
    new_folder(page, "2024")
    upload(page, [text_file("index.txt")])
    wait_available(page, "index.txt")
    open_folder(page, "2024")
    upload(page, [text_file("july.txt")])
    wait_available(page, "july.txt")
    crumbs(page).get_by_role("link", name="Photos").click()
    page.get_by_role("button", name="Share folder").click()
    page.get_by_label("Password (optional)").fill("open-sesame")
    page.get_by_role("button", name="Create link").click()
    url = page.locator("li.link").first.get_by_label("Public link address").input_value()

    for viewport, prefix in ((DESKTOP, "desktop"), (PHONE, "phone")):
        stranger = open_page(browser, server, viewport, url.removeprefix(server.url))
        unlocks = requests_to(stranger, "/unlock")
        expect(stranger.get_by_role("heading", level=1)).to_have_text("A password-protected folder")
        expect(stranger.get_by_text("Photos")).to_have_count(0)
        stranger.get_by_label("Password").fill("wrong-guess")
        stranger.get_by_role("button", name="Open folder").click()
        expect(stranger.get_by_role("alert")).to_contain_text("password is not right")
        stranger.get_by_label("Password").fill("open-sesame")
        stranger.get_by_role("button", name="Open folder").click()
        expect(stranger.get_by_role("heading", level=1)).to_have_text("Photos")
        shoot(stranger, screenshots, f"{prefix}-public-folder")
        with stranger.expect_download() as first:
            stranger.get_by_role("button", name="Download index.txt").click()
        assert Path(first.value.path()).read_bytes() == NOTES
        stranger.get_by_role("button", name="2024").click()
        with stranger.expect_download() as second:
            stranger.get_by_role("button", name="Download july.txt").click()
        assert Path(second.value.path()).read_bytes() == NOTES
        crumbs(stranger).get_by_role("button", name="Photos").click()
        expect(stranger.get_by_role("button", name="Download index.txt")).to_be_visible()
        expect(stranger.get_by_label("Password")).to_have_count(0)
        assert len(unlocks) == 2  # the wrong guess and the right one; never again
        close(stranger)

    page.reload()
    page.get_by_role("button", name="Share folder").click()
    expect(page.locator("li.link").first).to_contain_text("4 downloads")
    expect(page.locator("ol.activity")).to_contain_text("Someone downloaded a file through link")
    close(page)


def test_an_open_folder_link_shows_its_folder_at_once(browser: Any, server: Server) -> None:
    owner = server.new_user("emmy")
    api = Api(server, owner)
    box = api.folder("Handouts")
    api.folder("Week 1", box)
    link = api.call("POST", f"folders/{box}/links", {"expiresIn": 3600})
    stranger = open_page(browser, server, PHONE, f"s/{link['token']}")
    expect(stranger.get_by_role("heading", level=1)).to_have_text("Handouts")
    stranger.get_by_role("button", name="Week 1").click()
    expect(stranger.get_by_text("This folder is empty")).to_be_visible()
    expect(crumbs(stranger).get_by_role("button")).to_have_text(["Handouts"])
    close(stranger)


def test_a_folder_links_download_limit_counts_each_file_and_then_the_link_is_gone(
    browser: Any, server: Server
) -> None:
    owner = server.new_user("mary")
    api = Api(server, owner)
    box = api.folder("Slides")
    page = open_page(browser, server, DESKTOP)
    log_in(page, owner)
    page.goto(f"{server.url}#/folder/{box}")
    upload(page, [text_file("deck.txt"), text_file("notes.txt")])
    wait_available(page, "deck.txt")
    wait_available(page, "notes.txt")
    link = api.call("POST", f"folders/{box}/links", {"expiresIn": 3600, "maxDownloads": 1})
    stranger = open_page(browser, server, DESKTOP, f"s/{link['token']}")
    with stranger.expect_download():
        stranger.get_by_role("button", name="Download deck.txt").click()
    stranger.get_by_role("button", name="Download notes.txt").click()
    expect(stranger.get_by_role("heading", name="This link is not available")).to_be_visible()
    close(stranger)
    close(page)


def test_search_finds_my_files_and_folders_by_part_of_the_name(
    browser: Any, server: Server
) -> None:
    email = server.new_user("hypatia")
    api = Api(server, email)
    reports = api.folder("Quarterly Reports")
    api.pending_file("report-q1.txt", reports)
    api.pending_file("holiday.txt")
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    search = page.get_by_role("searchbox", name="Search my files and folders")
    search.fill("r")
    search.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("at least 2 characters")
    search.fill("REPORT")
    search.press("Enter")
    expect(page.get_by_role("heading", name="Search results")).to_be_visible()
    expect(row_of(page, "Quarterly Reports")).to_be_visible()
    expect(row_of(page, "report-q1.txt")).to_be_visible()
    expect(row_of(page, "holiday.txt")).to_have_count(0)
    open_folder(page, "Quarterly Reports")
    expect(row_of(page, "report-q1.txt")).to_be_visible()
    close(page)
