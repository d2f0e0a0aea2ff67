"""Who besides its owner may reach a file or a folder: user shares, public links, upload
requests (which let anyone holding one send files into a folder) and their limits.

The items that grant access live here, below both the files domain (which asks "may this user
read it?" and purges them with a file) and the rules and routes that make them (`app.shares`,
`app.requests`).
"""

from app.access import limits, links, requests, shares
from app.access.subjects import is_folder_id


def purge_file(file_id: str) -> None:
    """A deleted file's (or folder's) shares, links, upload requests and limit counters go
    with it."""
    links.delete_file_links(file_id)
    shares.delete_file_shares(file_id)
    if is_folder_id(file_id):
        requests.delete_folder_requests(file_id)
    limits.forget(file_id)
