// The owner's Versions panel on a file's page: the kept versions, newest (current) first, each
// to download, restore (a copy becomes current) or delete; and "Upload new version", which goes
// through the upload manager (presigned POST or multipart, with its progress bar).

import { api } from "./api.js";
import { icon } from "./icons.js";
import { uploadItem } from "./upload-panels.js";
import { confirmDialog, formatBytes, h, mount, startDownload, timeAgo, toast } from "./ui.js";
import { uploads } from "./uploads.js";

// Versions are often minutes apart: their names (and buttons' labels) carry the seconds.
const stampFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "medium",
});
const stamp = (iso) => stampFormat.format(new Date(iso));

const smallButton = (kind, label, ariaLabel, onclick) =>
  h(
    "button",
    { type: "button", class: `btn ${kind} btn-small`, "aria-label": ariaLabel, onclick },
    label,
  );

/** A version's buttons: Download; for an older one, Restore and Delete. */
function versionButtons(file, version, changed) {
  const when = stamp(version.uploadedAt);
  const which = `the version of ${when}${version.current ? " (current)" : ""}`;
  const download = smallButton("btn-secondary", "Download", `Download ${which}`, () =>
    api
      .versionDownloadUrl(file.fileId, version.versionId)
      .then((answer) => startDownload(answer.downloadUrl))
      .catch((error) => toast(error.message, "error")),
  );
  if (version.current) return [download];
  const restore = smallButton("btn-secondary", "Restore", `Restore the version of ${when}`, () =>
    api
      .restoreVersion(file.fileId, version.versionId)
      .then(() => {
        toast(`A copy of the version of ${when} is now the current version.`, "success");
        return changed();
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
        await changed();
      } catch (error) {
        toast(error.message, "error");
      }
    },
  );
  return [download, restore, remove];
}

function versionItem(file, version, changed) {
  return h(
    "li",
    {
      class: "version",
      "data-version-id": version.versionId,
      "data-current": String(version.current),
    },
    h("span", { class: "version-icon" }, icon(version.current ? "check" : "clock")),
    h(
      "span",
      { class: "version-text" },
      h(
        "span",
        { class: "version-when" },
        h("time", { datetime: version.uploadedAt }, stamp(version.uploadedAt)),
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

/** The picker and the new version's progress: `done(upload)` runs once it is in, failed or
 * cancelled. */
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
        // A failed one may be retried from its line (a rejected one says why): keep following.
        if (upload.state !== "failed") follow.abort();
        done(upload);
      },
      { signal: follow.signal },
    );
  });
  return { nodes: [h("div", { class: "row" }, button, picker), progress], button };
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const SETTLE_TRIES = 10;

/** The file as it is once its current version has settled: a new version is promoted a moment
 * after its upload is checked, so the file is read until its size is the current version's. */
async function settledFile(fileId, current) {
  let file = await api.getFile(fileId);
  for (let tries = 1; current && file.size !== current.size && tries < SETTLE_TRIES; tries += 1) {
    await pause(1000);
    file = await api.getFile(fileId);
  }
  return file;
}

const CHECK_TRIES = 20;

/**
 * A new image version is current once its upload is checked, but the worker decodes it after
 * that and drops it (the previous version is current again) if it is not that image: follow
 * it until it has its thumbnail; answers false if it was dropped meanwhile.
 */
async function imageKept(fileId, versionId) {
  for (let tries = 0; tries < CHECK_TRIES; tries += 1) {
    await pause(1500);
    const [file, { items }] = await Promise.all([api.getFile(fileId), api.versions(fileId)]);
    if (!items.some((v) => v.versionId === versionId)) return false;
    if (file.hasThumbnail) return true;
  }
  return true;
}

/** Versions: newest first, the current one marked; `onFileChange(file)` hears of every change
 * (a new current version, a restore, a deletion), so the page shows its size and storage. */
export function versionsPanel(file, onFileChange) {
  const list = h("ol", { class: "versions", "aria-label": "Versions" });
  const status = h("p", { class: "hint", role: "status" });
  let shown = null; // the current version as last listed
  const load = async () => {
    try {
      const { items } = await api.versions(file.fileId);
      shown = items.find((v) => v.current) || null;
      status.textContent = `${items.length} version${items.length === 1 ? "" : "s"} kept.`;
      mount(
        list,
        items.map((version) => versionItem(file, version, changed)),
      );
      return items;
    } catch (error) {
      list.replaceChildren();
      // No such route (the API predates versions), as opposed to this file being gone.
      const missing = error.status === 405 || (error.status === 404 && error.code === "not_found");
      status.textContent = missing
        ? "Versions are not available on this server yet."
        : error.message;
      if (missing) upload.button.disabled = true;
      return null;
    }
  };
  const changed = async () => {
    const items = await load();
    const current = items?.find((v) => v.current);
    try {
      onFileChange(await settledFile(file.fileId, current));
    } catch (error) {
      toast(error.message, "error");
    }
    return current;
  };
  const rejected = () =>
    toast(
      "The new version was rejected: its content is not the type it claims. The previous version is still current.",
      "error",
    );
  const upload = versionUpload(file, async (finished) => {
    if (finished.state === "failed") return load(); // a rejected version says why in its line
    if (finished.state !== "done") return;
    const before = shown;
    const current = await changed();
    if (before && current?.versionId === before.versionId) return rejected(); // dropped already
    toast("New version uploaded: it is now the current version.", "success");
    if (!current || !finished.file.type.startsWith("image/")) return;
    if (await imageKept(file.fileId, current.versionId).catch(() => true)) return;
    rejected();
    await changed();
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
