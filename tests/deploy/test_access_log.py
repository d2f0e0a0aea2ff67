"""API Gateway's access log holds no secrets: share-link tokens live in paths, so no path."""

import re

from tests.deploy.template import template

# Each reviewed: none can carry a token, a password, a presigned URL or a JWT.
REVIEWED = {
    "requestId",
    "identity.sourceIp",
    "identity.userAgent",
    "requestTime",
    "httpMethod",
    "routeKey",  # "ANY /{proxy+}": the route's template, never the request's path
    "status",
    "responseLatency",
    "integrationLatency",
    "integrationErrorMessage",
    "responseLength",
}
# What would leak a link token (/links/<token>, /s/<token>) or a query string.
PATH_LIKE = re.compile(r"path|rawpath|querystring|request\.|uri|url", re.IGNORECASE)


def _logged_variables() -> list[str]:
    api = template()["Resources"]["HttpApi"]["Properties"]
    log_format: str = api["AccessLogSettings"]["Format"]
    assert "$request." not in log_format and "$input" not in log_format
    return re.findall(r"\$context\.([A-Za-z0-9_.]+)", log_format)


def test_the_access_log_names_the_route_not_the_path() -> None:
    logged = _logged_variables()
    assert "routeKey" in logged
    leaking = [name for name in logged if PATH_LIKE.search(name)]
    assert not leaking, f"the access log would record link tokens: {leaking}"


def test_every_logged_variable_was_reviewed_for_secrets() -> None:
    unreviewed = set(_logged_variables()) - REVIEWED
    assert not unreviewed, f"review these for secrets, then add them to REVIEWED: {unreviewed}"
