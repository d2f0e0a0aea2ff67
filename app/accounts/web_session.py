"""The web page's refresh token as an HttpOnly cookie, and the CSRF rules a cookie refresh obeys.

The page asks for the cookie on log-in (`X-Sharebox-Client: web`); it is scoped to the refresh
route, so no other route (and no script) ever sees it. A cookie is sent by the browser on its
own, so a cookie refresh also needs `X-Sharebox-CSRF: 1`: a cross-site form cannot send a
custom header, and a cross-origin script must pass a CORS preflight first.
"""

from urllib.parse import urlsplit

from fastapi import Request, Response

from app.errors import Forbidden, Unauthorized
from app.settings import get_settings

COOKIE = "sharebox_refresh"
CLIENT_HEADER = "X-Sharebox-Client"
CSRF_HEADER = "X-Sharebox-CSRF"
# The app client's RefreshTokenValidity in template.yaml: the cookie dies with its token.
MAX_AGE_SECONDS = 30 * 24 * 3600
_SAME_SITE_FETCHES = {"same-origin", "same-site"}


class CsrfRequired(Forbidden):
    code = "csrf_required"
    detail = (
        f"A refresh with the session cookie needs the `{CSRF_HEADER}: 1` header "
        "and must come from the web page's own site."
    )


class InvalidSessionCookie(Unauthorized):
    """The cookie's refresh token was refused; the answer also expires the cookie."""

    def __init__(self, request: Request) -> None:
        super().__init__("The session cookie is not valid; it was cleared.", code="invalid_token")
        self.headers["Set-Cookie"] = _expired_cookie(request)


def cookie_path(request: Request) -> str:
    """The refresh route as the browser sees it, API Gateway stage prefix included."""
    return f"{request.scope.get('root_path', '').rstrip('/')}/auth/refresh"


def set_refresh_cookie(response: Response, request: Request, refresh_token: str) -> None:
    # Secure even on plain-http loopback: browsers treat http://127.0.0.1 and localhost as
    # secure contexts and keep the cookie (tests/web checks chromium does), and nowhere else
    # may a refresh token travel without TLS.
    response.set_cookie(
        COOKIE,
        refresh_token,
        max_age=MAX_AGE_SECONDS,
        path=cookie_path(request),
        secure=True,
        httponly=True,
        samesite="strict",
    )


def clear_refresh_cookie(response: Response, request: Request) -> None:
    response.delete_cookie(
        COOKIE, path=cookie_path(request), secure=True, httponly=True, samesite="strict"
    )


def _expired_cookie(request: Request) -> str:
    response = Response()
    clear_refresh_cookie(response, request)
    return response.headers["set-cookie"]


def cookie_token(request: Request, csrf: str | None) -> str:
    """The refresh token from the session cookie, once the request has proved it is the page's
    (`csrf`: the CSRF header's value)."""
    if csrf != "1" or not _from_own_site(request):
        raise CsrfRequired()
    token = request.cookies.get(COOKIE)
    if not token:
        raise Unauthorized(
            "No refresh token: send `{refreshToken}`, or log in on the web page first.",
            code="invalid_token",
        )
    return token


def _from_own_site(request: Request) -> bool:
    """Fetch metadata and Origin, where the browser sends them, must name our own site."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in _SAME_SITE_FETCHES:
        return False
    origin = request.headers.get("origin")
    return origin is None or origin in _own_origins(request)


def _own_origins(request: Request) -> set[str]:
    settings = get_settings()
    origins = {f"{request.url.scheme}://{request.headers.get('host', '')}", *settings.cors_origins}
    if settings.public_base_url:
        parts = urlsplit(settings.public_base_url)
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return origins
