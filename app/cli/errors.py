"""What the CLI can fail with, each with its exit code (0 ok, 1 error, 2 usage, 3 not found,
4 authentication)."""

from typing import Any


class CliError(Exception):
    """A failure to report as `detail (code)` and leave with `exit_code`."""

    exit_code = 1

    def __init__(self, detail: str, code: str = "error", status: int | None = None) -> None:
        super().__init__(detail)
        self.detail, self.code, self.status = detail, code, status

    def as_json(self) -> dict[str, Any]:
        problem: dict[str, Any] = {"code": self.code, "detail": self.detail}
        if self.status is not None:
            problem["status"] = self.status
        return {"error": problem}


class NotFound(CliError):
    exit_code = 3


class AuthError(CliError):
    exit_code = 4


class UsageError(CliError):
    exit_code = 2


def from_problem(status: int, problem: dict[str, Any] | None, fallback: str) -> CliError:
    """The API's RFC 9457 problem as the CLI error its status calls for."""
    problem = problem or {}
    code = str(problem.get("code") or f"http_{status}")
    detail = str(problem.get("detail") or problem.get("title") or fallback)
    kind = {401: AuthError, 404: NotFound}.get(status, CliError)
    return kind(detail, code, status)
