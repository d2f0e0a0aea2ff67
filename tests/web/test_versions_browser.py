"""A file's Versions panel, in a real chromium against `python -m app.local`: upload a new
version with its progress (one presigned POST, or multipart when large), download an older
one, restore it, delete one.

Skipped, saying why, where the API has no versions routes yet (they answer 404 or 405)."""

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import DESKTOP, Server
from tests.web.pages import (
    Api,
    close,
    log_in,
    notice,
    open_detail,
    open_page,
    png_bytes,
    row_of,
    shoot,
    upload,
    wait_available,
)

pytestmark = pytest.mark.browser

FIRST = b"First draft\n" * 100
SECOND = b"Second draft, longer\n" * 150


@pytest.fixture
def owner(server: Server) -> tuple[str, Api]:
    """A new user; skips when the API has no versions routes to list a file's versions."""
    email = server.new_user("olga")
    api = Api(server, email)
    status, _, body = server.request("GET", f"files/{uuid.uuid4()}/versions", headers=api.auth)
    if status in (404, 405) and (body or {}).get("code") != "file_not_found":
        pytest.skip(f"the API has no versions routes yet (GET …/versions answers {status})")
    return email, api


def versions_of(page: Page) -> Any:
    return page.get_by_role("list", name="Versions").get_by_role("listitem")


def file_id_of(api: Api, name: str) -> str:
    for item in api.call("GET", "folders/root/items")["items"]:
        if item["type"] == "file" and item["file"]["fileName"] == name:
            return str(item["file"]["fileId"])
    raise AssertionError(f"{name} is not at the top level")


def test_a_new_version_uploads_with_progress_and_an_older_one_is_downloaded_and_restored(
    browser: Any, server: Server, screenshots: Path, owner: tuple[str, Api]
) -> None:
    email, api = owner
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    upload(page, [{"name": "draft.txt", "mimeType": "text/plain", "buffer": FIRST}])
    wait_available(page, "draft.txt")
    file_id = file_id_of(api, "draft.txt")
    open_detail(page, "draft.txt")
    panel = page.get_by_role("region", name="Versions")
    expect(versions_of(page)).to_have_count(1)
    expect(versions_of(page).first).to_contain_text("Current")
    expect(panel.get_by_role("button", name=re.compile("^(Restore|Delete) "))).to_have_count(0)

    ticks: list[str] = []
    page.expose_function("tick", lambda value: ticks.append(value))
    page.evaluate(
        """() => new MutationObserver((changes) => changes.forEach((c) =>
             window.tick(c.target.getAttribute("aria-valuenow"))))
           .observe(document.getElementById("main"),
                    { subtree: true, attributeFilter: ["aria-valuenow"] })"""
    )
    page.locator("#version-picker").set_input_files(
        {"name": "draft-v2.txt", "mimeType": "text/plain", "buffer": SECOND}
    )
    expect(panel.get_by_role("progressbar", name="Upload of draft-v2.txt")).to_have_attribute(
        "aria-valuenow", "100"
    )
    expect(notice(page)).to_contain_text("New version uploaded")
    expect(versions_of(page)).to_have_count(2)
    assert "100" in ticks and len(ticks) >= 2, ticks  # the bar moved as the bytes went
    current, older = versions_of(page).nth(0), versions_of(page).nth(1)
    expect(current).to_contain_text("Current")
    expect(current).to_contain_text("3.08 KB")
    expect(older).to_contain_text("1.17 KB")
    expect(older).not_to_contain_text("Current")
    expect(page.locator(".facts")).to_contain_text("3.08 KB")
    expect(page.locator("#toasts .toast")).to_have_count(0, timeout=10_000)
    panel.evaluate("node => node.scrollIntoView()")
    shoot(page, screenshots, "desktop-file-versions")

    old_id = older.get_attribute("data-version-id")
    assert old_id
    asked: list[str] = []
    page.on("request", lambda r: asked.append(r.url) if "download-url" in r.url else None)
    with page.expect_download() as download:
        older.get_by_role("button", name=re.compile("^Download the version of")).click()
    assert Path(download.value.path()).read_bytes() == FIRST
    assert asked and f"/files/{file_id}/versions/{old_id}/download-url" in asked[-1]

    older.get_by_role("button", name=re.compile("^Restore the version of")).click()
    expect(notice(page)).to_contain_text("is now the current version")
    expect(versions_of(page)).to_have_count(3)
    expect(versions_of(page).first).to_contain_text("Current")
    expect(versions_of(page).first).to_contain_text("1.17 KB")
    expect(page.locator(".facts")).to_contain_text("1.17 KB")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download", exact=True).click()
    assert Path(download.value.path()).read_bytes() == FIRST  # the restored copy is current

    middle = versions_of(page).nth(1)
    middle.get_by_role("button", name=re.compile("^Delete the version of")).click()
    dialog = page.get_by_role("dialog", name="Delete this version?")
    dialog.get_by_role("button", name="Delete version").click()
    expect(versions_of(page)).to_have_count(2)
    items = api.call("GET", f"files/{file_id}/versions")["items"]
    assert [v["size"] for v in items] == [len(FIRST), len(FIRST)]
    assert [v["current"] for v in items] == [True, False]
    close(page)


def test_a_large_new_version_goes_multipart(
    browser: Any, server: Server, tmp_path: Path, owner: tuple[str, Api]
) -> None:
    email, api = owner
    big = tmp_path / "video.bin"
    big.write_bytes(bytes(range(256)) * (17 * 4096))  # 17 MiB: over the single-upload line
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    upload(page, [{"name": "video.bin", "mimeType": "application/octet-stream", "buffer": FIRST}])
    wait_available(page, "video.bin")
    open_detail(page, "video.bin")
    parts: list[str] = []
    page.on("request", lambda r: parts.append(r.url) if r.method == "PUT" else None)
    page.locator("#version-picker").set_input_files(big)
    panel = page.get_by_role("region", name="Versions")
    expect(panel.get_by_role("progressbar", name="Upload of video.bin")).to_have_attribute(
        "aria-valuenow", "100"
    )
    expect(versions_of(page)).to_have_count(2, timeout=30_000)
    expect(versions_of(page).first).to_contain_text("17 MB")
    assert len([url for url in parts if "partNumber=" in url]) == 4
    file_id = file_id_of(api, "video.bin")
    page.get_by_role("link", name="My files").first.click()
    expect(row_of(page, "video.bin")).to_contain_text("17 MB")
    assert api.call("GET", f"files/{file_id}")["versionCount"] == 2
    close(page)


def test_a_new_version_that_is_not_what_it_claims_is_rejected_and_the_current_one_stays(
    browser: Any, server: Server, owner: tuple[str, Api]
) -> None:
    email, _ = owner
    page = open_page(browser, server, DESKTOP)
    log_in(page, email)
    upload(page, [{"name": "logo.png", "mimeType": "image/png", "buffer": png_bytes()}])
    wait_available(page, "logo.png")
    open_detail(page, "logo.png")
    page.locator("#version-picker").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": FIRST}  # text, called an image
    )
    # Its size is right, so it is current at once; the worker, decoding it, drops it after.
    rejected = page.locator("#toasts .toast").filter(has_text="The new version was rejected")
    expect(rejected).to_be_visible(timeout=40_000)
    expect(versions_of(page)).to_have_count(1)
    expect(versions_of(page).first).to_contain_text("Current")
    expect(page.locator(".facts")).to_contain_text("1.2 KB")  # the picture's, not the text's
    expect(page.locator(".facts")).not_to_contain_text("1.17 KB")
    close(page)
