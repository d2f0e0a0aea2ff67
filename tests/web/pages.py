"""What a person does on the page, as small steps the browser tests compose."""

import base64
import io
import time
from pathlib import Path
from typing import Any

import boto3
import pyotp
from PIL import Image
from playwright.sync_api import Page, expect

from tests.web.conftest import PASSWORD, Server

TIMEOUT_MS = 20_000


def png_bytes(color: tuple[int, int, int] = (79, 70, 229)) -> bytes:
    image = Image.new("RGB", (480, 320), color)
    for x in range(0, 480, 40):  # stripes, so the thumbnail is recognisably this picture
        for y in range(320):
            image.putpixel((x, y), (255, 255, 255))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class Api:
    """One user's calls, for arranging what a test starts from."""

    def __init__(self, server: Server, email: str) -> None:
        self.server = server
        login = {"email": email, "password": PASSWORD}
        _, _, tokens = server.request("POST", "auth/login", login)
        self.auth = {"Authorization": f"Bearer {tokens['accessToken']}"}

    def call(self, method: str, path: str, body: Any = None) -> Any:
        status, _, answer = self.server.request(method, path, body, headers=self.auth)
        assert status < 300, (status, answer)
        return answer

    def folder(self, name: str, parent: str | None = None) -> str:
        body = {"name": name, **({"parentId": parent} if parent else {})}
        return str(self.call("POST", "folders", body)["folderId"])

    def pending_file(self, name: str, folder: str | None = None) -> str:
        body = {"fileName": name, "contentType": "text/plain", "size": 10}
        created = self.call(
            "POST", "files/upload-url", {**body, **({"folderId": folder} if folder else {})}
        )
        return str(created["fileId"])

    def names_in(self, folder: str) -> list[str]:
        items = self.call("GET", f"folders/{folder}/items")["items"]
        return [
            i["folder"]["name"] if i["type"] == "folder" else i["file"]["fileName"] for i in items
        ]


class Codes:
    """An authenticator app's codes for `secret`, as the API takes them: each of a later
    30-second step than the one before (a code is never taken twice), within one step of now.
    The step before now is used while it stays in the window, so a test rarely waits."""

    def __init__(self, secret: str) -> None:
        self.totp = pyotp.TOTP(secret.replace(" ", ""))
        self.last_step: int | None = None

    def next(self) -> str:
        while True:
            now = time.time()
            current = int(now // 30)
            # The previous step's code, unless the step turns before the API checks it.
            earliest = current - 1 if now % 30 < 25 else current
            step = earliest if self.last_step is None else max(self.last_step + 1, earliest)
            if step <= current + 1:
                self.last_step = step
                return str(self.totp.at(step * 30))
            time.sleep((current + 1) * 30 - now + 0.2)

    def wrong(self) -> str:
        """A code no step around now has."""
        current = int(time.time() // 30)
        taken = {self.totp.at(step * 30) for step in range(current - 2, current + 3)}
        return next(code for code in ("000000", "111111", "222222") if code not in taken)


def add_to_group(server: Server, email: str, group: str = "admins") -> None:
    """What `aws cognito-idp admin-add-user-to-group` does, in the server's emulator; the
    user's next log-in carries the group."""
    cognito = boto3.client(
        "cognito-idp",
        endpoint_url=server.moto_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    [pool] = [
        p for p in cognito.list_user_pools(MaxResults=60)["UserPools"] if p["Name"] == "sharebox"
    ]
    cognito.admin_add_user_to_group(UserPoolId=pool["Id"], Username=email, GroupName=group)


def open_page(
    browser: Any,
    server: Server,
    viewport: dict[str, int],
    path: str = "",
    *,
    fake_clock: bool = False,
) -> Page:
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    if fake_clock:
        page.clock.install()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.js_errors = errors  # type: ignore[attr-defined]
    page.goto(server.url + path)
    return page


def close(page: Page) -> None:
    """Close the page's context; it must have thrown no script error and broken no CSP rule."""
    errors = page.js_errors  # type: ignore[attr-defined]
    page.context.close()
    assert errors == [], errors


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    # After a Log out click the form shows once the API's logout answered (Cognito's global
    # sign-out, the revocation record, abandoned uploads): a bound for a loaded CI machine.
    expect(page.get_by_role("heading", name="Log in")).to_be_visible(timeout=20_000)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="My files")).to_be_visible()


def browse_until_sent_to_log_in(page: Page) -> None:
    """Move between two lists until the page is refused and sent to log in: the API may trust
    its cached logout record for a few seconds (REVOCATION_CACHE_SECONDS)."""
    log_in_heading = page.get_by_role("heading", name="Log in")
    for _ in range(40):
        page.evaluate("location.hash = location.hash === '#/shared' ? '#/files' : '#/shared'")
        page.wait_for_timeout(250)
        if log_in_heading.is_visible():
            break
    expect(log_in_heading).to_be_visible()


def upload(page: Page, files: list[dict[str, Any]] | list[Path]) -> None:
    page.locator("#file-picker").set_input_files(files)


def drop(page: Page, files: list[tuple[str, str, bytes]], target: str = "#dropzone") -> None:
    """Drop files on the drop zone (`target`), as dragging them from the desktop does."""
    encoded = [(name, kind, base64.b64encode(data).decode()) for name, kind, data in files]
    page.evaluate(
        """([files, target]) => {
          const data = new DataTransfer();
          for (const [name, type, b64] of files) {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            data.items.add(new File([bytes], name, { type }));
          }
          const zone = document.querySelector(target);
          for (const type of ["dragenter", "dragover", "drop"]) {
            const init = { bubbles: true, cancelable: true, dataTransfer: data };
            zone.dispatchEvent(new DragEvent(type, init));
          }
        }""",
        [encoded, target],
    )


def progress_of(page: Page, name: str) -> Any:
    return page.get_by_role("progressbar", name=f"Upload of {name}")


def row_of(page: Page, name: str) -> Any:
    return page.locator("table.files tbody tr").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )


