// The files a sender chooses on an upload request's page: the drop zone and its picker, and a
// line for each file with what is happening to it and its progress bar.

import { icon, iconFor } from "./icons.js";
import { formatBytes, h, progressBar } from "./ui.js";

/** What a too-large file's line says. */
export function tooLargeText(info) {
  if (!info.maxFileBytes) return "Too large for this request.";
  return `Too large: this request takes files of at most ${formatBytes(info.maxFileBytes)}.`;
}

// The upload line's look (uploads.css) for each phase of a file here.
const LOOKS_LIKE = { refused: "failed", starting: "uploading", sending: "uploading", sent: "done" };

/** One chosen file: its line on the page (name, what is happening, progress, Remove). */
function entry(file, tooLarge, remove) {
  const state = { file, requests: new Set(), phase: tooLarge ? "refused" : "ready" };
  const text = h("span", { class: "upload-text" });
  const progress = progressBar(`Upload of ${file.name}`);
  const removeButton = h(
    "button",
    {
      type: "button",
      class: "btn btn-ghost btn-small",
      "aria-label": `Remove ${file.name}`,
      onclick: () => remove(state),
    },
    "Remove",
  );
  state.node = h(
    "li",
    { class: "upload" },
    h("span", { class: "upload-icon" }, icon(iconFor(file.type))),
    h(
      "div",
      { class: "upload-body" },
      h("div", { class: "upload-head" }, h("span", { class: "upload-name" }, file.name), text),
      progress,
    ),
    h("span", { class: "upload-actions" }, removeButton),
  );
  /** `phase`: ready, refused, starting, sending, sent or failed; `words` what to show. */
  state.show = (phase, words, loaded = 0) => {
    state.phase = phase;
    state.node.dataset.state = LOOKS_LIKE[phase] || phase;
    const pct = phase === "sent" ? 100 : file.size ? Math.floor((loaded / file.size) * 100) : 0;
    progress.update(Math.min(pct, 100));
    text.textContent = words;
    removeButton.hidden = phase === "sent" || phase === "sending" || phase === "starting";
  };
  state.show(state.phase, tooLarge || `${formatBytes(file.size)} · Ready to send`);
  return state;
}

/** The files chosen so far, and the form's drop zone that adds to them. */
export function chosenFiles(info, announce) {
  const list = h("ul", { class: "uploads request-files", "aria-label": "Files to send" });
  const files = [];
  const remove = (item) => {
    const at = files.indexOf(item);
    files.splice(at, 1);
    item.node.remove();
    announce(`${item.file.name} removed.`);
    const next = files[at] || files[at - 1];
    (next?.node.querySelector("button:not([hidden])") || picker.button).focus();
  };
  const tooLarge = (file) =>
    info.maxFileBytes && file.size > info.maxFileBytes ? tooLargeText(info) : null;
  const add = (picked) => {
    for (const file of picked) {
      const item = entry(file, tooLarge(file), remove);
      files.push(item);
      list.append(item.node);
    }
    const refused = picked.filter(tooLarge).length;
    const added = `${picked.length} file${picked.length === 1 ? "" : "s"} added`;
    announce(refused ? `${added}; ${refused} too large to send.` : `${added}.`);
  };
  const picker = dropZone(add);
  return { files, nodes: [picker.node, list] };
}

/** Drag files onto the page, or choose them with its button (the keyboard's way). */
function dropZone(add) {
  const input = h("input", {
    type: "file",
    id: "request-picker",
    class: "visually-hidden",
    multiple: true,
    tabindex: "-1",
    "aria-hidden": "true",
  });
  input.addEventListener("change", () => {
    add([...input.files]);
    input.value = "";
  });
  const button = h(
    "button",
    { type: "button", class: "btn btn-secondary", onclick: () => input.click() },
    icon("upload"),
    "Choose files",
  );
  const node = h(
    "div",
    { class: "dropzone request-drop" },
    icon("upload", "icon dropzone-icon"),
    h("p", { class: "dropzone-title" }, "Drag and drop files here"),
    h("p", { class: "hint" }, "or"),
    button,
    input,
  );
  // Files dropped anywhere on the page come here: the browser would otherwise open them in
  // place of the page.
  const busy = () => Boolean(node.closest("form[aria-busy]"));
  const hasFiles = (event) => [...(event.dataTransfer?.types || [])].includes("Files");
  document.addEventListener("dragover", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    node.classList.toggle("is-over", !busy());
  });
  document.addEventListener("dragleave", (event) => {
    if (!event.relatedTarget) node.classList.remove("is-over");
  });
  document.addEventListener("drop", (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    node.classList.remove("is-over");
    if (!busy()) add([...event.dataTransfer.files]);
  });
  return { node, button };
}
