// "My files" (with the drop zone and upload progress) and "Shared with me".

import { api } from "./api.js";
import { thumbnailImage } from "./thumbs.js";
import {
  dateCell,
  formatBytes,
  h,
  icon,
  iconFor,
  mount,
  rejectionText,
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

export function fileThumb(file) {
  const wrap = h("span", { class: "thumb" }, icon(iconFor(file.contentType)));
  if (file.hasThumbnail) thumbnailImage(file.fileId, wrap);
  return wrap;
}

function fileRow(file, shared) {
  const detail = `#/file/${encodeURIComponent(file.fileId)}`;
  const download = h(
    "button",
    { type: "button", class: "btn-icon", "aria-label": `Download ${file.fileName}`, title: "Download" },
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
      h("span", { class: "row-meta" }, statusBadge(file), " ", formatBytes(file.size), " · ", dateCell(file.createdAt)),
    ),
    h("td", { class: "col-size" }, formatBytes(file.size)),
    h("td", { class: "col-status" }, statusBadge(file)),
    h("td", { class: "col-date" }, dateCell(file.createdAt)),
    h("td", { class: "col-actions" }, download),
  );
}

function uploadItem(upload) {
  const bar = h("div", { class: "progress-bar" });
  const progress = h(
    "div",
    {
      class: "progress",
      role: "progressbar",
      "aria-valuemin": "0",
      "aria-valuemax": "100",
      "aria-label": `Upload of ${upload.name}`,
    },
    bar,
  );
  const text = h("span", { class: "upload-text" });
  const actions = h("span", { class: "upload-actions" });
  const node = h(
    "li",
    { class: "upload", "data-upload-id": String(upload.id) },
    h("span", { class: "upload-icon" }, icon(iconFor(upload.file.type))),
    h("div", { class: "upload-body" }, h("div", { class: "upload-head" }, h("span", { class: "upload-name" }, upload.name), text), progress),
    actions,
  );
  node.update = () => {
    const pct = upload.percent;
    const rejected = upload.state === "done" && upload.result?.status === "rejected";
    node.dataset.state = rejected ? "rejected" : upload.state;
    bar.style.width = `${pct}%`;
    progress.setAttribute("aria-valuenow", String(pct));
    progress.setAttribute("aria-valuetext", `${pct}%`);
    const sizes = `${formatBytes(upload.loaded)} of ${formatBytes(upload.size)}`;
    text.textContent = {
      queued: "Waiting…",
      uploading: `${sizes} · ${pct}%${upload.resumed ? " · resumed" : ""}`,
      finishing: "Checking…",
      done: `${formatBytes(upload.size)} · Uploaded${upload.resumed ? " (resumed)" : ""}`,
      failed: upload.error,
      cancelled: "Cancelled",
    }[upload.state];
    if (rejected) text.textContent = `Rejected: ${rejectionText(upload.result)}`;
    const buttons = [];
    if (upload.active) {
      buttons.push(
        h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": `Cancel upload of ${upload.name}`, onclick: () => uploads.cancel(upload) }, "Cancel"),
      );
    } else if (upload.state === "failed") {
      buttons.push(
        h("button", { type: "button", class: "btn btn-ghost btn-small", "aria-label": `Retry upload of ${upload.name}`, onclick: () => uploads.retry(upload) }, "Retry"),
      );
    }
    const focused = actions.contains(document.activeElement);
    if (actions.dataset.kind !== `${upload.active}-${upload.state === "failed"}`) {
      actions.dataset.kind = `${upload.active}-${upload.state === "failed"}`;
      actions.replaceChildren(...buttons);
      if (focused) node.closest("section")?.focus();
    }
  };
  node.update();
  return node;
}

function uploadsPanel(signal) {
  const list = h("ul", { class: "uploads", "aria-label": "Uploads" });
  const clear = h("button", { type: "button", class: "btn btn-ghost btn-small", onclick: () => uploads.clearFinished() }, "Clear finished");
  const panel = h(
    "section",
    { class: "card uploads-panel", "aria-labelledby": "uploads-title", tabindex: "-1", hidden: true },
    h("div", { class: "panel-head" }, h("h2", { id: "uploads-title" }, "Uploads"), clear),
    list,
  );
  const items = new Map();
  const render = (upload) => {
    if (upload === null) {
      const keep = new Set(uploads.uploads.map((u) => u.id));
      for (const [id, node] of items) if (!keep.has(id)) (node.remove(), items.delete(id));
    } else if (!items.has(upload.id)) {
      const node = uploadItem(upload);
      items.set(upload.id, node);
      list.prepend(node);
    } else {
      items.get(upload.id).update();
    }
    panel.hidden = items.size === 0;
  };
  for (const upload of [...uploads.uploads].reverse()) render(upload);
  uploads.addEventListener("change", (e) => render(e.detail), { signal });
  return panel;
}

