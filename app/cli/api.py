"""The API with the stored tokens: refreshed before they expire (and once more when the server
refuses one), problems turned into `CliError`s, transient failures retried."""

import threading
import time
from typing import Any

import httpx

from app.cli import retries
from app.cli.credentials import Store
from app.cli.errors import AuthError, CliError, from_problem

DEFAULT_URL = "http://127.0.0.1:8000"  # `make run`
USER_AGENT = "sharebox-cli/0.1"
TIMEOUT = httpx.Timeout(60.0, connect=10.0)
REFRESH_MARGIN = 60  # seconds before expiry: a long upload's next call still has a live token


def tokens_from(
    answer: dict[str, Any], email: str, refresh_token: str | None = None
) -> dict[str, Any]:
    """What the store keeps of a login or refresh answer."""
    return {
        "email": email,
        "accessToken": answer["accessToken"],
        "refreshToken": answer.get("refreshToken") or refresh_token,
        "expiresAt": time.time() + int(answer.get("expiresIn", 3600)),
    }


def problem_of(response: httpx.Response) -> CliError:
    try:
        problem = response.json()
    except ValueError:
        problem = None
    fallback = f"{response.request.method} {response.request.url.path}: HTTP {response.status_code}"
    return from_problem(
        response.status_code, problem if isinstance(problem, dict) else None, fallback
    )


class Api:
    """One server's API for one user (or none, for the public routes)."""

    def __init__(self, url: str, store: Store, http: httpx.Client | None = None) -> None:
        self.url = url.rstrip("/")
        self.store = store
        self.http = http or httpx.Client(timeout=TIMEOUT, headers={"User-Agent": USER_AGENT})
        self._tokens: dict[str, Any] | None = None
        self._lock = threading.Lock()

    # Tokens

    @property
    def tokens(self) -> dict[str, Any]:
        if self._tokens is None:
            self._tokens = self.store.load(self.url)
        if not self._tokens:
            raise AuthError(f"not logged in to {self.url}: run `sharebox login`", "not_logged_in")
        return self._tokens

    def keep(self, tokens: dict[str, Any]) -> None:
        self._tokens = tokens
        self.store.save(self.url, tokens)

    def _access_token(self, refused: str | None = None) -> str:
        with self._lock:
            tokens = self.tokens
            stale = tokens["expiresAt"] - REFRESH_MARGIN < time.time()
            if stale or tokens["accessToken"] == refused:
                self._refresh(tokens)
            return str(self.tokens["accessToken"])

    def _refresh(self, tokens: dict[str, Any]) -> None:
        if not tokens.get("refreshToken"):
            raise AuthError("the session expired: run `sharebox login`", "session_expired")
        response = self._send(
            "POST", "/auth/refresh", json={"refreshToken": tokens["refreshToken"]}
        )
        if response.status_code in (400, 401):
            raise AuthError(
                "the session expired or was signed out: run `sharebox login`", "session_expired"
            )
        if response.is_error:
            raise problem_of(response)
        self.keep(tokens_from(response.json(), tokens["email"], tokens["refreshToken"]))

    # Calls

    def _send(
        self, method: str, path: str, token: str | None = None, **kwargs: Any
    ) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return retries.send(
            lambda: self.http.request(method, self.url + path, headers=headers, **kwargs),
            idempotent=method != "POST",
        )

    def call(self, method: str, path: str, *, auth: bool = True, **kwargs: Any) -> Any:
        """The JSON answer of one route (None for 204), or the problem it gave as a CliError."""
        token = self._access_token() if auth else None
        response = self._send(method, path, token, **kwargs)
        if (
            auth
            and response.status_code == 401
            and "bearer" in response.headers.get("www-authenticate", "").lower()
        ):
            # Revoked early, or the clock here runs behind the server's: one refresh, once.
            response = self._send(method, path, self._access_token(refused=token), **kwargs)
        if response.is_redirect:  # followed, the token would go where the server points
            where = response.headers.get("location", "elsewhere")
            raise CliError(f"the server redirects to {where}: use that as --url", "redirected")
        if response.is_error:
            raise problem_of(response)
        return None if response.status_code == 204 or not response.content else response.json()

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, params={k: v for k, v in params.items() if v is not None})

    def pages(self, path: str, **params: Any) -> list[dict[str, Any]]:
        """Every item of a paginated list, following `nextCursor`."""
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            page = self.get(path, limit=100, cursor=cursor, **params)
            items += page["items"]
            cursor = page.get("nextCursor")
            if not cursor:
                return items
