"""Who besides its owner may reach a file: user shares, public links and their limits.

The items that grant access live here, below both the files domain (which asks "may this user
read it?" and purges them with a file) and the sharing rules and routes (`app.shares`).
"""

from app.access import limits, links, shares


def purge_file(file_id: str) -> None:
    """A deleted file's shares, links and limit counters go with it."""
    links.delete_file_links(file_id)
    shares.delete_file_shares(file_id)
    limits.forget(file_id)
