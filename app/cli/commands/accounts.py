"""login, logout, me."""

import sys

import click

from app.cli import output
from app.cli.api import tokens_from
from app.cli.context import Context, command
from app.cli.errors import UsageError


def _log_in(context: Context, email: str, password: str, code: str | None) -> dict[str, object]:
    api = context.api
    answer = api.call(
        "POST", "/auth/login", auth=False, json={"email": email, "password": password}
    )
    if answer.get("challenge") == "totp":
        if code is None:
            if not sys.stdin.isatty():
                raise UsageError("this account asks for a code: pass --code", "mfa_required")
            code = str(click.prompt("Code from your authenticator app", err=True))
        body = {"email": email, "session": answer["session"], "code": code.strip()}
        answer = api.call("POST", "/auth/login/mfa", auth=False, json=body)
    return tokens_from(answer, email)


def register(group: click.Group) -> None:
    @command(group)
    @click.option("--email", help="Your account's email (asked when missing).")
    @click.option("--code", help="The current two-step verification code, for scripts.")
    def login(context: Context, email: str | None, code: str | None) -> None:
        """Log in; the password is asked for, or read from stdin in scripts.

        Tokens are kept in the OS keyring, else in a file only you can read.
        """
        if not email:
            if not sys.stdin.isatty():
                raise UsageError("pass --email when stdin is not a terminal", "missing_input")
            email = str(click.prompt("Email", err=True))
        context.api.keep(_log_in(context, email.strip(), output.secret("Password"), code))
        context.emit(
            {"email": email, "url": context.url, "store": context.store.where},
            f"Logged in to {context.url} as {email} (tokens in {context.store.where}).",
        )

    @command(group)
    @click.option("--everywhere", is_flag=True, help="Also sign out every other session.")
    def logout(context: Context, everywhere: bool) -> None:
        """Forget this server's tokens here (and everywhere else with --everywhere)."""
        if everywhere:
            context.api.call("POST", "/auth/logout")
        forgotten = context.store.delete(context.url)
        context.emit(
            {"url": context.url, "loggedOut": forgotten, "everywhere": everywhere},
            f"Logged out of {context.url}." if forgotten else f"Not logged in to {context.url}.",
        )

    @command(group)
    def me(context: Context) -> None:
        """Your account: email, usage and quota."""
        me = context.api.get("/users/me")
        usage, quota = me["usage"], me["quota"]
        context.emit(
            me,
            [
                f"{me.get('name') or ''} <{me['email']}>".strip(),
                f"user id  {me['userId']}",
                f"usage    {output.size(usage['bytes'])} of {output.size(quota['bytes'])}"
                f" in {usage['files']} files",
                f"two-step {'on' if me.get('mfa') else 'off'}",
            ],
        )
