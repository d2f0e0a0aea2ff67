"""Schemathesis hooks (SCHEMATHESIS_HOOKS=bench.fuzz_hooks): the demo user's real token.

The run is allowed to do anything a client can: POST /auth/logout revokes the token in use,
and schemathesis reuses the email it read from GET /users/me to call /auth/reset-password
(the local Cognito emulator accepts any code). So the token is refetched often and after any
401, and a refused log-in first puts the demo password back the same way.
"""

import json
import os
import urllib.error
import urllib.request
from typing import Any

import schemathesis

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Sharebox-demo-1"


def _post(path: str, body: dict[str, str]) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{os.environ['SHAREBOX_BASE_URL']}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"{}")


def demo_token() -> str:
    credentials = {"email": DEMO_EMAIL, "password": DEMO_PASSWORD}
    try:
        return str(_post("/auth/login", credentials)["accessToken"])
    except urllib.error.HTTPError as exc:
        if exc.code != 401:
            raise
    _post("/auth/forgot-password", {"email": DEMO_EMAIL})
    _post(
        "/auth/reset-password",
        {"email": DEMO_EMAIL, "code": "123456", "newPassword": DEMO_PASSWORD},
    )
    return str(_post("/auth/login", credentials)["accessToken"])


@schemathesis.auth(refresh_interval=2)
class DemoUserToken:
    def get(self, case: Any, context: Any) -> str:
        return demo_token()

    def set(self, case: Any, data: str, context: Any) -> None:
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
