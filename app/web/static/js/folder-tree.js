// The sidebar's folder tree under "My files": my top-level folders, each opened a level at a
// time. It lives as long as the session (the sidebar is redrawn around the same node), and
// reloads the levels it shows when a folder is made, renamed, moved or deleted on the page.

import { api } from "./api.js";
import { icon } from "./icons.js";
import { h } from "./ui.js";
import { uploads } from "./uploads.js";

const CHANGED = "sharebox:folders-changed";
const RELOAD_AFTER_MS = 250; // a folder upload makes many folders: one reload for them all

/** Tell the tree (and anyone else listening) that folders changed. */
export function foldersChanged() {
  window.dispatchEvent(new Event(CHANGED));
}

/** The folders directly inside `folderId` (null: the top level): they come first in its items. */
export async function subfolders(folderId) {
  const found = [];
  let cursor = null;
  do {
    const page = await api.folderItems(folderId ?? "root", cursor, 100);
    for (const entry of page.items) {
      if (entry.type !== "folder") return found;
      found.push(entry.folder);
    }
    cursor = page.nextCursor;
  } while (cursor);
  return found;
}

function treeNode(folder, open) {
  const children = h("ul", { class: "tree-children", hidden: true });
  const toggle = h(
    "button",
    {
      type: "button",
      class: "tree-toggle",
      "aria-expanded": "false",
      "aria-label": `Show the folders in ${folder.name}`,
    },
    icon("chevron"),
  );
  const link = h(
    "a",
    { class: "tree-link", href: `#/folder/${encodeURIComponent(folder.folderId)}` },
    icon("folder"),
    h("span", {}, folder.name),
  );
  const node = h(
    "li",
    { class: "tree-node", "data-folder-id": folder.folderId },
    h("div", { class: "tree-row" }, toggle, link),
    children,
  );
  toggle.addEventListener("click", () =>
    open(folder.folderId, toggle.getAttribute("aria-expanded") !== "true"),
  );
  return { node, children, toggle, link };
}

/** The tree: `node` for the sidebar, `highlight()` marks the folder the page shows. */
function folderTree() {
  const top = h("ul", { class: "tree-children" });
  const node = h("nav", { class: "folder-tree", "aria-label": "Folder tree" }, top);
  const expanded = new Set();
  let nodes = new Map(); // folderId -> treeNode
  let loaded = false;
  let timer = 0;

  const fill = async (list, folderId) => {
    const folders = await subfolders(folderId);
    const made = folders.map((folder) => {
      const made = treeNode(folder, open);
      nodes.set(folder.folderId, made);
      return made;
    });
    list.replaceChildren(...made.map((m) => m.node));
    for (const m of made) if (expanded.has(m.node.dataset.folderId)) await show(m, true);
  };
  const show = async (made, on) => {
    made.toggle.setAttribute("aria-expanded", String(on));
    made.children.hidden = !on;
    if (!on) return expanded.delete(made.node.dataset.folderId);
    expanded.add(made.node.dataset.folderId);
    await fill(made.children, made.node.dataset.folderId);
    made.toggle.classList.toggle("is-leaf", made.children.children.length === 0);
  };
  async function open(folderId, on) {
    const made = nodes.get(folderId);
    if (made) await show(made, on).catch(() => null);
  }
  let running = Promise.resolve();
  /** Reload the levels shown; one reload at a time, so two never interleave their rows. */
  const reload = () => {
    loaded = true;
    running = running.then(async () => {
      nodes = new Map();
      await fill(top, null).catch(() => null);
      highlight();
    });
    return running;
  };
  const highlight = () => {
    for (const [folderId, made] of nodes) {
      const here = location.hash === `#/folder/${encodeURIComponent(folderId)}`;
      made.link.setAttribute("aria-current", here ? "page" : "false");
    }
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, RELOAD_AFTER_MS);
  };
  window.addEventListener(CHANGED, later);
  uploads.addEventListener("folder-created", later);
  return {
    node,
    /** Load it the first time the sidebar shows it; then only mark where the page is. */
    shown: () => (loaded ? highlight() : reload()),
    /** Open the tree down to the folder the page shows: `ancestors` are its folders' ids, from
     * the top down. */
    reveal(ancestors) {
      const closed = ancestors.filter((folderId) => !expanded.has(folderId));
      if (!closed.length) return highlight();
      closed.forEach((folderId) => expanded.add(folderId));
      if (loaded) later();
    },
    /** Signed out: forget it all, including what a reload still running would put back. */
    reset() {
      loaded = false;
      expanded.clear();
      running = running.then(() => {
        nodes = new Map();
        if (!loaded) top.replaceChildren();
      });
    },
  };
}

export const tree = folderTree();
