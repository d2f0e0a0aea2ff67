"""Purging a folder that goes for good: everything that was below it, in the worker.

A folder going for good (from the trash: `app.trash`) is marked `deleting` with a purge job
(`PURGE / <folderId>`) in one transaction. The job's insert reaches the worker through the
table's stream (locally, the poller reads the jobs); the purge walks the tree index below it,
deletes each file as `DELETE /files/{id}` does (bytes, thumbnail, shares, links, log, and its
quota given back), then each folder's own items, children before parents, and removes the job
last. Every step is idempotent, so a purge that stopped half-way is run again from the top:
the walk finds what is left through the parent pointers, which outlive their parents' items.
"""

import logging

from app import access
from app.activity import log as activity
from app.files import repository as files
from app.files import service as files_service
from app.tree import repository as tree

log = logging.getLogger("sharebox.folders.purge")


def purge_folder(folder_id: str) -> int:
    """Delete everything below `folder_id` and what the folder itself held; returns the
    number of files deleted."""
    deleted = 0
    stack: list[tuple[str, bool]] = [(folder_id, False)]
    while stack:
        current, emptied = stack.pop()
        if emptied:
            if current != folder_id:
                tree.delete_folder_item(current)
            access.purge_file(current)  # the folder's shares, links and limit counters
            activity.purge(current)
            continue
        stack.append((current, True))
        # The index may lag behind a move out of the folder: each child is read again, and
        # only what still sits in it goes.
        for child in tree.children(current):
            if child.kind == "folder":
                below = tree.get_folder(child.item_id)
                if below is None or below.parent_id == current:
                    stack.append((child.item_id, False))
                continue
            record = files.get_file(child.item_id)
            if record is not None and record.folder_id == current:
                files_service.delete_file(record)
                deleted += 1
    log.info("folder purged", extra={"folderId": folder_id, "files": deleted})
    return deleted
