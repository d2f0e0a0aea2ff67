"""Folders: create, rename, move, delete, browse, search, and "shared with me" (API.md v2)."""
