// The public page of a folder link: browse its folders and download any file in them. The link
// is unlocked once per visit (with its password, if it has one); the key it gives lives only in
// this page's memory and goes with every listing and download, so the password is asked once.

import { api } from "./api.js";
import { icon, iconFor } from "./icons.js";
import { EXPIRED, expiry, foot, gone, linkCall } from "./public-parts.js";
import {
  breadcrumbs,
  errorLine,
  field,
  formatBytes,
  h,
  mount,
  onSubmit,
  setTitle,
  startDownload,
  toast,
} from "./ui.js";

const TIMED_OUT = "This visit has timed out: reload the page and enter the password again.";

/** One visit of the link: its token, the unlock key, and what to do once the link is gone. */
function visit(main, token, info) {
  const state = { token, key: null, expired: () => gone(main, EXPIRED) };
  /** Run `call(key)`; an open link's key that ran out is renewed once, quietly. */
  state.call = async (call) => {
    try {
      return await call(state.key);
    } catch (failure) {
      if (failure.status !== 401) throw failure;
      if (info.passwordProtected) throw new Error(TIMED_OUT);
      state.key = (await api.unlockLink(token)).key;
      return call(state.key);
    }
  };
  return state;
}

function folderItem(folder, open) {
  return h(
    "li",
    { class: "public-item" },
    h(
      "button",
      { type: "button", class: "public-folder-open", onclick: () => open(folder) },
      icon("folder"),
      h("span", { class: "public-item-name" }, folder.name),
    ),
  );
}

function fileItem(file, download) {
  return h(
    "li",
    { class: "public-item", "data-file-id": file.fileId },
    icon(iconFor(file.contentType)),
    h("span", { class: "public-item-name" }, file.fileName),
    h("span", { class: "hint" }, formatBytes(file.size)),
    h(
      "button",
      {
        type: "button",
        class: "btn-icon",
        "aria-label": `Download ${file.fileName}`,
        title: "Download",
        onclick: () => download(file),
      },
      icon("download"),
    ),
  );
}

/** The folder browser: breadcrumbs from the link's folder down, its items, Load more. */
function browser(link, top) {
  const crumbs = h("div", { class: "public-crumbs" });
  const list = h("ul", { class: "public-items", "aria-label": "Folder contents" });
  const more = h(
    "button",
    { type: "button", class: "btn btn-secondary", hidden: true },
    "Load more",
  );
  const status = h("p", { class: "hint", role: "status" });
  let shown = null; // {folderId, name, cursor}
  const download = async (file) => {
    const call = (key) => api.linkFileDownload(link.token, file.fileId, key);
    try {
      const answer = await linkCall(() => link.call(call), null, link.expired);
      if (!answer) return;
      startDownload(answer.downloadUrl);
      status.textContent = `Your download of ${answer.fileName} has started.`;
    } catch (failure) {
      toast(failure.message, "error");
    }
  };
  const page = async (folder) => {
    const query = { folderId: folder.folderId ?? undefined, cursor: folder.cursor ?? undefined };
    const answer = await linkCall(
      () => link.call((key) => api.linkItems(link.token, { ...query, key })),
      null,
      link.expired,
    );
    if (!answer || shown !== folder) return;
    const steps = answer.path.map((step) => ({ name: step.name, onclick: () => open(step) }));
    mount(crumbs, breadcrumbs("Folders", [...steps, { name: folder.name }]));
    list.append(
      ...answer.items.map((entry) =>
        entry.type === "folder" ? folderItem(entry.folder, open) : fileItem(entry.file, download),
      ),
    );
    if (!list.children.length)
      list.append(h("li", { class: "hint empty-line" }, "This folder is empty."));
    folder.cursor = answer.nextCursor;
    more.hidden = !answer.nextCursor;
  };
  const load = (folder) => page(folder).catch((failure) => (status.textContent = failure.message));
  const open = (folder) => {
    shown = { folderId: folder.folderId, name: folder.name, cursor: null };
    list.replaceChildren();
    status.textContent = "";
    setTitle(folder.name);
    return load(shown);
  };
  more.addEventListener("click", () => load(shown));
  open(top);
  return h(
    "div",
    { class: "public-browser" },
    crumbs,
    list,
    h("div", { class: "more" }, more),
    status,
  );
}

function passwordForm(link, onUnlocked) {
  const password = h("input", {
    class: "input",
    type: "password",
    id: "link-password",
    required: true,
    autocomplete: "off",
  });
  const error = errorLine("link-error");
  const form = h(
    "form",
    { class: "form public-form" },
    field("Password", password, "The sender protected this folder with a password."),
    error,
    h(
      "button",
      { type: "submit", class: "btn btn-primary btn-block" },
      icon("lock"),
      "Open folder",
    ),
  );
  onSubmit(form, error, async () => {
    const unlock = () => api.unlockLink(link.token, password.value);
    const answer = await linkCall(unlock, password, link.expired);
    if (answer) onUnlocked(answer);
  });
  setTimeout(() => password.focus());
  return form;
}

export async function folderLinkView(main, token, info) {
  const link = visit(main, token, info);
  const locked = info.passwordProtected;
  const title = h(
    "h1",
    { class: "file-title", tabindex: "-1" },
    locked ? "A password-protected folder" : info.name,
  );
  const meta = h("p", { class: "public-meta" }, locked ? "Enter the password to open it." : "");
  const badge = h("span", { class: "public-icon" }, icon(locked ? "lock" : "folder", "icon"));
  const slot = h("div", { class: "public-slot" });
  const kicker = h("p", { class: "public-kicker" }, "Someone shared a folder with you");
  setTitle(locked ? "Password-protected folder" : info.name);
  mount(
    main,
    h(
      "div",
      { class: "public card public-folder" },
      kicker,
      badge,
      title,
      meta,
      expiry(info),
      slot,
    ),
    foot(),
  );
  const unlocked = (answer) => {
    link.key = answer.key;
    title.textContent = answer.name;
    meta.textContent = "";
    badge.replaceChildren(icon("folder", "icon"));
    mount(slot, browser(link, { folderId: null, name: answer.name }));
  };
  if (locked) return mount(slot, passwordForm(link, unlocked));
  try {
    const answer = await linkCall(() => api.unlockLink(token), null, link.expired);
    if (answer) unlocked(answer);
  } catch (failure) {
    gone(main, failure.message);
  }
}
