"""Sharing: files shared with other users, public links, and the owner's access log."""
