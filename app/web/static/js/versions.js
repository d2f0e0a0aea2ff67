// The owner's Versions panel on a file's page: the kept versions, newest (current) first, each
// to download, restore (a copy becomes current) or delete; and "Upload new version", which goes
// through the upload manager (presigned POST or multipart, with its progress bar).

import { api } from "./api.js";
import { icon } from "./icons.js";
import { uploadItem } from "./upload-panels.js";
import {
  confirmDialog,
  formatBytes,
  formatDate,
  h,
  mount,
  startDownload,
  timeAgo,
  toast,
} from "./ui.js";
import { uploads } from "./uploads.js";

const smallButton = (kind, label, ariaLabel, onclick) =>
  h(
    "button",
    { type: "button", class: `btn ${kind} btn-small`, "aria-label": ariaLabel, onclick },
    label,
  );

/** A version's buttons: Download; for an older one, Restore and Delete. */
function versionButtons(file, version, changed) {
  const when = formatDate(version.uploadedAt);
  const download = smallButton("btn-secondary", "Download", `Download the version of ${when}`, () =>
    api
      .versionDownloadUrl(file.fileId, version.versionId)
      .then((answer) => startDownload(answer.downloadUrl))
      .catch((error) => toast(error.message, "error")),
  );
  if (version.current) return [download];
  const restore = smallButton("btn-secondary", "Restore", `Restore the version of ${when}`, () =>
    api
      .restoreVersion(file.fileId, version.versionId)
      .then((updated) => {
        toast(`A copy of the version of ${when} is now the current version.`, "success");
        return changed(updated);
      })
      .catch((error) => toast(error.message, "error")),
  );
  const remove = smallButton(
    "btn-ghost danger-text",
    "Delete",
    `Delete the version of ${when}`,
    async () => {
      const ok = await confirmDialog({
        title: "Delete this version?",
        message: `The version of ${when} (${formatBytes(version.size)}) is deleted for good; the current version stays.`,
        confirmLabel: "Delete version",
        danger: true,
      });
      if (!ok) return;
      try {
        await api.deleteVersion(file.fileId, version.versionId);
        toast("Version deleted.", "success");
        await changed(null);
      } catch (error) {
        toast(error.message, "error");
      }
    },
  );
  return [restore, remove];
}

function versionItem(file, version, changed) {
  return h(
    "li",
    { class: "version", "data-version-id": version.versionId, "data-current": version.current },
    h("span", { class: "version-icon" }, icon(version.current ? "check" : "clock")),
    h(
      "span",
      { class: "version-text" },
      h(
        "span",
        { class: "version-when" },
        h("time", { datetime: version.uploadedAt }, formatDate(version.uploadedAt)),
        version.current ? h("span", { class: "badge badge-current" }, "Current") : null,
      ),
      h(
        "span",
        { class: "hint" },
        `${formatBytes(version.size)} · ${version.contentType} · ${timeAgo(version.uploadedAt)}`,
      ),
    ),
    h("span", { class: "row version-actions" }, versionButtons(file, version, changed)),
  );
}

/** The picker and the new version's progress: once it is in, `done(file)` runs. */
function versionUpload(file, done) {
  const progress = h("ul", { class: "uploads version-upload", "aria-label": "New version" });
  const picker = h("input", {
    type: "file",
    id: "version-picker",
    class: "visually-hidden",
    tabindex: "-1",
    "aria-hidden": "true",
  });
  const button = h(
    "button",
    { type: "button", class: "btn btn-primary", onclick: () => picker.click() },
    icon("upload"),
    "Upload new version",
  );
  picker.addEventListener("change", () => {
    const [chosen] = picker.files;
    picker.value = "";
    if (!chosen) return;
    const upload = uploads.addVersion(chosen, file.fileId);
    const item = uploadItem(upload);
    mount(progress, item);
    const follow = new AbortController();
    uploads.addEventListener(
      "change",
      (event) => {
        if (event.detail !== upload) return;
        item.update();
        if (upload.active) return;
        follow.abort();
        if (upload.state === "done") done(upload.result);
      },
      { signal: follow.signal },
    );
  });
  return { nodes: [h("div", { class: "row" }, button, picker), progress], button };
}

/** Versions: newest first, the current one marked; `onFileChange(file)` hears of a new current
 * version (an upload or a restore), so the page shows its size and state. */
export function versionsPanel(file, onFileChange) {
  const list = h("ol", { class: "versions", "aria-label": "Versions" });
  const status = h("p", { class: "hint", role: "status" });
  const load = async () => {
    try {
      const { items } = await api.versions(file.fileId);
      status.textContent = `${items.length} version${items.length === 1 ? "" : "s"} kept.`;
      mount(
        list,
        items.map((version) => versionItem(file, version, changed)),
      );
    } catch (error) {
      list.replaceChildren();
      const missing = error.status === 404 || error.status === 405;
      status.textContent = missing
        ? "Versions are not available on this server yet."
        : error.message;
      if (missing) upload.button.disabled = true;
    }
  };
  const changed = async (updated) => {
    if (updated) onFileChange(updated);
    await load();
  };
  const upload = versionUpload(file, (updated) => {
    if (updated.status === "rejected") toast("The new version was rejected.", "error");
    else toast("New version uploaded: it is now the current version.", "success");
    changed(updated);
  });
  load();
  return h(
    "section",
    { class: "card panel versions-panel", "aria-labelledby": "versions-title" },
    h("h2", { id: "versions-title" }, "Versions"),
    h(
      "p",
      { class: "hint" },
      "A new version replaces what people you share with and your links get. Older versions are kept (up to 20) and count against your storage.",
    ),
    ...upload.nodes,
    status,
    list,
  );
}
