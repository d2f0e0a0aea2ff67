"""Who may read what sits in a folder: its owner, and anyone a folder on its path is shared with.

A folder item carries its ancestors, so the check is one consistent BatchGetItem of the share
keys along the path (`app.access.shares.shared_among`): a file 10 levels down costs its own
read, its folder's and that one request. A share is found the moment it is written and gone
the moment it is revoked, for everything below the shared folder.
"""

import re
from dataclasses import dataclass

from app.access import shares
from app.access.subjects import FOLDER_ID_PREFIX
from app.tree import repository as tree
from app.tree.errors import FolderNotFound
from app.tree.repository import FolderRecord


@dataclass(frozen=True)
class Visible:
    """A folder the caller may read, and the highest folder of its path they may see."""

    folder: FolderRecord
    top: int  # index in `folder.path_ids` of the highest folder the caller may see

    @property
    def visible_ancestors(self) -> tuple[str, ...]:
        """The ancestors the caller may see, the highest first (the breadcrumbs)."""
        return self.folder.path_ids[self.top : -1]


def visible(folder: FolderRecord, user_id: str, *, also: tuple[str, ...] = ()) -> Visible | None:
    """`folder` as `user_id` may see it, or None. `also`: more share keys to look up in the
    same request (a file's own), which make the folder visible from its own level."""
    if folder.purging:  # below a deleted folder: gone for everyone
        return None
    if folder.owner_id == user_id:
        return Visible(folder, 0)
    path = folder.path_ids
    shared = shares.shared_among([*also, *path], user_id)
    if not shared:
        return None
    if shared.isdisjoint(path):
        return Visible(folder, len(path))  # only the file itself is shared
    return Visible(folder, min(path.index(folder_id) for folder_id in shared if folder_id in path))


def can_read_in(folder_id: str, user_id: str, *, also: tuple[str, ...] = ()) -> bool:
    """Whether `user_id` may read what sits in `folder_id` (False when the folder is gone)."""
    folder = tree.get_folder(folder_id)
    return folder is not None and visible(folder, user_id, also=also) is not None


_FOLDER_ID = re.compile(
    re.escape(FOLDER_ID_PREFIX) + r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)


def is_folder_id(value: str) -> bool:
    """Whether `value` has the form of our folder ids (checked before any lookup)."""
    return _FOLDER_ID.fullmatch(value) is not None


def load(folder_id: str) -> FolderRecord | None:
    return tree.get_folder(folder_id) if is_folder_id(folder_id) else None


def owned(folder_id: str, owner_id: str) -> FolderRecord:
    """The caller's own folder, else 404 `folder_not_found` (someone else's too: never 403)."""
    folder = load(folder_id)
    if folder is None or folder.owner_id != owner_id or folder.purging:
        raise FolderNotFound()
    return folder
