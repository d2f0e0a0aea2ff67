"""What a share, a link, a limit counter or an access log belongs to: a file or a folder.

Both kinds keep those items in their own partition (`FILE#<fileId>` or `FOLDER#<folderId>`).
Folder ids carry the prefix `fo-` (file ids are bare UUIDs), so an id alone names its kind
and every module that stores items "of a subject" builds the right partition from it.
"""

import re
from typing import Protocol

FOLDER_ID_PREFIX = "fo-"
# The canonical form file ids have (`str(uuid.uuid4())`), checked without building a UUID.
_FILE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def is_file_id(value: str) -> bool:
    """Whether `value` has the form of our file ids (checked before any lookup)."""
    return _FILE_ID.fullmatch(value) is not None


def is_folder_id(subject_id: str) -> bool:
    return subject_id.startswith(FOLDER_ID_PREFIX)


def partition(subject_id: str) -> str:
    """The partition key of the file's or folder's items."""
    kind = "FOLDER" if is_folder_id(subject_id) else "FILE"
    return f"{kind}#{subject_id}"


class Subject(Protocol):
    """A file or a folder, as sharing and links see it."""

    @property
    def subject_id(self) -> str: ...

    @property
    def owner_id(self) -> str: ...

    @property
    def linkable(self) -> bool:
        """Whether a public link may point at it now (a file only once it is available)."""
        ...

    @property
    def display_name(self) -> str:
        """The file's or folder's name, as emails about it say."""
        ...
