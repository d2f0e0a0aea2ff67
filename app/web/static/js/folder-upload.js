// Whole folders from the desktop, dropped (DataTransfer entries) or picked (<input
// webkitdirectory>): their folders are created first, top down, then every file is uploaded
// straight into its own folder. A tree is [{dirs: ["Trip", "Day 1"], file}], where `dirs` are
// the folders the file sits in; an empty folder is {dirs, file: null}, so it is created too.

import { api } from "./api.js";
import { toast } from "./ui.js";
import { uploads } from "./uploads.js";

/** A directory's children: readEntries answers in batches, until an empty one. */
function readAll(reader) {
  return new Promise((resolve, reject) => {
    const all = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (!batch.length) return resolve(all);
        all.push(...batch);
        next();
      }, reject);
    next();
  });
}

const fileOf = (entry) => new Promise((resolve, reject) => entry.file(resolve, reject));

async function walk(entries, dirs = []) {
  const tree = [];
  for (const entry of entries) {
    if (entry.isDirectory) {
      const inside = [...dirs, entry.name];
      tree.push({ dirs: inside, file: null });
      tree.push(...(await walk(await readAll(entry.createReader()), inside)));
    } else if (entry.isFile) {
      tree.push({ dirs, file: await fileOf(entry) });
    }
  }
  return tree;
}

/** Every folder path of the tree ("Trip", "Trip/Day 1"), parents before their children. */
function folderPaths(tree) {
  const paths = new Set();
  for (const { dirs } of tree) dirs.forEach((_, i) => paths.add(dirs.slice(0, i + 1).join("/")));
  return [...paths].sort((a, b) => a.split("/").length - b.split("/").length);
}

/** Create the tree's folders under `parentId` (null: the top level); answers path -> folderId.
 * Each one is announced ("folder-created"), so the list showing its parent takes it in. */
async function createFolders(tree, parentId) {
  const ids = new Map([["", parentId]]);
  for (const path of folderPaths(tree)) {
    const cut = path.lastIndexOf("/");
    const parent = ids.get(cut < 0 ? "" : path.slice(0, cut));
    const folder = await api.createFolder(path.slice(cut + 1), parent);
    ids.set(path, folder.folderId);
    uploads.emit("folder-created", folder);
  }
  return ids;
}

async function uploadTree(tree, parentId, options) {
  const ids = await createFolders(tree, parentId);
  const byFolder = new Map();
  for (const { dirs, file } of tree) {
    if (!file) continue;
    const folderId = ids.get(dirs.join("/"));
    byFolder.set(folderId, [...(byFolder.get(folderId) || []), file]);
  }
  for (const [folderId, files] of byFolder) uploads.add(files, folderId, options);
}

function reportFailure(error) {
  toast(`The folder could not be uploaded: ${error.message}`, "error");
}

/** Dropped entries (some of them directories) into `folderId`. Call it within the drop event:
 * the browser keeps the entries readable, not the DataTransfer. `options`: as uploads.add's. */
export function uploadEntries(entries, folderId, options) {
  walk(entries)
    .then((tree) => uploadTree(tree, folderId, options))
    .catch(reportFailure);
}

/** Files picked with `<input webkitdirectory>`: each one's webkitRelativePath names its folders. */
export function uploadPicked(files, folderId, options) {
  const tree = [...files].map((file) => ({
    dirs: file.webkitRelativePath.split("/").slice(0, -1),
    file,
  }));
  uploadTree(tree, folderId, options).catch(reportFailure);
}
