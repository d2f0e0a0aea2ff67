// "My files" (with the drop zone and upload progress) and "Shared with me".

import { api } from "./api.js";
import { fileThumb } from "./thumbs.js";
import { dropZone, interruptedPanel, uploadsPanel } from "./upload-panels.js";
import {
  dateCell,
  formatBytes,
  h,
  icon,
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

export function filesView(main, { shared, signal, onUsageChange }) {
  setTitle(shared ? "Shared with me" : "My files");
  const body = h("tbody");
  const table = h(
    "table",
    { class: "files" },
    h("caption", { class: "visually-hidden" }, shared ? "Files shared with you" : "Your files"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h(
          "th",
          { scope: "col", class: "col-thumb" },
          h("span", { class: "visually-hidden" }, "Preview"),
        ),
        h("th", { scope: "col" }, "Name"),
        h("th", { scope: "col", class: "col-size" }, "Size"),
        h("th", { scope: "col", class: "col-status" }, "Status"),
        h("th", { scope: "col", class: "col-date" }, shared ? "Added" : "Uploaded"),
        h(
          "th",
          { scope: "col", class: "col-actions" },
          h("span", { class: "visually-hidden" }, "Actions"),
        ),
      ),
    ),
    body,
  );
  const more = h(
    "button",
    { type: "button", class: "btn btn-secondary", hidden: true },
    "Load more",
  );
  const status = h("p", { class: "list-status", role: "status" });
  const empty = emptyState(shared);
  empty.hidden = true;
  const listCard = h(
    "section",
    { class: "card list-card", "aria-label": shared ? "Shared with me" : "My files" },
    empty,
    table,
    status,
    h("div", { class: "more" }, more),
  );
  const rows = new Map();
  let cursor = null;
  let count = 0;
  const watching = new Set();

  const put = (file, { prepend = false } = {}) => {
    const row = fileRow(file, shared);
    const existing = rows.get(file.fileId);
    if (existing) existing.replaceWith(row);
    else if (prepend) body.prepend(row);
    else body.append(row);
    rows.set(file.fileId, row);
    count = rows.size;
    table.hidden = false;
    empty.hidden = true;
    const needsWatch =
      file.status === "pending" ||
      (file.status === "available" &&
        file.contentType.startsWith("image/") &&
        !file.hasThumbnail &&
        Date.now() - Date.parse(file.createdAt) < 120000);
    if (needsWatch && !watching.has(file.fileId) && watching.size < WATCH_AT_MOST) {
      watching.add(file.fileId);
      watch(file.fileId, (f) => put(f), signal).finally(() => {
        watching.delete(file.fileId);
        onUsageChange?.();
      });
    }
  };
  const remove = (fileId) => {
    rows.get(fileId)?.remove();
    rows.delete(fileId);
    count = rows.size;
    table.hidden = count === 0;
    empty.hidden = count > 0;
  };

  const load = async () => {
    more.disabled = true;
    status.textContent = "Loading…";
    try {
      const page = shared
        ? await api.listShared(cursor, PAGE_SIZE)
        : await api.listFiles(cursor, PAGE_SIZE);
      if (signal.aborted) return;
      page.items.forEach((file) => put(file));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      status.textContent = count ? `${count} file${count === 1 ? "" : "s"} shown` : "";
      table.hidden = count === 0;
      empty.hidden = count > 0;
    } catch (error) {
      status.textContent = error.message;
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener("click", load);

  if (!shared) {
    uploads.addEventListener(
      "created",
      async (e) => {
        const file = e.detail.fileName
          ? e.detail
          : await api.getFile(e.detail.fileId).catch(() => null);
        if (file && !signal.aborted) put(file, { prepend: true });
        onUsageChange?.();
      },
      { signal },
    );
    uploads.addEventListener(
      "finished",
      (e) => {
        put(e.detail, { prepend: true });
        onUsageChange?.();
      },
      { signal },
    );
    uploads.addEventListener(
      "removed",
      (e) => {
        remove(e.detail);
        onUsageChange?.();
      },
      { signal },
    );
  }

  const heading = h(
    "div",
    { class: "page-head" },
    h(
      "div",
      {},
      h("h1", { tabindex: "-1" }, shared ? "Shared with me" : "My files"),
      h(
        "p",
        { class: "lead" },
        shared
          ? "Files other people have shared with you."
          : "Upload, organise and share your files.",
      ),
    ),
    shared
      ? null
      : h(
          "button",
          {
            type: "button",
            class: "btn btn-primary",
            onclick: () => document.getElementById("file-picker").click(),
          },
          icon("upload"),
          "Upload files",
        ),
  );
  table.hidden = true;
  mount(
    main,
    heading,
    shared ? null : dropZone(signal),
    shared ? null : uploadsPanel(signal),
    shared ? null : interruptedPanel(signal),
    listCard,
  );
  load();
}
