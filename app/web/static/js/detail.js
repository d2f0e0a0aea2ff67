// One file: preview, rename, delete, download; and for its owner: people, public links, activity.

import { api } from "./api.js";
import { activityPanel, linksPanel, peoplePanel } from "./sharing.js";
import { fileThumb } from "./thumbs.js";
import {
  busy,
  confirmDialog,
  errorLine,
  field,
  formatBytes,
  formatDate,
  h,
  icon,
  mount,
  rejectionText,
  setTitle,
  startDownload,
  statusBadge,
  toast,
} from "./ui.js";

function renameForm(file, done) {
  const name = h("input", {
    class: "input",
    id: "rename-input",
    value: file.fileName,
    required: true,
    maxlength: "255",
    autocomplete: "off",
  });
  const error = errorLine("rename-error");
  const form = h(
    "form",
    { class: "rename-form" },
    field("New name", name),
    h(
      "div",
      { class: "row" },
      h("button", { type: "submit", class: "btn btn-primary" }, "Save"),
      h("button", { type: "button", class: "btn btn-ghost", onclick: () => done(null) }, "Cancel"),
    ),
    error,
  );
  form.addEventListener("keydown", (e) => e.key === "Escape" && done(null));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = name.value.trim();
    if (/[/\\]/.test(value)) {
      error.textContent = "A file name cannot contain / or \\.";
      error.hidden = false;
      return;
    }
    busy(form, error, async () => done(await api.rename(file.fileId, value)));
  });
  setTimeout(() => {
    name.focus();
    const dot = file.fileName.lastIndexOf(".");
    name.setSelectionRange(0, dot > 0 ? dot : file.fileName.length);
  });
  return form;
}

export async function detailView(main, fileId, { signal, onUsageChange }) {
  mount(main, h("p", { class: "loading", role: "status" }, "Loading…"));
  let file;
  try {
    file = await api.getFile(fileId);
  } catch (error) {
    if (signal.aborted) return;
    setTitle("File not found");
    mount(
      main,
      h(
        "div",
        { class: "empty card" },
        icon("file", "icon empty-icon"),
        h(
          "h1",
          { tabindex: "-1" },
          error.status === 404 ? "File not found" : "Could not load the file",
        ),
        h(
          "p",
          { class: "hint" },
          error.status === 404
            ? "It may have been deleted, or it is no longer shared with you."
            : error.message,
        ),
        h("a", { href: "#/files", class: "btn btn-secondary" }, "Back to my files"),
      ),
    );
    return;
  }
  if (signal.aborted) return;
  const owner = !file.sharedWithMe;
  let activity = null;
  const refreshActivity = () => activity?.reload();

  const render = () => {
    setTitle(file.fileName);
    const title = h("h1", { class: "file-title", tabindex: "-1" }, file.fileName);
    const download = h(
      "button",
      { type: "button", class: "btn btn-primary", disabled: file.status !== "available" },
      icon("download"),
      "Download",
    );
    download.addEventListener("click", async () => {
      try {
        startDownload((await api.downloadUrl(file.fileId)).downloadUrl);
        setTimeout(refreshActivity, 800);
      } catch (error) {
        toast(error.message, "error");
      }
    });
    const actions = h("div", { class: "row actions" }, download);
    const renameSlot = h("div", { class: "rename-slot" });
    if (owner) {
      const rename = h(
        "button",
        { type: "button", class: "btn btn-secondary" },
        icon("edit"),
        "Rename",
      );
      rename.addEventListener("click", () => {
        actions.hidden = true;
        mount(
          renameSlot,
          renameForm(file, (updated) => {
            if (updated) {
              file = updated;
              toast("File renamed.", "success");
              render();
            } else {
              actions.hidden = false;
              renameSlot.replaceChildren();
              rename.focus();
            }
          }),
        );
      });
      const remove = h(
        "button",
        { type: "button", class: "btn btn-ghost danger-text" },
        icon("trash"),
        "Delete",
      );
      remove.addEventListener("click", async () => {
        const ok = await confirmDialog({
          title: `Delete ${file.fileName}?`,
          message:
            "The file, its shares and its public links are removed for good. This cannot be undone.",
          confirmLabel: "Delete file",
          danger: true,
        });
        if (!ok) return;
        try {
          await api.deleteFile(file.fileId);
          toast(`${file.fileName} was deleted.`, "success");
          onUsageChange?.();
          location.hash = "#/files";
        } catch (error) {
          toast(error.message, "error");
        }
      });
      actions.append(rename, remove);
    }
    const facts = h(
      "dl",
      { class: "facts" },
      h(
        "div",
        {},
        h("dt", {}, "Status"),
        h("dd", {}, statusBadge(file), file.status === "rejected" ? ` ${rejectionText(file)}` : ""),
      ),
      h("div", {}, h("dt", {}, "Size"), h("dd", {}, formatBytes(file.size))),
      h("div", {}, h("dt", {}, "Type"), h("dd", {}, file.contentType)),
      h(
        "div",
        {},
        h("dt", {}, "Uploaded"),
        h("dd", {}, file.uploadedAt ? formatDate(file.uploadedAt) : "Not yet"),
      ),
    );
    const back = owner ? ["#/files", "My files"] : ["#/shared", "Shared with me"];
    const head = h(
      "section",
      { class: "card file-head" },
      h("div", { class: "file-preview" }, fileThumb(file)),
      h(
        "div",
        { class: "file-summary" },
        title,
        owner ? null : h("p", { class: "hint" }, icon("users"), " Shared with you"),
        facts,
        actions,
        renameSlot,
      ),
    );
    const panels = owner
      ? h(
          "div",
          { class: "panels" },
          peoplePanel(file, refreshActivity),
          linksPanel(file, refreshActivity),
          (activity = activityPanel(file)),
        )
      : null;
    mount(main, h("a", { href: back[0], class: "back-link" }, icon("back"), back[1]), head, panels);
    if (document.activeElement === document.body || document.activeElement === main)
      title.focus({ preventScroll: true });
  };
  render();
}
