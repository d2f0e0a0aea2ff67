"""Make moto's AdminUserGlobalSignOut sign the user out however they logged in, as Cognito does.

moto keeps each token under the name the user logged in with (their email address here) and
signs out only the tokens kept under the name the call gives, so an administrator's sign-out
by user id (`app.auth.directory`) left a disabled user's refresh tokens working. This matches
the tokens by the user they belong to instead; only `make run` and the tests use it.
"""

from collections.abc import Callable


def sign_out_by_user() -> Callable[[], None]:
    """Patch moto's user pools in this process; returns the undo."""
    from moto.cognitoidp.models import CognitoIdpUserPool

    original = CognitoIdpUserPool.sign_out

    def sign_out(self: CognitoIdpUserPool, username: str) -> None:
        user = self._get_user(username)
        if user is None:
            return original(self, username)
        emails = [a["Value"] for a in user.attributes if a["Name"] == "email"]
        names = {name.lower() for name in (user.username, *emails)}
        for token, held in list(self.refresh_tokens.items()):
            if held is not None and held[1].lower() in names:
                self.refresh_tokens[token] = None
        for token, (_, name) in list(self.access_tokens.items()):
            if name.lower() in names:
                self.access_tokens.pop(token)

    CognitoIdpUserPool.sign_out = sign_out  # type: ignore[method-assign]

    def undo() -> None:
        CognitoIdpUserPool.sign_out = original  # type: ignore[method-assign]

    return undo
