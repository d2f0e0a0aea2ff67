"""Folder errors, each a stable `code` (API.md "v2 > Folders")."""

from app.errors import Conflict, NotFound


class FolderNotFound(NotFound):
    code, detail = "folder_not_found", "No such folder."


class TooDeep(Conflict):
    code = "too_deep"
    detail = "Folders nest at most 20 levels deep."


class InvalidMove(Conflict):
    code, detail = "invalid_move", "A folder cannot move into itself or below itself."