def notice(page: Page) -> Any:
    """The newest notice (toast) on the page."""
    return page.locator("#toasts .toast").last


def wait_available(page: Page, name: str) -> None:
    expect(row_of(page, name)).to_have_attribute("data-status", "available", timeout=30_000)


def open_detail(page: Page, name: str) -> None:
    row_of(page, name).get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def shoot(page: Page, directory: Path, name: str, *, full_page: bool = False) -> None:
    page.wait_for_timeout(150)  # let the last transition settle
    page.screenshot(path=str(directory / f"{name}.png"), full_page=full_page)


def new_folder(page: Page, name: str) -> None:
    page.get_by_role("button", name="New folder").click()
    dialog = page.get_by_role("dialog", name="New folder")
    dialog.get_by_label("Folder name").fill(name)
    dialog.get_by_role("button", name="Create folder").click()
    expect(dialog).to_have_count(0)
    expect(row_of(page, name)).to_be_visible()


def open_folder(page: Page, name: str) -> None:
    row_of(page, name).get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def crumbs(page: Page) -> Any:
    return page.get_by_role("navigation", name="Folders")


def drop_folder(page: Page, tree: dict[str, Any]) -> None:
    """Drop a folder from the desktop: the browser hands the page FileSystemEntry objects
    (webkitGetAsEntry); these stand-ins answer the same calls the page makes of them."""
    page.evaluate(
        """(tree) => {
          const entry = (name, value) => typeof value === "string"
            ? { name, isFile: true, isDirectory: false,
                file: (ok) => ok(new File([value], name, { type: "text/plain" })) }
            : { name, isFile: false, isDirectory: true, createReader() {
                  let read = false;  // like Chromium: the children, then an empty batch
                  return { readEntries: (ok) => {
                    const batch = read ? [] : Object.entries(value).map(([n, v]) => entry(n, v));
                    read = true;
                    setTimeout(() => ok(batch));  // answers later, as the browser does
                  } };
                } };
          const items = Object.entries(tree).map(([name, value]) =>
            ({ kind: "file", webkitGetAsEntry: () => entry(name, value) }));
          const data = { types: ["Files"], items, files: [] };
          const zone = document.getElementById("dropzone");
          for (const type of ["dragenter", "dragover", "drop"]) {
            const event = new Event(type, { bubbles: true, cancelable: true });
            Object.defineProperty(event, "dataTransfer", { value: data });
            zone.dispatchEvent(event);
          }
        }""",
        tree,
    )
