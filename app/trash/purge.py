"""Purge jobs, in the worker: what goes for good goes here, once the decision is written.

A job (`PURGE / <id>`) is written in the same transaction that marks its item `deleting`, and
removed last, so a purge that died is run again from the top (the stream retries the batch;
locally the poller reads the jobs). Every step is idempotent.
"""

import logging

from app import db
from app.access.subjects import is_folder_id
from app.clock import iso, utcnow
from app.files import repository as files
from app.files import service as files_service
from app.folders.purge import purge_folder
from app.retention import repository as repo
from app.tree import repository as tree

log = logging.getLogger("sharebox.trash.purge")


def run(job: str) -> None:
    """Do one purge job: a file, a folder and everything below it, or an owner's whole trash."""
    empty = repo.empty_job_of(job)
    if empty is not None:
        _empty(*empty)
    elif is_folder_id(job):
        purge_folder(job)
        tree.delete_folder_item(job)  # last: until then, the walk can start again from it
    else:
        purge_file(job)
    repo.end_job(job)


def purge_file(file_id: str) -> None:
    """A file for good: its item (its bytes stop counting), every stored version, its
    thumbnail, shares, links and log."""
    record = files.get_file(file_id)
    if record is not None:
        files_service.delete_file(record)
    else:  # its item went in an earlier run that stopped before the rest
        files_service.delete_leftovers(file_id)


def _empty(owner_id: str, cutoff: str) -> None:
    """Send everything the owner deleted until `cutoff` for good, each by its own job."""
    for item in db.query_all(repo.trash_query(owner_id)):
        values = db.from_item(item) or {}
        if values["trashedAt"] > cutoff:
            continue
        repo.delete_for_good(
            item["pk"]["S"].split("#", 1)[1],
            owner_id,
            trashed_at=values["trashedAt"],
            purge_at=int(values["purgeAt"]),
            now=iso(utcnow()),
        )


def run_waiting(limit: int | None = None) -> int:
    """Run the jobs still waiting (the local stand-in for the stream trigger)."""
    waiting = repo.jobs()[:limit]
    for job in waiting:
        run(job)
    return len(waiting)
