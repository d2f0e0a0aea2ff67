"""Smoke test of a deployed Sharebox: `python deploy/smoke.py https://abc.execute-api.../`.

Checks what a deploy can break without touching users' data: the health check, the docs page,
that a sign-up cannot be confirmed without its emailed code, and the web page. It creates no
user (a wrong code for an address nobody signed up with is refused the same way), so it is safe
against prod. Exits 0 when every check passes, 1 otherwise, printing one line per check.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import httpx

Check = Callable[[httpx.Client], str | None]  # None when the check passes, else why not


@dataclass(frozen=True)
class Result:
    name: str
    failure: str | None

    @property
    def passed(self) -> bool:
        return self.failure is None


def _expect(response: httpx.Response, status: int, content_type: str) -> str | None:
    if response.status_code != status:
        return f"{response.request.method} {response.request.url.path}: {response.status_code}"
    if not response.headers.get("content-type", "").startswith(content_type):
        return f"content-type {response.headers.get('content-type')!r}, not {content_type}"
    return None


def health(client: httpx.Client) -> str | None:
    response = client.get("health")
    failure = _expect(response, 200, "application/json")
    if failure is None and response.json().get("status") != "ok":
        return f"health says {response.text}"
    return failure


def docs(client: httpx.Client) -> str | None:
    return _expect(client.get("docs"), 200, "text/html")


def confirm_needs_the_code(client: httpx.Client) -> str | None:
    email = f"smoke-{uuid.uuid4().hex[:12]}@example.com"
    response = client.post("auth/confirm", json={"email": email, "code": "000000"})
    failure = _expect(response, 400, "application/problem+json")
    if failure is None and response.json().get("code") != "invalid_code":
        return f"a wrong code gets {response.text}, not invalid_code"
    return failure


def web_page(client: httpx.Client) -> str | None:
    return _expect(client.get(""), 200, "text/html")


CHECKS: dict[str, Check] = {
    "GET /health is 200 ok": health,
    "GET /docs is the docs page": docs,
    "POST /auth/confirm with a wrong code is 400 invalid_code": confirm_needs_the_code,
    "GET / is the web page": web_page,
}


def run(client: httpx.Client) -> list[Result]:
    results = []
    for name, check in CHECKS.items():
        try:
            failure = check(client)
        except (httpx.HTTPError, ValueError) as error:  # unreachable, or not JSON
            failure = f"{type(error).__name__}: {error}"
        results.append(Result(name, failure))
    return results


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].startswith(("https://", "http://")):
        print("usage: python deploy/smoke.py <ApiUrl>", file=sys.stderr)
        return 2
    base = argv[0] if argv[0].endswith("/") else argv[0] + "/"
    with httpx.Client(base_url=base, timeout=30, follow_redirects=False) as client:
        results = run(client)
    for result in results:
        print(("ok   " if result.passed else "FAIL ") + result.name, result.failure or "")
    return 0 if all(result.passed for result in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
