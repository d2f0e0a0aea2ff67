// The upload parts of "My files": the drop zone, per-file progress and unfinished uploads.

import { formatBytes, h, icon, iconFor, mount, rejectionText, toast } from "./ui.js";
import { uploads } from "./uploads.js";

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
    h(
      "div",
      { class: "upload-body" },
      h("div", { class: "upload-head" }, h("span", { class: "upload-name" }, upload.name), text),
      progress,
    ),
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
        h(
          "button",
          {
            type: "button",
            class: "btn btn-ghost btn-small",
            "aria-label": `Cancel upload of ${upload.name}`,
            onclick: () => uploads.cancel(upload),
          },
          "Cancel",
        ),
      );
    } else if (upload.state === "failed") {
      buttons.push(
        h(
          "button",
          {
            type: "button",
            class: "btn btn-ghost btn-small",
            "aria-label": `Retry upload of ${upload.name}`,
            onclick: () => uploads.retry(upload),
          },
          "Retry",
        ),
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
        records.map((record) => {
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
          return h(
            "li",
            {},
            h("span", { class: "upload-name" }, record.name),
            h("span", { class: "hint" }, formatBytes(record.size)),
            h(
              "span",
              { class: "row" },
              picker,
              h(
                "button",
                {
                  type: "button",
                  class: "btn btn-secondary btn-small",
                  "aria-label": `Resume ${record.name}`,
                  onclick: () => picker.click(),
                },
                "Resume",
              ),
              h(
                "button",
                {
                  type: "button",
                  class: "btn btn-ghost btn-small",
                  onclick: async () => (await uploads.discard(record), render()),
                },
                "Discard",
              ),
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

export function dropZone(signal) {
  const picker = h("input", {
    type: "file",
    multiple: true,
    id: "file-picker",
    class: "visually-hidden",
    tabindex: "-1",
    "aria-hidden": "true",
  });
  picker.addEventListener("change", () => {
    uploads.add([...picker.files]);
    picker.value = "";
  });
  const zone = h(
    "div",
    { class: "dropzone", id: "dropzone" },
    icon("upload", "icon dropzone-icon"),
    h("p", { class: "dropzone-title" }, "Drag and drop files here"),
    h(
      "p",
      { class: "hint" },
      "or ",
      h(
        "button",
        { type: "button", class: "link-button", onclick: () => picker.click() },
        "choose files",
      ),
      " from your device. Large files resume if interrupted.",
    ),
    picker,
  );
  let depth = 0;
  const target = document.body;
  const hasFiles = (e) => [...(e.dataTransfer?.types || [])].includes("Files");
  target.addEventListener(
    "dragenter",
    (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth += 1;
      document.body.classList.add("dragging");
    },
    { signal },
  );
  target.addEventListener("dragover", (e) => hasFiles(e) && e.preventDefault(), { signal });
  target.addEventListener(
    "dragleave",
    () => {
      depth = Math.max(0, depth - 1);
      if (!depth) document.body.classList.remove("dragging");
    },
    { signal },
  );
  target.addEventListener(
    "drop",
    (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      document.body.classList.remove("dragging");
      uploads.add([...e.dataTransfer.files]);
    },
    { signal },
  );
  signal.addEventListener("abort", () => document.body.classList.remove("dragging"));
  return zone;
}
