// The list of "My files", a folder, "Shared with me" and search results: folder and file rows,
// paging, the owner's actions on them, and what keeps them current (uploads landing here,
// files the server is still checking).

import { api } from "./api.js";
import { moveDialog, nameDialog } from "./folder-dialogs.js";
import { foldersChanged } from "./folder-tree.js";
import { icon } from "./icons.js";
import { entryKey, entryRow } from "./rows.js";
import { moveToTrash, parentOf, trashEvents } from "./trash.js";
import { h, toast } from "./ui.js";
import { uploads } from "./uploads.js";

const PAGE_SIZE = 20;
const WATCH_EVERY_MS = 1500;
const WATCH_TRIES = 60;
const WATCH_AT_MOST = 6; // files polled at once; the rest show their state on the next visit

const EMPTY = {
  top: ["folder", "No files yet", "Drop a file above to upload your first one."],
  folder: ["folder", "This folder is empty", "Drop files or a whole folder above to add them."],
  sharedFolder: ["folder", "This folder is empty", "Nothing has been put in it yet."],
  shared: [
    "users",
    "Nothing shared with you yet",
    "Files other people share with your email address show up here.",
  ],
  search: ["search", "Nothing matches", "Try another part of the name."],
  trash: ["trash", "The trash is empty", "Files and folders you delete wait here for a while."],
};

/** A list's empty state (`kind`: a key of EMPTY). */
export function emptyState(kind) {
  const [iconName, title, hint] = EMPTY[kind];
  return h(
    "div",
    { class: "empty" },
    icon(iconName, "icon empty-icon"),
    h("p", { class: "empty-title" }, title),
    h("p", { class: "hint" }, hint),
  );
}

/** Poll a file until it leaves `pending` (and an image gets its thumbnail), or until `replace`
 * answers false (its row is gone: moved away or deleted). */
async function watch(fileId, replace, signal) {
  for (let tries = 0; tries < WATCH_TRIES && !signal.aborted; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, WATCH_EVERY_MS));
    if (signal.aborted) return;
    let file;
    try {
      file = await api.getFile(fileId);
    } catch (error) {
      if (error.status === 404) return;
      continue;
    }
    if (replace(file) === false) return;
    const waitingForThumb =
      file.status === "available" && file.contentType.startsWith("image/") && !file.hasThumbnail;
    if (
      file.status === "rejected" ||
      (file.status === "available" && (!waitingForThumb || tries > 20))
    )
      return;
  }
}

const hiddenLabel = (text) => h("span", { class: "visually-hidden" }, text);

function tableHead(dateLabel) {
  return h(
    "thead",
    {},
    h(
      "tr",
      {},
      h("th", { scope: "col", class: "col-thumb" }, hiddenLabel("Preview")),
      h("th", { scope: "col" }, "Name"),
      h("th", { scope: "col", class: "col-size" }, "Size"),
      h("th", { scope: "col", class: "col-status" }, "Status"),
      h("th", { scope: "col", class: "col-date" }, dateLabel),
      h("th", { scope: "col", class: "col-actions" }, hiddenLabel("Actions")),
    ),
  );
}

/** The list's card: the table (hidden until it has rows), the empty state, status and paging. */
function listCard({ label, kind }) {
  const body = h("tbody");
  const dateLabel = kind === "shared" ? "Added" : "Created";
  const caption = h("caption", { class: "visually-hidden" }, label);
  const table = h("table", { class: "files", hidden: true }, caption, tableHead(dateLabel), body);
  const more = h(
    "button",
    { type: "button", class: "btn btn-secondary", hidden: true },
    "Load more",
  );
  const status = h("p", { class: "list-status", role: "status" });
  const empty = emptyState(kind);
  empty.hidden = true;
  const node = h(
    "section",
    { class: "card list-card", "aria-label": label },
    empty,
    table,
    status,
    h("div", { class: "more" }, more),
  );
  const showCount = (count) => {
    table.hidden = count === 0;
    empty.hidden = count > 0;
  };
  return { node, body, more, status, showCount };
}

/** A file the server is still working on: pending, or a new image without its thumbnail yet. */
function stillProcessing(file) {
  if (file.status === "pending") return true;
  return (
    file.status === "available" &&
    file.contentType.startsWith("image/") &&
    !file.hasThumbnail &&
    Date.now() - Date.parse(file.createdAt) < 120000
  );
}

/** The card's rows by entry key: put (add or replace) and remove; processing files are watched.
 * Folders stay above files: a new folder goes on top, a new file above the other files. */
