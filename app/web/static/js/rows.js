// The rows of a list of folders and files: a link to open each, its facts, and its actions.

import { api } from "./api.js";
import { dragSource, dropTarget } from "./drag.js";
import { expiryBadge } from "./expiry.js";
import { icon } from "./icons.js";
import { fileThumb } from "./thumbs.js";
import { uploadedByNote } from "./uploaded-by.js";
import { dateCell, formatBytes, h, startDownload, statusBadge, toast } from "./ui.js";

/** What a list entry ({type, folder} or {type, file}) is, in the shape moves and dialogs use. */
export function describe(entry) {
  if (entry.type === "folder") {
    const { folderId, name, parentId, sharedWithMe } = entry.folder;
    return { type: "folder", id: folderId, name, parentId: parentId ?? null, mine: !sharedWithMe };
  }
  const { fileId, fileName, folderId, sharedWithMe, status } = entry.file;
  const parentId = folderId ?? null;
  return { type: "file", id: fileId, name: fileName, parentId, mine: !sharedWithMe, status };
}

export const entryKey = (entry) =>
  entry.type === "folder" ? `folder:${entry.folder.folderId}` : `file:${entry.file.fileId}`;

const iconButton = (iconName, label, title, onclick) =>
  h(
    "button",
    { type: "button", class: "btn-icon", "aria-label": label, title, onclick },
    icon(iconName),
  );

function downloadButton(file) {
  const button = iconButton("download", `Download ${file.fileName}`, "Download", async () => {
    try {
      startDownload((await api.downloadUrl(file.fileId)).downloadUrl);
    } catch (error) {
      toast(error.message, "error");
    }
  });
  button.disabled = file.status !== "available";
  return button;
}

/** The owner's buttons: a folder is renamed, moved and deleted here; a file moved and deleted
 * (its own page renames it). Deleting puts it in the trash. */
function ownerButtons(item, actions) {
  const { name } = item;
  const move = iconButton("move", `Move ${name}`, "Move", () => actions.move(item));
  const remove = iconButton("trash", `Delete ${name}`, "Move to the trash", () =>
    actions.remove(item),
  );
  if (item.type === "file") return [move, remove];
  return [iconButton("edit", `Rename ${name}`, "Rename", () => actions.rename(item)), move, remove];
}

/** `actions` ({rename, move, remove, drop}), or null where the list is read-only. */
function editable(row, item, actions) {
  if (!actions || !item.mine) return [];
  dragSource(row, item);
  if (item.type === "folder") dropTarget(row, { folderId: item.id, name: item.name }, actions.drop);
  return ownerButtons(item, actions);
}

function fileRow(file, actions) {
  const row = h("tr", { "data-file-id": file.fileId, "data-status": file.status });
  const buttons = editable(row, describe({ type: "file", file }), actions);
  row.append(
    h("td", { class: "col-thumb" }, fileThumb(file)),
    h(
      "td",
      { class: "col-name" },
      h(
        "a",
        { href: `#/file/${encodeURIComponent(file.fileId)}`, class: "file-link" },
        file.fileName,
      ),
      expiryBadge(file),
      h(
        "span",
        { class: "row-meta" },
        statusBadge(file),
        " ",
        formatBytes(file.size),
        " · ",
        dateCell(file.createdAt),
      ),
      uploadedByNote(file),
    ),
    h("td", { class: "col-size" }, formatBytes(file.size)),
    h("td", { class: "col-status" }, statusBadge(file)),
    h("td", { class: "col-date" }, dateCell(file.createdAt)),
    h("td", { class: "col-actions" }, downloadButton(file), ...buttons),
  );
  return row;
}

function folderRow(folder, actions) {
  const row = h("tr", { class: "folder-row", "data-folder-id": folder.folderId });
  const buttons = editable(row, describe({ type: "folder", folder }), actions);
  const href = `#/folder/${encodeURIComponent(folder.folderId)}`;
  row.append(
    h("td", { class: "col-thumb" }, h("span", { class: "thumb thumb-folder" }, icon("folder"))),
    h(
      "td",
      { class: "col-name" },
      h("a", { href, class: "file-link" }, folder.name),
      h("span", { class: "row-meta" }, "Folder · ", dateCell(folder.createdAt)),
    ),
    h("td", { class: "col-size" }),
    h("td", { class: "col-status" }, h("span", { class: "badge badge-folder" }, "Folder")),
    h("td", { class: "col-date" }, dateCell(folder.createdAt)),
    h("td", { class: "col-actions" }, ...buttons),
  );
  return row;
}

/** A list entry's row; `actions` null makes it read-only (a folder shared with me). */
export function entryRow(entry, actions) {
  return entry.type === "folder" ? folderRow(entry.folder, actions) : fileRow(entry.file, actions);
}
