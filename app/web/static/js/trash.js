// Deleting from the lists and a file's page: a file or folder goes to the trash, and the notice
// that says so can undo it. Whatever is restored is announced, so the list it belongs to
// takes it back.

import { api } from "./api.js";
import { foldersChanged } from "./folder-tree.js";
import { toast } from "./ui.js";

/** "restored": detail {type, file|folder}, an item back from the trash. */
export const trashEvents = new EventTarget();

const enc = encodeURIComponent;

/** The folder an entry is in (null: the top level). */
export const parentOf = (entry) =>
  (entry.type === "folder" ? entry.folder.parentId : entry.file.folderId) ?? null;

/** Where a restored entry lives now: its folder's page, or the top level. */
export function placeOf(entry) {
  const parent = parentOf(entry);
  return parent ? `#/folder/${enc(parent)}` : "#/files";
}

/** What a restore says: back where it was, or at the top level when its folder is gone. */
export function restoredText(name, before, after) {
  if (parentOf(before) === parentOf(after)) return `${name} is back where it was.`;
  return `${name} is back, in My files: the folder it was in is gone.`;
}

/** The list entry's name, whichever type it is. */
export const entryName = (entry) =>
  entry.type === "folder" ? entry.folder.name : entry.file.fileName;

/** Take an item ({type, id, name}) back out of the trash; answers the restored entry. */
export async function restore(item) {
  const entry = await api.restoreFromTrash(item.id);
  if (entry.type === "folder") foldersChanged();
  trashEvents.dispatchEvent(new CustomEvent("restored", { detail: entry }));
  return entry;
}

async function undo(item, onUsageChange) {
  try {
    const entry = await restore(item);
    const show = { label: "Show", run: () => (location.hash = placeOf(entry)) };
    toast(`${item.name} is back where it was.`, "success", { action: show });
    onUsageChange?.();
  } catch (error) {
    toast(error.message, "error");
  }
}

/**
 * Delete an item ({type, id, name}; a file also `status`): an available file or a folder goes
 * to the trash, with Undo in the notice; a file still pending or rejected holds nothing worth
 * keeping, and the API deletes it for good. Answers true once deleted; a failure is a notice.
 */
export async function moveToTrash(item, { onUsageChange } = {}) {
  try {
    if (item.type === "folder") await api.deleteFolder(item.id);
    else await api.deleteFile(item.id);
  } catch (error) {
    toast(error.message, "error");
    return false;
  }
  if (item.type === "folder") foldersChanged();
  onUsageChange?.();
  if (item.type === "file" && item.status !== "available") {
    toast(`${item.name} was deleted.`, "success");
    return true;
  }
  const action = {
    label: "Undo",
    ariaLabel: `Undo: restore ${item.name}`,
    key: "z",
    run: () => undo(item, onUsageChange),
  };
  toast(`${item.name} moved to the trash.`, "success", { action });
  return true;
}
