"""Where `sharebox login` keeps the tokens, per server: the OS keyring when one is available,
else a file only its owner can read (0600) under the user's config directory."""

import contextlib
import json
import os
import threading
from pathlib import Path
from typing import Any, Protocol

import platformdirs

from app.cli.errors import AuthError

SERVICE = "sharebox"


class Store(Protocol):
    where: str

    def load(self, url: str) -> dict[str, Any] | None: ...

    def save(self, url: str, tokens: dict[str, Any]) -> None: ...

    def delete(self, url: str) -> bool: ...


class KeyringStore:
    """The OS keyring (macOS Keychain, Windows Credential Locker, Secret Service)."""

    def __init__(self, keyring: Any) -> None:
        self._keyring = keyring
        self.where = f"the {type(keyring).__name__} keyring"

    def load(self, url: str) -> dict[str, Any] | None:
        stored = self._keyring.get_password(SERVICE, url)
        return json.loads(stored) if stored else None

    def save(self, url: str, tokens: dict[str, Any]) -> None:
        self._keyring.set_password(SERVICE, url, json.dumps(tokens))

    def delete(self, url: str) -> bool:
        if self.load(url) is None:
            return False
        self._keyring.delete_password(SERVICE, url)
        return True


class FileStore:
    """A JSON file of tokens by server URL, created 0600 in a 0700 directory, replaced whole."""

    _lock = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = str(path)

    def _read(self) -> dict[str, Any]:
        try:
            stored: dict[str, Any] = json.loads(self.path.read_text())
        except FileNotFoundError:
            return {}
        except ValueError as exc:  # never overwritten: other servers' tokens are in it too
            raise AuthError(
                f"{self.path} is unreadable: remove it and log in again", "credentials_unreadable"
            ) from exc
        return stored

    def _write(self, everything: dict[str, Any]) -> None:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as out:
            json.dump(everything, out)
        os.replace(partial, self.path)

    def load(self, url: str) -> dict[str, Any] | None:
        found: dict[str, Any] | None = self._read().get(url)
        return found

    def save(self, url: str, tokens: dict[str, Any]) -> None:
        with self._lock:
            self._write(self._read() | {url: tokens})

    def delete(self, url: str) -> bool:
        with self._lock:
            everything = self._read()
            if everything.pop(url, None) is None:
                return False
            self._write(everything)
            return True


def usable_keyring() -> Any | None:
    """The OS keyring, or None where there is none (headless Linux, containers, CI)."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    with contextlib.suppress(KeyringError, RuntimeError):
        backend = keyring.get_keyring()
        # keyring's stand-ins when nothing real is there (fail.Keyring, null.Keyring, an
        # empty chainer) rank at or below zero.
        if getattr(backend, "priority", 0) > 0:
            return backend
    return None


def file_store() -> FileStore:
    return FileStore(platformdirs.user_config_path("sharebox") / "credentials.json")


class KeyringOrFile:
    """The keyring first, the file where the keyring refuses (Windows' vault holds 2.5 KB,
    less than Cognito's tokens; a locked keyring): read from both, forgotten from both."""

    def __init__(self, keyring: KeyringStore, file: FileStore) -> None:
        self._keyring, self._file = keyring, file
        self.where = keyring.where

    def load(self, url: str) -> dict[str, Any] | None:
        with contextlib.suppress(Exception):
            if found := self._keyring.load(url):
                return found
        return self._file.load(url)

    def save(self, url: str, tokens: dict[str, Any]) -> None:
        try:
            self._keyring.save(url, tokens)
        except Exception:  # any backend's failure: keyring backends raise what they like
            self._file.save(url, tokens)
            self.where = self._file.where
            return
        self._file.delete(url)  # no older copy left behind in the file
        self.where = self._keyring.where

    def delete(self, url: str) -> bool:
        in_keyring = False
        with contextlib.suppress(Exception):
            in_keyring = self._keyring.delete(url)
        return self._file.delete(url) or in_keyring


def default_store() -> Store:
    backend = usable_keyring()
    if backend is None:
        return file_store()
    return KeyringOrFile(KeyringStore(backend), file_store())
