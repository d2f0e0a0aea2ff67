// The pages that list things: "My files" and each folder (breadcrumbs, new folder, uploads,
// the folder's sharing and upload requests), "Shared with me", and search results.

import { api } from "./api.js";
import { dropTarget } from "./drag.js";
import { listing } from "./files.js";
import { nameDialog } from "./folder-dialogs.js";
import { foldersChanged, tree } from "./folder-tree.js";
import { icon } from "./icons.js";
import { requestsPanel } from "./requests.js";
import { activityPanel, folderSubject, linksPanel, peoplePanel } from "./sharing.js";
import { dropZone, interruptedPanel, uploadsPanel } from "./upload-panels.js";
import { breadcrumbs, errorLine, h, mount, notFoundPage, onSubmit, setTitle, toast } from "./ui.js";

const enc = encodeURIComponent;
const MY_FILES = { name: "My files", href: "#/files", folderId: null };
const SHARED = { name: "Shared with me", href: "#/shared" };

function searchForm(value = "") {
  const input = h("input", {
    class: "input",
    type: "search",
    id: "search-input",
    value,
    maxlength: "100",
    placeholder: "Search by name",
    "aria-label": "Search my files and folders",
  });
  const error = errorLine("search-error");
  const form = h(
    "form",
    { class: "search-form", role: "search" },
    h(
      "div",
      { class: "search-row" },
      icon("search"),
      input,
      h("button", { type: "submit", class: "btn btn-secondary" }, "Search"),
    ),
    error,
  );
  const words = () => input.value.trim();
  onSubmit(
    form,
    error,
    async () => (location.hash = `#/search/${enc(words())}`),
    () => (words().length < 2 ? "Type at least 2 characters of a name." : null),
  );
  return form;
}

const button = (kind, iconName, label, onclick) =>
  h("button", { type: "button", class: `btn ${kind}`, onclick }, icon(iconName), label);

/** The head: breadcrumbs (inside a folder), the title, a line, and the page's buttons. */
export function pageHead({ crumbs = null, title, lead, buttons = [] }) {
  return h(
    "div",
    { class: "page-head" },
    h(
      "div",
      { class: "page-title" },
      crumbs,
      h("h1", { tabindex: "-1" }, title),
      h("p", { class: "lead" }, lead),
    ),
    buttons.length ? h("div", { class: "head-actions" }, ...buttons) : null,
  );
}

/** Search, then the page's other buttons, in a row under the head. */
const toolbar = (search, buttons) => h("div", { class: "toolbar" }, search, ...buttons);

/** New folder and Upload folder, for a folder of mine (null: the top level). */
function ownerButtons(folderId, list) {
  const newFolder = async () => {
    const folder = await nameDialog({
      title: "New folder",
      label: "Folder name",
      confirmLabel: "Create folder",
      save: (name) => api.createFolder(name, folderId),
    });
    if (!folder) return;
    list.added({ type: "folder", folder });
    foldersChanged();
    toast(`Folder ${folder.name} created.`, "success");
  };
  return [
    button("btn-secondary", "folder-plus", "New folder", newFolder),
    button("btn-secondary", "folder", "Upload folder", pick("folder-picker")),
  ];
}

const pick = (id) => () => document.getElementById(id).click();

/** A head button that shows (and hides) the panels `build()` makes, the first time it is
 * pressed, in a slot under the toolbar. */
function panelToggle(iconName, label, build) {
  const slot = h("div", { class: "folder-sharing", hidden: true });
  const toggle = button("btn-secondary", iconName, label, () => {
    if (!slot.firstChild) slot.append(h("div", { class: "panels" }, ...build()));
    slot.hidden = !slot.hidden;
    toggle.setAttribute("aria-expanded", String(!slot.hidden));
  });
  toggle.setAttribute("aria-expanded", "false");
  return { toggle, slot };
}

/** The folder's people, links and activity panels. */
function sharingPanels(folder) {
  const subject = folderSubject(folder);
  const activity = activityPanel(subject);
  const changed = () => activity.reload();
  return [peoplePanel(subject, changed), linksPanel(subject, changed), activity];
}

