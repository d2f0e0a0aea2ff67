"""share, unshare, link, links, unlink."""

import re

import click

from app.cli import output, paths
from app.cli.context import Context, command
from app.cli.errors import NotFound, UsageError

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def duration(text: str) -> int:
    """Seconds of `90`, `30m`, `12h`, `1d` or `1w`."""
    found = re.fullmatch(r"\s*(\d+)\s*([smhdw]?)\s*", text.lower())
    if not found:
        raise UsageError(f"not a duration: {text!r} (e.g. 30m, 12h, 1d, 1w)", "invalid_duration")
    return int(found.group(1)) * UNITS[found.group(2) or "s"]


def register(group: click.Group) -> None:
    @command(group)
    @click.argument("target")
    @click.option("--with", "emails", multiple=True, required=True, help="An email (repeatable).")
    def share(context: Context, target: str, emails: tuple[str, ...]) -> None:
        """Share a file or folder with people; an address with no account gets an invitation."""
        item = paths.item(context.api, target)
        shares = [
            context.api.call("POST", f"{item.api_path}/share", json={"email": e}) for e in emails
        ]
        lines = [
            f"shared {item.name} with {s['email']}" + (" (invited)" if s.get("pending") else "")
            for s in shares
        ]
        context.emit({"items": shares}, lines)

    @command(group)
    @click.argument("target")
    @click.option(
        "--with", "people", multiple=True, required=True, help="An email or user id (repeatable)."
    )
    def unshare(context: Context, target: str, people: tuple[str, ...]) -> None:
        """Stop sharing a file or folder with people (or withdraw their invitation)."""
        item = paths.item(context.api, target)
        shares = context.api.pages(f"{item.api_path}/shares")
        for person in people:
            found = [s for s in shares if person in (s.get("userId"), s.get("email"))]
            if not found:
                raise NotFound(f"{item.name} is not shared with {person}", "share_not_found")
            context.api.call(
                "DELETE", f"{item.api_path}/shares/{found[0].get('userId') or found[0]['email']}"
            )
        context.emit({"unshared": list(people)}, [f"unshared {item.name} with {p}" for p in people])

    @command(group)
    @click.argument("target")
    @click.option("--expires", default="1d", show_default=True, help="Lifetime: 30m, 12h, 1d, 1w.")
    @click.option("--password", is_flag=True, help="Protect it with a password (asked for).")
    @click.option("--max-downloads", type=click.IntRange(min=1), help="Stop after N downloads.")
    def link(
        context: Context, target: str, expires: str, password: bool, max_downloads: int | None
    ) -> None:
        """Make a public link to a file or folder."""
        item = paths.item(context.api, target)
        body: dict[str, object] = {"expiresIn": duration(expires)}
        if max_downloads:
            body["maxDownloads"] = max_downloads
        if password:
            body["password"] = output.secret("Link password", confirm=True)
        made = context.api.call("POST", f"{item.api_path}/links", json=body)
        context.emit(made, made["url"])

    @command(group)
    @click.argument("target")
    def links(context: Context, target: str) -> None:
        """The live links of a file or folder."""
        item = paths.item(context.api, target)
        found = context.api.pages(f"{item.api_path}/links")
        lines = [
            f"{f['url']}  expires {f['expiresAt']}"
            f"  downloads {f['downloads']}/{f.get('maxDownloads') or '-'}"
            + ("  password" if f.get("passwordProtected") else "")
            for f in found
        ]
        context.emit({"items": found}, lines)

    @command(group)
    @click.argument("target")
    @click.argument("token")
    def unlink(context: Context, target: str, token: str) -> None:
        """Revoke a link (its token, or its URL) of a file or folder."""
        item = paths.item(context.api, target)
        token = token.rstrip("/").rsplit("/", 1)[-1]
        context.api.call("DELETE", f"{item.api_path}/links/{token}")
        context.emit({"revoked": token}, f"revoked {token}")
