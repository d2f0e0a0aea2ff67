// One file: preview, download; and for its owner: rename, move, delete (to the trash), people,
// public links, versions, expiry, activity.

import { api } from "./api.js";
import { moveDialog } from "./folder-dialogs.js";
import { icon } from "./icons.js";
import { expiryBadge, expiryPanel } from "./expiry.js";
import { describe } from "./rows.js";
import { activityPanel, fileSubject, linksPanel, peoplePanel } from "./sharing.js";
import { fileThumb } from "./thumbs.js";
import { uploadedByNote } from "./uploaded-by.js";
import { moveToTrash } from "./trash.js";
import {
  errorLine,
  field,
  formatBytes,
  formatDate,
  h,
  mount,
  notFoundPage,
  onSubmit,
  rejectionText,
  setTitle,
  startDownload,
  statusBadge,
  toast,
} from "./ui.js";
import { versionsPanel } from "./versions.js";

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
  onSubmit(
    form,
    error,
    async () => done(await api.rename(file.fileId, name.value.trim())),
    () => (/[/\\]/.test(name.value.trim()) ? "A file name cannot contain / or \\." : null),
  );
  setTimeout(() => {
    name.focus();
    const dot = file.fileName.lastIndexOf(".");
    name.setSelectionRange(0, dot > 0 ? dot : file.fileName.length);
  });
  return form;
}

const actionButton = (kind, iconName, label) =>
  h("button", { type: "button", class: `btn ${kind}` }, icon(iconName), label);

function downloadButton(file, onDownloaded) {
  const button = h(
    "button",
    { type: "button", class: "btn btn-primary", disabled: file.status !== "available" },
    icon("download"),
    "Download",
  );
  button.addEventListener("click", async () => {
    try {
      startDownload((await api.downloadUrl(file.fileId)).downloadUrl);
      setTimeout(onDownloaded, 800);
    } catch (error) {
      toast(error.message, "error");
    }
  });
  return button;
}

/** Rename swaps the action row for the form; Cancel (or Escape) brings the row back. */
function renameButton(file, actions, slot, onRenamed) {
  const button = actionButton("btn-secondary", "edit", "Rename");
  const finish = (updated) => {
    if (updated) {
      toast("File renamed.", "success");
      onRenamed(updated);
      return;
    }
    actions.hidden = false;
    slot.replaceChildren();
    button.focus();
  };
  button.addEventListener("click", () => {
    actions.hidden = true;
    mount(slot, renameForm(file, finish));
  });
  return button;
}

/** Move opens the move dialog; once moved, the page leads back to the file's new folder. */
function moveButton(file, page) {
  const button = actionButton("btn-secondary", "move", "Move");
  const move = async (item, target) => {
    const updated = await api.moveFile(file.fileId, target.folderId);
    toast(`Moved ${file.fileName} to ${target.name}.`, "success");
    page.back = backTarget(updated, true, null);
    renderFile(page, updated);
  };
  button.addEventListener("click", () => moveDialog(describe({ type: "file", file }), [], move));
  return button;
}

/** Delete puts the file in the trash (the notice has Undo) and goes back to the list. */
function deleteButton(file, back, onUsageChange) {
  const button = actionButton("btn-ghost danger-text", "trash", "Delete");
  button.addEventListener("click", async () => {
    const item = describe({ type: "file", file });
    if (await moveToTrash(item, { onUsageChange })) location.hash = back.href;
  });
  return button;
}

const fact = (term, ...value) => h("div", {}, h("dt", {}, term), h("dd", {}, ...value));

function facts(file) {
  const rejected = file.status === "rejected" ? ` ${rejectionText(file)}` : "";
  return h(
    "dl",
    { class: "facts" },
    fact("Status", statusBadge(file), rejected, " ", expiryBadge(file)),
    fact("Size", formatBytes(file.size)),
    fact("Type", file.contentType),
    fact("Uploaded", file.uploadedAt ? formatDate(file.uploadedAt) : "Not yet"),
    file.uploadedBy ? fact("Received", uploadedByNote(file, { full: true })) : null,
  );
}

function fileHead(file, owner, title, factList, actions, renameSlot) {
  return h(
    "section",
    { class: "card file-head" },
    h("div", { class: "file-preview" }, fileThumb(file)),
    h(
      "div",
      { class: "file-summary" },
      title,
      owner ? null : h("p", { class: "hint" }, icon("users"), " Shared with you"),
      factList,
      actions,
      renameSlot,
    ),
  );
}

/** The list the file was opened from; else, for its owner, the folder it is in. */
function backTarget(file, owner, back) {
  if (back) return back;
  if (!owner) return { href: "#/shared", label: "Shared with me" };
  if (file.folderId)
    return { href: `#/folder/${encodeURIComponent(file.folderId)}`, label: "Back to the folder" };
  return { href: "#/files", label: "My files" };
}

const backLink = ({ href, label }) => h("a", { href, class: "back-link" }, icon("back"), label);

/** The owner's panels; whatever changes there (a share, a link) shows in the activity, and a
 * new version or expiry in the file's facts. */
function ownerPanels(page, file, onChange) {
  const subject = fileSubject(file);
  const people = peoplePanel(subject, onChange);
  const links = linksPanel(subject, onChange);
  const versions = versionsPanel(file, page.fileChanged);
  const expiry = expiryPanel(file, page.fileChanged);
  page.activity = activityPanel(subject);
  return h("div", { class: "panels" }, people, links, versions, expiry, page.activity);
}

/** The file's page; `page` keeps what outlives one render: the owner flag and the activity panel. */
function renderFile(page, file) {
  const { main, owner, back } = page;
  const refreshActivity = () => page.activity?.reload();
  setTitle(file.fileName);
  const title = h("h1", { class: "file-title", tabindex: "-1" }, file.fileName);
  const actions = h("div", { class: "row actions" }, downloadButton(file, refreshActivity));
  const renameSlot = h("div", { class: "rename-slot" });
  let shownFacts = facts(file);
  page.fileChanged = (updated) => {
    const next = facts(updated);
    shownFacts.replaceWith(next);
    shownFacts = next;
    page.onUsageChange?.();
  };
  if (owner) {
    const rerender = (updated) => renderFile(page, updated);
    actions.append(
      renameButton(file, actions, renameSlot, rerender),
      moveButton(file, page),
      deleteButton(file, back, page.onUsageChange),
    );
  }
  const panels = owner ? ownerPanels(page, file, refreshActivity) : null;
  const head = fileHead(file, owner, title, shownFacts, actions, renameSlot);
  mount(main, backLink(back), head, panels);
  if (document.activeElement === document.body || document.activeElement === main)
    title.focus({ preventScroll: true });
}

export async function detailView(main, fileId, { signal, onUsageChange, onSection, back }) {
  mount(main, h("p", { class: "loading", role: "status" }, "Loading…"));
  let file;
  try {
    file = await api.getFile(fileId);
  } catch (error) {
    if (!signal.aborted) notFoundPage(main, error, "file");
    return;
  }
  if (signal.aborted) return;
  const owner = !file.sharedWithMe;
  onSection?.(owner ? "files" : "shared");
  const page = { main, owner, back: backTarget(file, owner, back), onUsageChange, activity: null };
  renderFile(page, file);
}
