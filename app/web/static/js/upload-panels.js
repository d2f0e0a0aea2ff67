// The upload parts of "My files": the drop zone, per-file progress and unfinished uploads.

import { uploadExpiryField } from "./expiry.js";
import { uploadEntries, uploadPicked } from "./folder-upload.js";
import { icon, iconFor } from "./icons.js";
import { formatBytes, h, mount, progressBar, rejectionText, toast } from "./ui.js";
import { uploads } from "./uploads.js";

function statusText(upload, rejected) {
  if (rejected) return `Rejected: ${rejectionText(upload.result)}`;
  const pct = upload.percent;
  const sizes = `${formatBytes(upload.loaded)} of ${formatBytes(upload.size)}`;
  return {
    queued: "Waiting…",
    uploading: `${sizes} · ${pct}%${upload.resumed ? " · resumed" : ""}`,
    finishing: "Checking…",
    done: `${formatBytes(upload.size)} · Uploaded${upload.resumed ? " (resumed)" : ""}`,
    failed: upload.error,
    cancelled: "Cancelled",
  }[upload.state];
}

const smallButton = (label, action, attrs = {}) =>
  h(
    "button",
    { type: "button", class: "btn btn-ghost btn-small", ...attrs, onclick: action },
    label,
  );

/** Cancel while it runs, Retry once it failed, nothing after. */
function uploadButtons(upload) {
  if (upload.active) {
    const label = { "aria-label": `Cancel upload of ${upload.name}` };
    return [smallButton("Cancel", () => uploads.cancel(upload), label)];
  }
  if (upload.state === "failed") {
    const label = { "aria-label": `Retry upload of ${upload.name}` };
    return [smallButton("Retry", () => uploads.retry(upload), label)];
  }
  return [];
}

/** One upload's line: its name, what it is doing, its progress bar and its buttons; `update()`
 * shows its latest state. */
export function uploadItem(upload) {
  const progress = progressBar(`Upload of ${upload.name}`);
  const text = h("span", { class: "upload-text" });
  const actions = h("span", { class: "upload-actions" });
  const node = h(
    "li",
    { class: "upload", "data-upload-id": String(upload.id) },
    h("span", { class: "upload-icon" }, icon(iconFor(upload.file.type))),
    h(
      "div",
      { class: "upload-body" },
      h("div", { class: "upload-head" }, h("span", { class: "upload-name" }, upload.name), text),
      progress,
    ),
    actions,
  );
  node.update = () => {
    const rejected = upload.state === "done" && upload.result?.status === "rejected";
    node.dataset.state = rejected ? "rejected" : upload.state;
    progress.update(upload.percent);
    text.textContent = statusText(upload, rejected);
    // Buttons are replaced only when the choice changes, so a progress tick keeps their focus.
    const kind = `${upload.active}-${upload.state === "failed"}`;
    if (actions.dataset.kind === kind) return;
    const focused = actions.contains(document.activeElement);
    actions.dataset.kind = kind;
    actions.replaceChildren(...uploadButtons(upload));
    if (focused) node.closest("section")?.focus();
  };
  node.update();
  return node;
}

export function uploadsPanel(signal) {
  const list = h("ul", { class: "uploads", "aria-label": "Uploads" });
  const clear = h(
    "button",
    { type: "button", class: "btn btn-ghost btn-small", onclick: () => uploads.clearFinished() },
    "Clear finished",
  );
  const panel = h(
    "section",
    {
      class: "card uploads-panel",
      "aria-labelledby": "uploads-title",
      tabindex: "-1",
      hidden: true,
    },
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

/** One unfinished upload: choosing its file again resumes it; Discard abandons it. */
function interruptedItem(record, render) {
  const picker = h("input", {
    type: "file",
    class: "visually-hidden",
    id: `resume-${record.fileId}`,
    tabindex: "-1",
    "aria-hidden": "true",
  });
  picker.addEventListener("change", () => {
    const [file] = picker.files;
    if (file && (file.name !== record.name || file.size !== record.size)) {
      toast(`That is not ${record.name}; it was uploaded as a new file.`, "info");
    }
    if (file) uploads.add([file]);
    render();
  });
  const resume = h(
    "button",
    {
      type: "button",
      class: "btn btn-secondary btn-small",
      "aria-label": `Resume ${record.name}`,
      onclick: () => picker.click(),
    },
    "Resume",
  );
  return h(
    "li",
    {},
    h("span", { class: "upload-name" }, record.name),
    h("span", { class: "hint" }, formatBytes(record.size)),
    h(
      "span",
      { class: "row" },
      picker,
      resume,
      smallButton("Discard", async () => (await uploads.discard(record), render())),
    ),
  );
}

export function interruptedPanel(signal) {
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
        records.map((record) => interruptedItem(record, render)),
      ),
    );
  };
  render();
  uploads.addEventListener("change", render, { signal });
  return panel;
}

/** Files or folders dragged anywhere over the page: the page says where to drop them, and takes
 * them into `folderId`; a dropped folder comes with everything in it. `options()`: as
 * uploads.add's, read at the drop. */
function acceptDrops(signal, folderId, options) {
  let depth = 0;
  const target = document.body;
  const hasFiles = (e) => [...(e.dataTransfer?.types || [])].includes("Files");
  const dragging = (on) => document.body.classList.toggle("dragging", on);
  const listen = (type, handle) => target.addEventListener(type, handle, { signal });
  listen("dragenter", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth += 1;
    dragging(true);
  });
  listen("dragover", (e) => hasFiles(e) && e.preventDefault());
  listen("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (!depth) dragging(false);
  });
  listen("drop", (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    dragging(false);
    const items = [...(e.dataTransfer.items || [])];
    const entries = items.map((item) => item.webkitGetAsEntry?.()).filter(Boolean);
    if (entries.some((entry) => entry.isDirectory)) uploadEntries(entries, folderId, options());
    else uploads.add([...e.dataTransfer.files], folderId, options());
  });
  signal.addEventListener("abort", () => dragging(false));
}

/** A hidden file input (`#{id}`): what is chosen goes to `take(files)`. */
function picker(id, take, attrs = {}) {
  const input = h("input", {
    type: "file",
    id,
    class: "visually-hidden",
    tabindex: "-1",
    "aria-hidden": "true",
    ...attrs,
  });
  input.addEventListener("change", () => {
    take([...input.files]);
    input.value = "";
  });
  return input;
}

/** The drop zone of the folder `folderId` (null: the top level), with the expiry that what is
 * dropped or chosen gets. */
export function dropZone(signal, folderId = null) {
  const expiry = uploadExpiryField();
  const options = () => ({ expiresIn: expiry.expiresIn() });
  const files = picker("file-picker", (chosen) => uploads.add(chosen, folderId, options()), {
    multiple: true,
  });
  const folder = picker("folder-picker", (chosen) => uploadPicked(chosen, folderId, options()), {
    webkitdirectory: true,
  });
  const choose = (input, label) =>
    h("button", { type: "button", class: "link-button", onclick: () => input.click() }, label);
  const zone = h(
    "div",
    { class: "dropzone", id: "dropzone" },
    icon("upload", "icon dropzone-icon"),
    h("p", { class: "dropzone-title" }, "Drag and drop files or folders here"),
    h(
      "p",
      { class: "hint" },
      "or choose ",
      choose(files, "files"),
      " or ",
      choose(folder, "a folder"),
      " from your device. Large files resume if interrupted.",
    ),
    expiry.node,
    files,
    folder,
  );
  acceptDrops(signal, folderId, options);
  return zone;
}
