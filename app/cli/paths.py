"""`ID|PATH` arguments: an id as the API gives it (a file's UUID, a folder's `fo-` id), else a
path from your top level (`Photos/2024/a.jpg`; a leading `/` forces a path)."""

import re
from dataclasses import dataclass, field
from typing import Any

from app.cli.api import Api
from app.cli.errors import CliError, NotFound

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
FILE_ID = re.compile(UUID)
FOLDER_ID = re.compile(f"fo-{UUID}")


@dataclass(frozen=True)
class Item:
    type: str  # "file" | "folder"
    id: str  # "root": your top level
    name: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def is_folder(self) -> bool:
        return self.type == "folder"

    @property
    def api_path(self) -> str:
        return f"/{self.type}s/{self.id}"

    @property
    def as_parent(self) -> str | None:
        """What a body's `parentId` or `folderId` says for it: null for your top level."""
        return None if self.id == "root" else self.id


ROOT = Item("folder", "root", "/")


def of(entry: dict[str, Any]) -> Item:
    """An item of a listing (`{type, file}` or `{type, folder}`)."""
    kind = entry["type"]
    data = entry[kind]
    if kind == "folder":
        return Item("folder", data["folderId"], data["name"], data)
    return Item("file", data["fileId"], data["fileName"], data)


def children(api: Api, folder: Item) -> list[Item]:
    return [of(entry) for entry in api.pages(f"/folders/{folder.id}/items")]


def child(api: Api, folder: Item, name: str) -> Item | None:
    """The one item called `name` in `folder`; siblings may share a name, so say when they do."""
    found = [item for item in children(api, folder) if item.name == name]
    if len(found) > 1:
        ids = ", ".join(item.id for item in found)
        raise CliError(
            f"{len(found)} items are called {name!r} there: use an id ({ids})", "ambiguous_path"
        )
    return found[0] if found else None


def split(path: str) -> list[str]:
    return [part for part in path.strip().split("/") if part not in ("", ".")]


def resolve(api: Api, spec: str) -> Item:
    """The file or folder `spec` names, or NotFound."""
    if FILE_ID.fullmatch(spec):
        return Item("file", spec, (data := api.get(f"/files/{spec}"))["fileName"], data)
    if FOLDER_ID.fullmatch(spec):
        data = api.get(f"/folders/{spec}")["folder"]
        return Item("folder", spec, data["name"], data)
    here = ROOT
    for part in split(spec):
        found = child(api, here, part) if here.is_folder else None
        if found is None:
            raise NotFound(f"no such file or folder: {spec}", "not_found")
        here = found
    return here


def item(api: Api, spec: str) -> Item:
    """The file or folder `spec` names, never your top level: no route takes it as an item."""
    found = resolve(api, spec)
    if found.id == ROOT.id:
        raise CliError("your top level is not a file or folder: name one in it", "invalid_target")
    return found


def folder(api: Api, spec: str | None) -> Item:
    """The folder `spec` names (your top level when None)."""
    target = resolve(api, spec) if spec else ROOT
    if not target.is_folder:
        raise CliError(f"not a folder: {spec}", "not_a_folder")
    return target


def make_folders(api: Api, parent: Item, parts: list[str]) -> Item:
    """`parent/parts...`, each folder created unless one of that name is already there."""
    for part in parts:
        found = child(api, parent, part)
        if found is not None and not found.is_folder:
            raise CliError(f"{part!r} is a file, not a folder", "not_a_folder")
        if found is None:
            body = {"name": part, "parentId": parent.as_parent}
            created = api.call("POST", "/folders", json=body)
            found = Item("folder", created["folderId"], created["name"], created)
        parent = found
    return parent