function interruptedPanel(signal) {
  const panel = h("section", { class: "card interrupted", "aria-labelledby": "interrupted-title" });
  let shown = null;
  const render = () => {
    const records = uploads.interrupted();
    const key = records.map((r) => r.fileId).join();
    if (key === shown) return; // progress ticks change nothing here
    shown = key;
    panel.hidden = records.length === 0;
    mount(
      panel,
      h("h2", { id: "interrupted-title" }, "Unfinished uploads"),
      h("p", { class: "hint" }, "Choose the same file again to continue where it stopped."),
      h(
        "ul",
        { class: "interrupted-list" },
        records.map((record) => {
          const picker = h("input", { type: "file", class: "visually-hidden", id: `resume-${record.fileId}`, tabindex: "-1", "aria-hidden": "true" });
          picker.addEventListener("change", () => {
            const [file] = picker.files;
            if (file && (file.name !== record.name || file.size !== record.size)) {
              toast(`That is not ${record.name}; it was uploaded as a new file.`, "info");
            }
            if (file) uploads.add([file]);
            render();
          });
          return h(
            "li",
            {},
            h("span", { class: "upload-name" }, record.name),
            h("span", { class: "hint" }, formatBytes(record.size)),
            h(
              "span",
              { class: "row" },
              picker,
              h("button", { type: "button", class: "btn btn-secondary btn-small", "aria-label": `Resume ${record.name}`, onclick: () => picker.click() }, "Resume"),
              h("button", { type: "button", class: "btn btn-ghost btn-small", onclick: async () => (await uploads.discard(record), render()) }, "Discard"),
            ),
          );
        }),
      ),
    );
  };
  render();
  uploads.addEventListener("change", render, { signal });
  return panel;
}

function dropZone(signal) {
  const picker = h("input", { type: "file", multiple: true, id: "file-picker", class: "visually-hidden", tabindex: "-1", "aria-hidden": "true" });
  picker.addEventListener("change", () => {
    uploads.add([...picker.files]);
    picker.value = "";
  });
  const zone = h(
    "div",
    { class: "dropzone", id: "dropzone" },
    icon("upload", "icon dropzone-icon"),
    h("p", { class: "dropzone-title" }, "Drag and drop files here"),
    h("p", { class: "hint" }, "or ", h("button", { type: "button", class: "link-button", onclick: () => picker.click() }, "choose files"), " from your device. Large files resume if interrupted."),
    picker,
  );
  let depth = 0;
  const target = document.body;
  const hasFiles = (e) => [...(e.dataTransfer?.types || [])].includes("Files");
  target.addEventListener("dragenter", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth += 1;
    document.body.classList.add("dragging");
  }, { signal });
  target.addEventListener("dragover", (e) => hasFiles(e) && e.preventDefault(), { signal });
  target.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) document.body.classList.remove("dragging");
  }, { signal });
  target.addEventListener("drop", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    document.body.classList.remove("dragging");
    uploads.add([...e.dataTransfer.files]);
  }, { signal });
  signal.addEventListener("abort", () => document.body.classList.remove("dragging"));
  return zone;
}

function emptyState(shared) {
  return shared
    ? h("div", { class: "empty" }, icon("users", "icon empty-icon"), h("p", { class: "empty-title" }, "Nothing shared with you yet"), h("p", { class: "hint" }, "Files other people share with your email address show up here."))
    : h("div", { class: "empty" }, icon("folder", "icon empty-icon"), h("p", { class: "empty-title" }, "No files yet"), h("p", { class: "hint" }, "Drop a file above to upload your first one."));
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
    const waitingForThumb = file.status === "available" && file.contentType.startsWith("image/") && !file.hasThumbnail;
    if (file.status === "rejected" || (file.status === "available" && (!waitingForThumb || tries > 20))) return;
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
        h("th", { scope: "col", class: "col-thumb" }, h("span", { class: "visually-hidden" }, "Preview")),
        h("th", { scope: "col" }, "Name"),
        h("th", { scope: "col", class: "col-size" }, "Size"),
        h("th", { scope: "col", class: "col-status" }, "Status"),
        h("th", { scope: "col", class: "col-date" }, shared ? "Added" : "Uploaded"),
        h("th", { scope: "col", class: "col-actions" }, h("span", { class: "visually-hidden" }, "Actions")),
      ),
    ),
    body,
  );
  const more = h("button", { type: "button", class: "btn btn-secondary", hidden: true }, "Load more");
  const status = h("p", { class: "list-status", role: "status" });
  const empty = emptyState(shared);
  empty.hidden = true;
  const listCard = h("section", { class: "card list-card", "aria-label": shared ? "Shared with me" : "My files" }, empty, table, status, h("div", { class: "more" }, more));
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
    const needsWatch = file.status === "pending" || (file.status === "available" && file.contentType.startsWith("image/") && !file.hasThumbnail && Date.now() - Date.parse(file.createdAt) < 120000);
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
      const page = shared ? await api.listShared(cursor, PAGE_SIZE) : await api.listFiles(cursor, PAGE_SIZE);
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
    uploads.addEventListener("created", async (e) => {
      const file = e.detail.fileName ? e.detail : await api.getFile(e.detail.fileId).catch(() => null);
      if (file && !signal.aborted) put(file, { prepend: true });
      onUsageChange?.();
    }, { signal });
    uploads.addEventListener("finished", (e) => {
      put(e.detail, { prepend: true });
      onUsageChange?.();
    }, { signal });
    uploads.addEventListener("removed", (e) => {
      remove(e.detail);
      onUsageChange?.();
    }, { signal });
  }

  const heading = h(
    "div",
    { class: "page-head" },
    h("div", {}, h("h1", { tabindex: "-1" }, shared ? "Shared with me" : "My files"), h("p", { class: "lead" }, shared ? "Files other people have shared with you." : "Upload, organise and share your files.")),
    shared ? null : h("button", { type: "button", class: "btn btn-primary", onclick: () => document.getElementById("file-picker").click() }, icon("upload"), "Upload files"),
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
