"""ls, mkdir, mv, rm, trash, restore."""

from typing import Any

import click

from app.cli import output, paths
from app.cli.context import Context, command
from app.cli.errors import CliError, NotFound
from app.cli.paths import ROOT, Item


def line(item: Item) -> str:
    """`name/  -  date  id` for a folder, `name  1.2 MiB  date  id` for a file."""
    data = item.data
    if item.is_folder:
        return f"{item.name + '/':<40} {'-':>10}  {data.get('createdAt', ''):<20}  {item.id}"
    when = data.get("uploadedAt") or data.get("createdAt") or ""
    status = "" if data.get("status", "available") == "available" else f"  [{data['status']}]"
    return f"{item.name:<40} {output.size(data.get('size')):>10}  {when:<20}  {item.id}{status}"


def entry(item: Item) -> dict[str, Any]:
    return {"type": item.type, item.type: item.data}


def _move(context: Context, source: Item, parent: Item, name: str) -> dict[str, Any]:
    name_field, parent_field = (
        ("name", "parentId") if source.is_folder else ("fileName", "folderId")
    )
    body: dict[str, Any] = {}
    if name != source.name:
        body[name_field] = name
    if parent.as_parent != source.data.get(parent_field):
        body[parent_field] = parent.as_parent
    return {"type": source.type, source.type: context.api.call("PATCH", source.api_path, json=body)}


def register(group: click.Group) -> None:
    @command(group)
    @click.argument("folder", required=False)
    @click.option("--shared", is_flag=True, help="What others shared with you instead.")
    def ls(context: Context, folder: str | None, shared: bool) -> None:
        """List a folder (your top level by default), folders first.

        Shared items are reached by id: `ls --shared` shows them.
        """
        if shared:
            items = [paths.of(entry) for entry in context.api.pages("/shared")]
        else:
            target = paths.resolve(context.api, folder) if folder else ROOT
            items = paths.children(context.api, target) if target.is_folder else [target]
        context.emit({"items": [entry(item) for item in items]}, [line(item) for item in items])

    @command(group)
    @click.argument("path", nargs=-1, required=True)
    @click.option(
        "-p", "--parents", is_flag=True, help="Create missing parents; no error if it exists."
    )
    def mkdir(context: Context, path: tuple[str, ...], parents: bool) -> None:
        """Create folders (PATH from your top level)."""
        made = []
        for spec in path:
            *above, name = paths.split(spec) or [""]
            if not name:
                raise CliError("give the new folder a name", "invalid_name")
            parent = (
                paths.make_folders(context.api, ROOT, above)
                if parents
                else paths.folder(context.api, "/".join(above))
            )
            existing = paths.child(context.api, parent, name)
            if existing is not None and not parents:
                raise CliError(f"{spec} already exists", "already_exists")
            made.append(existing or paths.make_folders(context.api, parent, [name]))
        context.emit({"items": [entry(item) for item in made]}, [line(item) for item in made])

    @command(group)
    @click.argument("source")
    @click.argument("destination")
    def mv(context: Context, source: str, destination: str) -> None:
        """Move or rename: into DESTINATION when it is a folder, else to that path."""
        api, moving = context.api, paths.item(context.api, source)
        try:
            there = paths.resolve(api, destination)
        except NotFound:
            there = None
        if there is not None and not there.is_folder:
            raise CliError(f"{destination} already exists", "already_exists")
        if there is not None:
            parent, name = there, moving.name
        else:
            *above, name = paths.split(destination)
            parent = paths.folder(api, "/".join(above))
        moved = _move(context, moving, parent, name)
        context.emit(moved, f"{source} -> {destination}")

    @command(group)
    @click.argument("target", nargs=-1, required=True)
    @click.option("-r", "--recursive", is_flag=True, help="Also folders, with everything below.")
    def rm(context: Context, target: tuple[str, ...], recursive: bool) -> None:
        """Move files (and folders with -r) to the trash."""
        removed = []
        for spec in target:
            item = paths.item(context.api, spec)
            if item.is_folder and not recursive:
                raise CliError(f"{spec} is a folder: use -r", "is_a_folder")
            context.api.call("DELETE", item.api_path)
            removed.append({"type": item.type, "id": item.id, "name": item.name})
        context.emit(
            {"items": removed}, [f"{r['name']} moved to the trash ({r['id']})" for r in removed]
        )

    @command(group)
    @click.option("--empty", is_flag=True, help="Delete everything in the trash for good.")
    def trash(context: Context, empty: bool) -> None:
        """What you deleted, and when it goes for good."""
        if empty:
            context.api.call("DELETE", "/trash")
            context.emit({"emptying": True}, "The trash is being emptied.")
            return
        items = context.api.pages("/trash")
        lines = [f"{line(paths.of(it))}  purged {it.get('purgeAt', '')}" for it in items]
        context.emit({"items": items}, lines)

    @command(group)
    @click.argument("target", nargs=-1, required=True)
    def restore(context: Context, target: tuple[str, ...]) -> None:
        """Restore from the trash, by id or by name."""
        restored = []
        for spec in target:
            restored.append(context.api.call("POST", f"/trash/{_trashed(context, spec)}/restore"))
        context.emit({"items": restored}, [f"{spec} restored" for spec in target])


def _trashed(context: Context, spec: str) -> str:
    if paths.FILE_ID.fullmatch(spec) or paths.FOLDER_ID.fullmatch(spec):
        return spec
    found = [paths.of(it) for it in context.api.pages("/trash")]
    found = [item for item in found if item.name == spec]
    if not found:
        raise NotFound(f"nothing called {spec!r} in the trash", "not_found")
    if len(found) > 1:
        raise CliError(
            f"{len(found)} items called {spec!r} in the trash: use an id", "ambiguous_path"
        )
    return found[0].id
