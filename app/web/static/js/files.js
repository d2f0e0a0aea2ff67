// "My files" (with the drop zone and upload progress) and "Shared with me".

import { api } from "./api.js";
import { fileThumb } from "./thumbs.js";
import { dropZone, interruptedPanel, uploadsPanel } from "./upload-panels.js";
import { icon } from "./icons.js";
import {
  dateCell,
  formatBytes,
  h,
  mount,
  setTitle,
  startDownload,
  statusBadge,
  toast,
} from "./ui.js";
import { uploads } from "./uploads.js";

const PAGE_SIZE = 20;
const WATCH_EVERY_MS = 1500;
const WATCH_TRIES = 60;
const WATCH_AT_MOST = 6; // files polled at once; the rest show their state on the next visit

function fileRow(file, shared) {
  const detail = `#/file/${encodeURIComponent(file.fileId)}`;
  const download = h(
    "button",
    {
      type: "button",
      class: "btn-icon",
      "aria-label": `Download ${file.fileName}`,
      title: "Download",
    },
    icon("download"),
  );
  download.disabled = file.status !== "available";
  download.addEventListener("click", async () => {
    try {
      startDownload((await api.downloadUrl(file.fileId)).downloadUrl);
    } catch (error) {
      toast(error.message, "error");
    }
  });
  return h(
    "tr",
    { "data-file-id": file.fileId, "data-status": file.status },
    h("td", { class: "col-thumb" }, fileThumb(file)),
    h(
      "td",
      { class: "col-name" },
      h("a", { href: detail, class: "file-link" }, file.fileName),
      h(
        "span",
        { class: "row-meta" },
        statusBadge(file),
        " ",
        formatBytes(file.size),
        " · ",
        dateCell(file.createdAt),
      ),
    ),
    h("td", { class: "col-size" }, formatBytes(file.size)),
    h("td", { class: "col-status" }, statusBadge(file)),
    h("td", { class: "col-date" }, dateCell(file.createdAt)),
    h("td", { class: "col-actions" }, download),
  );
}

function emptyState(shared) {
  return shared
    ? h(
        "div",
        { class: "empty" },
        icon("users", "icon empty-icon"),
        h("p", { class: "empty-title" }, "Nothing shared with you yet"),
        h("p", { class: "hint" }, "Files other people share with your email address show up here."),
      )
    : h(
        "div",
        { class: "empty" },
        icon("folder", "icon empty-icon"),
        h("p", { class: "empty-title" }, "No files yet"),
        h("p", { class: "hint" }, "Drop a file above to upload your first one."),
      );
}

/** Poll a file until it leaves `pending` (and an image gets its thumbnail). */
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
    replace(file);
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

function tableHead(shared) {
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
      h("th", { scope: "col", class: "col-date" }, shared ? "Added" : "Uploaded"),
      h("th", { scope: "col", class: "col-actions" }, hiddenLabel("Actions")),
    ),
  );
}

/** The list's card: the table (hidden until it has rows), the empty state, status and paging. */
function listCard(shared) {
  const body = h("tbody");
  const caption = h(
    "caption",
    { class: "visually-hidden" },
    shared ? "Files shared with you" : "Your files",
  );
  const table = h("table", { class: "files", hidden: true }, caption, tableHead(shared), body);
  const more = h(
    "button",
    { type: "button", class: "btn btn-secondary", hidden: true },
    "Load more",
  );
  const status = h("p", { class: "list-status", role: "status" });
  const empty = emptyState(shared);
  empty.hidden = true;
  const node = h(
    "section",
    { class: "card list-card", "aria-label": shared ? "Shared with me" : "My files" },
    empty,
    table,
    status,
    h("div", { class: "more" }, more),
  );
  const showCount = (count) => {
    table.hidden = count === 0;
    empty.hidden = count > 0;
  };
  return { node, body, table, more, status, showCount };
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

/** The card's rows by file id: put (add or replace) and remove; processing files are watched. */
function fileRows(card, { shared, signal, onUsageChange }) {
  const rows = new Map();
  const watching = new Set();
  const put = (file, { prepend = false } = {}) => {
    const row = fileRow(file, shared);
    const existing = rows.get(file.fileId);
    if (existing) existing.replaceWith(row);
    else if (prepend) card.body.prepend(row);
    else card.body.append(row);
    rows.set(file.fileId, row);
    card.showCount(rows.size);
    if (!stillProcessing(file) || watching.has(file.fileId) || watching.size >= WATCH_AT_MOST)
      return;
    watching.add(file.fileId);
    watch(file.fileId, (f) => put(f), signal).finally(() => {
      watching.delete(file.fileId);
      onUsageChange?.();
    });
  };
  const remove = (fileId) => {
    rows.get(fileId)?.remove();
    rows.delete(fileId);
    card.showCount(rows.size);
  };
  return { put, remove, count: () => rows.size };
}

/** Load the next page into the card; `more` asks for the one after. */
function pager(card, rows, { shared, signal }) {
  let cursor = null;
  const load = async () => {
    card.more.disabled = true;
    card.status.textContent = "Loading…";
    try {
      const page = shared
        ? await api.listShared(cursor, PAGE_SIZE)
        : await api.listFiles(cursor, PAGE_SIZE);
      if (signal.aborted) return;
      page.items.forEach((file) => rows.put(file));
      cursor = page.nextCursor;
      card.more.hidden = !cursor;
      const count = rows.count();
      card.status.textContent = count ? `${count} file${count === 1 ? "" : "s"} shown` : "";
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

/** Uploads from this page show up in "My files" as they are created, finish or go away. */
function followUploads(rows, { signal, onUsageChange }) {
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
    if (file && !signal.aborted) rows.put(file, { prepend: true });
  });
  on("finished", (file) => rows.put(file, { prepend: true }));
  on("removed", (fileId) => rows.remove(fileId));
}

const uploadButton = () =>
  h(
    "button",
    {
      type: "button",
      class: "btn btn-primary",
      onclick: () => document.getElementById("file-picker").click(),
    },
    icon("upload"),
    "Upload files",
  );

function pageHead(shared) {
  const lead = shared
    ? "Files other people have shared with you."
    : "Upload, organise and share your files.";
  return h(
    "div",
    { class: "page-head" },
    h(
      "div",
      {},
      h("h1", { tabindex: "-1" }, shared ? "Shared with me" : "My files"),
      h("p", { class: "lead" }, lead),
    ),
    shared ? null : uploadButton(),
  );
}

export function filesView(main, options) {
  const { shared, signal } = options;
  setTitle(shared ? "Shared with me" : "My files");
  const card = listCard(shared);
  const rows = fileRows(card, options);
  const load = pager(card, rows, options);
  if (!shared) followUploads(rows, options);
  const head = pageHead(shared);
  const uploading = shared
    ? []
    : [dropZone(signal), uploadsPanel(signal), interruptedPanel(signal)];
  mount(main, head, ...uploading, card.node);
  load();
}