/** A folder of mine (null: the top level) with everything to fill and organise it. */
function ownFolderPage(main, { folder, path }, options) {
  const folderId = folder?.folderId ?? null;
  const trail = folder ? [...path, { folderId, name: folder.name }] : [];
  const list = listing({
    ...options,
    kind: folder ? "folder" : "top",
    label: folder ? `Contents of ${folder.name}` : "My files",
    fetchPage: (cursor, limit) => api.folderItems(folderId ?? "root", cursor, limit),
    editable: true,
    folderId,
    trail,
  });
  const buttons = ownerButtons(folderId, list);
  tree.reveal(path.map((step) => step.folderId));
  const toggles = folder
    ? [
        panelToggle("share", "Share folder", () => sharingPanels(folder)),
        panelToggle("upload", "Request files", () => [requestsPanel(folder)]),
      ]
    : [];
  const steps = [MY_FILES, ...path.map((p) => ({ ...p, href: `#/folder/${enc(p.folderId)}` }))];
  const crumbs = folder
    ? breadcrumbs("Folders", [...steps, { name: folder.name }], {
        decorate: (node, step) => dropTarget(node, step, list.actions.drop),
      })
    : null;
  const head = pageHead({
    crumbs,
    title: folder ? folder.name : "My files",
    lead: folder
      ? "Drop files or folders here to add them."
      : "Upload, organise and share your files.",
    buttons: [
      ...toggles.map((t) => t.toggle),
      button("btn-primary", "upload", "Upload files", pick("file-picker")),
    ],
  });
  const { signal } = options;
  const zone = dropZone(signal, folderId);
  mount(
    main,
    head,
    toolbar(searchForm(), buttons),
    ...toggles.map((t) => t.slot),
    zone,
    uploadsPanel(signal),
    interruptedPanel(signal),
    list.node,
  );
  list.load();
}

/** A folder shared with me, or one below it: browse and download, nothing else. */
function sharedFolderPage(main, { folder, path }, options) {
  const steps = [SHARED, ...path.map((p) => ({ ...p, href: `#/folder/${enc(p.folderId)}` }))];
  const list = listing({
    ...options,
    kind: "sharedFolder",
    label: `Contents of ${folder.name}`,
    fetchPage: (cursor, limit) => api.folderItems(folder.folderId, cursor, limit),
    editable: false,
  });
  const head = pageHead({
    crumbs: breadcrumbs("Folders", [...steps, { name: folder.name }]),
    title: folder.name,
    lead: "Shared with you: you can open and download everything in it.",
  });
  mount(main, head, list.node);
  list.load();
}

/** "My files": the top level of my folders. */
export function myFilesView(main, options) {
  setTitle("My files");
  ownFolderPage(main, { folder: null, path: [] }, options);
}

/** One folder, mine or shared with me; `onSection` says which list it belongs to. */
export async function folderView(main, folderId, options) {
  mount(main, h("p", { class: "loading", role: "status" }, "Loading…"));
  let found;
  try {
    found = await api.getFolder(folderId);
  } catch (error) {
    if (!options.signal.aborted) notFoundPage(main, error, "folder");
    return;
  }
  if (options.signal.aborted) return;
  setTitle(found.folder.name);
  const shared = Boolean(found.folder.sharedWithMe);
  options.onSection?.(shared ? "shared" : "files");
  if (shared) sharedFolderPage(main, found, options);
  else ownFolderPage(main, found, options);
}

export function sharedView(main, options) {
  setTitle("Shared with me");
  const list = listing({
    ...options,
    kind: "shared",
    label: "Shared with me",
    fetchPage: (cursor, limit) => api.listShared(cursor, limit),
    editable: false,
  });
  const lead = "Files and folders other people have shared with you.";
  mount(main, pageHead({ title: "Shared with me", lead }), list.node);
  list.load();
}

export function searchView(main, words, options) {
  setTitle(`Search: ${words}`);
  const list = listing({
    ...options,
    kind: "search",
    label: "Search results",
    fetchPage: (cursor, limit) => api.search(words, cursor, limit),
    editable: true,
  });
  const head = pageHead({
    crumbs: breadcrumbs("Folders", [MY_FILES, { name: "Search" }]),
    title: "Search results",
    lead: `My files and folders whose name contains “${words}”.`,
  });
  mount(main, head, toolbar(searchForm(words), []), list.node);
  list.load();
}
