// Unfinished multipart uploads, remembered in localStorage under the signed-in user's id:
// another user of the same browser never sees (or resumes) them.

import { currentUserId } from "./api.js";

const RESUME_KEY = "sharebox.multipartUploads";

// Records an older page kept without an owner: whose they are is unknown, so they go.
localStorage.removeItem(RESUME_KEY);

/** The signed-in user's records key; null when nobody is signed in. */
function recordsKey() {
  const userId = currentUserId();
  return userId ? `${RESUME_KEY}.${userId}` : null;
}

export function loadRecords() {
  const key = recordsKey();
  if (!key) return [];
  try {
    return JSON.parse(localStorage.getItem(key) || "[]");
  } catch {
    return [];
  }
}

export function saveRecords(records) {
  const key = recordsKey();
  if (!key) return;
  if (records.length) localStorage.setItem(key, JSON.stringify(records));
  else localStorage.removeItem(key);
}

export function forgetRecord(fileId) {
  saveRecords(loadRecords().filter((r) => r.fileId !== fileId));
}

export const sameFile = (record, file) =>
  record.name === file.name &&
  record.size === file.size &&
  record.lastModified === file.lastModified;

/** Captures the signed-in user's key now; calling the result drops all their records (the
 * user may be signed out by then). */
export function forgetUserRecords() {
  const key = recordsKey();
  return () => key && localStorage.removeItem(key);
}