function itemRows(card, { signal, onUsageChange }) {
  const rows = new Map();
  const watching = new Set();
  let actions = null;
  const place = (row, entry) => {
    if (entry.type === "folder") return card.body.prepend(row);
    const firstFile = card.body.querySelector("tr[data-file-id]");
    if (firstFile) firstFile.before(row);
    else card.body.append(row);
  };
  const follow = (file) => {
    if (!stillProcessing(file) || watching.has(file.fileId) || watching.size >= WATCH_AT_MOST)
      return;
    watching.add(file.fileId);
    const refresh = (f) => rows.has(`file:${f.fileId}`) && (put({ type: "file", file: f }), true);
    watch(file.fileId, refresh, signal).finally(() => {
      watching.delete(file.fileId);
      onUsageChange?.();
    });
  };
  const put = (entry, { prepend = false } = {}) => {
    const key = entryKey(entry);
    const row = entryRow(entry, actions);
    const existing = rows.get(key);
    if (existing) existing.replaceWith(row);
    else if (prepend) place(row, entry);
    else card.body.append(row);
    rows.set(key, row);
    card.showCount(rows.size);
    if (entry.type === "file") follow(entry.file);
  };
  // A row that held the focus (its Delete or Move button) hands it to the next row's link
  // (else the previous one's, else the page's heading), not to the top of the page.
  const remove = (key) => {
    const row = rows.get(key);
    const next = row?.nextElementSibling || row?.previousElementSibling;
    const hadFocus = row?.contains(document.activeElement);
    row?.remove();
    rows.delete(key);
    card.showCount(rows.size);
    if (hadFocus) (next?.querySelector("a") || document.querySelector("main h1"))?.focus();
  };
  const useActions = (value) => (actions = value);
  return { put, remove, count: () => rows.size, useActions };
}

/** Load the next page into the card; `more` asks for the one after. */
function pager(card, rows, fetchPage, signal) {
  let cursor = null;
  const load = async () => {
    card.more.disabled = true;
    card.status.textContent = "Loading…";
    try {
      const page = await fetchPage(cursor, PAGE_SIZE);
      if (signal.aborted) return;
      page.items.forEach((entry) => rows.put(entry));
      cursor = page.nextCursor;
      card.more.hidden = !cursor;
      const count = rows.count();
      card.status.textContent = count ? `${count} item${count === 1 ? "" : "s"} shown` : "";
      card.showCount(count);
    } catch (error) {
      card.status.textContent = error.message;
    } finally {
      card.more.disabled = false;
    }
  };
  card.more.addEventListener("click", load);
  return load;
}

/** Uploads into this folder show up in its list as they are created, finish or go away; so do
 * the folders a folder upload creates in it, and what is restored into it from the trash. */
function followUploads(rows, folderId, { signal, onUsageChange }) {
  const here = (file) => file && (file.folderId ?? null) === folderId;
  const restored = ({ detail: entry }) =>
    parentOf(entry) === folderId && rows.put(entry, { prepend: true });
  trashEvents.addEventListener("restored", restored, { signal });
  const folderHere = ({ detail: folder }) =>
    (folder.parentId ?? null) === folderId &&
    rows.put({ type: "folder", folder }, { prepend: true });
  uploads.addEventListener("folder-created", folderHere, { signal });
  const on = (type, handle) =>
    uploads.addEventListener(
      type,
      async (e) => {
        await handle(e.detail);
        onUsageChange?.();
      },
      { signal },
    );
  on("created", async (detail) => {
    const file = detail.fileName ? detail : await api.getFile(detail.fileId).catch(() => null);
    if (here(file) && !signal.aborted) rows.put({ type: "file", file }, { prepend: true });
  });
  on("finished", (file) => here(file) && rows.put({ type: "file", file }, { prepend: true }));
  on("removed", (fileId) => rows.remove(`file:${fileId}`));
}

const moveCall = (item, folderId) =>
  item.type === "folder" ? api.moveFolder(item.id, folderId) : api.moveFile(item.id, folderId);

/**
 * The owner's actions on the rows of a list showing `folderId` (undefined: a search, whose
 * rows stay where they are); `trail` is where the move dialog starts.
 */
function ownerActions(rows, { folderId, trail = [], onUsageChange }) {
  const moved = (item, updated, target) => {
    toast(`Moved ${item.name} to ${target.name}.`, "success");
    if (item.type === "folder") foldersChanged();
    const key = `${item.type}:${item.id}`;
    if (folderId === undefined) rows.put({ type: item.type, [item.type]: updated });
    else if (target.folderId !== folderId) rows.remove(key);
  };
  const moveTo = async (item, target) => moved(item, await moveCall(item, target.folderId), target);
  return {
    move: (item) => moveDialog(item, trail, moveTo),
    drop: (item, target) => moveTo(item, target).catch((error) => toast(error.message, "error")),
    async rename(item) {
      const folder = await nameDialog({
        title: `Rename ${item.name}`,
        label: "New name",
        value: item.name,
        confirmLabel: "Rename",
        save: (name) => api.renameFolder(item.id, name),
      });
      if (!folder) return;
      rows.put({ type: "folder", folder });
      foldersChanged();
      toast("Folder renamed.", "success");
    },
    /** To the trash (no question asked: the notice that says so has Undo). */
    async remove(item) {
      if (await moveToTrash(item, { onUsageChange })) rows.remove(`${item.type}:${item.id}`);
    },
    moveTo,
  };
}

/**
 * A list card. `kind`: top, folder, sharedFolder, shared or search; `fetchPage(cursor, limit)`
 * answers `{items: [{type, folder|file}], nextCursor}`. `editable`: the owner's actions show;
 * `folderId` (null: the top level) also takes in the uploads started there.
 */
export function listing(options) {
  const { kind, label, fetchPage, editable, folderId, signal } = options;
  const card = listCard({ label, kind });
  const rows = itemRows(card, options);
  const actions = editable ? ownerActions(rows, options) : null;
  rows.useActions(actions);
  if (editable && folderId !== undefined) followUploads(rows, folderId, options);
  const load = pager(card, rows, fetchPage, signal);
  const added = (entry) => rows.put(entry, { prepend: true });
  return { node: card.node, load, actions, added };
}
