// The HTTP client: every call the page makes goes through here (see API.md).
// The access token lives only in memory and is refreshed a minute before it expires.
// The refresh token never reaches this code: log-in asks the API to keep it in an HttpOnly
// cookie scoped to auth/refresh, and a refresh sends that cookie with a CSRF header.

const BASE = new URL(".", document.baseURI);
const REFRESH_MARGIN_S = 60;
const WEB_CLIENT = { "X-Sharebox-Client": "web" };
const CSRF = { "X-Sharebox-CSRF": "1" };

// Older versions of the page kept the refresh token in storage: drop any left behind.
for (const store of [localStorage, sessionStorage]) store.removeItem("sharebox.refreshToken");

export class ApiError extends Error {
  constructor(status, code, detail, body = {}) {
    super(detail);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

const session = { accessToken: null, expiresAt: 0, timer: 0, refreshing: null };
const signedOutListeners = new Set();

export function onSignedOut(listener) {
  signedOutListeners.add(listener);
}

export function isSignedIn() {
  return Boolean(session.accessToken);
}

/** The signed-in user's id (the access token's `sub`), or null; for keying what the page stores. */
export function currentUserId() {
  if (!session.accessToken) return null;
  try {
    const payload = session.accessToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    return JSON.parse(atob(payload)).sub || null;
  } catch {
    return null;
  }
}

function keep(tokens) {
  session.accessToken = tokens.accessToken;
  session.expiresAt = Date.now() + tokens.expiresIn * 1000;
  clearTimeout(session.timer);
  const inMs = Math.max(tokens.expiresIn - REFRESH_MARGIN_S, 5) * 1000;
  session.timer = setTimeout(() => refresh(), inMs);
}

function forget() {
  clearTimeout(session.timer);
  session.accessToken = null;
  session.expiresAt = 0;
}

/** `reason`: "logout" when the user asked, "expired" when the session could not be renewed. */
function signedOut(reason) {
  const userId = currentUserId();
  forget();
  for (const listener of signedOutListeners) listener(reason, userId);
}

/** Trade the session cookie for a new access token; one request at a time. A refused cookie
 * is expired by the 401 that refuses it. */
export function refresh() {
  session.refreshing ??= call("POST", "auth/refresh", { headers: CSRF, auth: false })
    .then((tokens) => {
      keep(tokens);
      return true;
    })
    .catch((error) => {
      if (error.status === 401 || error.status === 403) forget();
      return false;
    })
    .finally(() => {
      session.refreshing = null;
    });
  return session.refreshing;
}

/** On page load: sign back in silently when the browser holds a session cookie. */
export async function resume() {
  return isSignedIn() || (await refresh());
}

function url(path, query) {
  const target = new URL(path, BASE);
  for (const [key, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== "") target.searchParams.set(key, value);
  }
  return target;
}

async function problemFrom(response) {
  let body = {};
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page): fall back to the status line.
  }
  return new ApiError(response.status, body.code || "http_error", plainWords(response, body), body);
}

function plainWords(response, body) {
  if (body.code === "validation_error" && Array.isArray(body.errors) && body.errors.length) {
    const first = body.errors[0];
    const field = String(first.loc?.[first.loc.length - 1] ?? "request");
    const name = field.replace(/([A-Z])/g, " $1").toLowerCase();
    return `Please check the ${name}: ${String(first.msg).replace(/^value is /, "it is ")}.`;
  }
  if (body.detail) return body.detail;
  if (response.status >= 500) return "Sharebox had a problem on its side. Please try again.";
  return `The request failed (${response.status} ${response.statusText}).`;
}

async function call(method, path, { body, query, auth = true, form, headers: extra } = {}) {
  const headers = { Accept: "application/json", ...extra };
  if (auth) {
    if (!session.accessToken || Date.now() >= session.expiresAt) await refresh();
    if (session.accessToken) headers.Authorization = `Bearer ${session.accessToken}`;
  }
  let payload;
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  } else if (form) {
    payload = new URLSearchParams(form);
  }
  let response;
  try {
    response = await fetch(url(path, query), { method, headers, body: payload });
  } catch {
    throw new ApiError(
      0,
      "network_error",
      "Sharebox could not be reached. Check your connection and try again.",
    );
  }
  if (response.ok) {
    if (response.status === 204 || response.status === 202) return null;
    const text = await response.text();
    return text ? JSON.parse(text) : null;
  }
  throw await problemFrom(response);
}

/** An authenticated call: on 401 try one refresh, then give up and go back to log in. */
async function authed(method, path, options = {}) {
  try {
    return await call(method, path, options);
  } catch (error) {
    if (error.status !== 401) throw error;
    if (await refresh()) {
      try {
        return await call(method, path, options);
      } catch (retryError) {
        if (retryError.status === 401) signedOut("expired");
        throw retryError;
      }
    }
    signedOut("expired");
    throw new ApiError(401, "signed_out", "Your session has ended. Please log in again.");
  }
}

const enc = encodeURIComponent;
const publicCall = (method, path, options = {}) => call(method, path, { ...options, auth: false });

export const api = {
  signUp: (body) => publicCall("POST", "auth/signup", { body }),
  confirm: (email, code) => publicCall("POST", "auth/confirm", { body: { email, code } }),
  resendCode: (email) => publicCall("POST", "auth/resend-code", { body: { email } }),
  /** Signs in, or answers `{challenge: "totp", session}` when the account asks for a code
   * next (logInWithCode). */
  async logIn(email, password) {
    const answer = await publicCall("POST", "auth/login", {
      body: { email, password },
      headers: WEB_CLIENT,
    });
    if (answer.challenge) return answer;
    keep(answer);
    return null;
  },
  /** The second step of a two-factor log-in: the `session` logIn answered and a TOTP code. */
  async logInWithCode(email, session, code) {
    keep(
      await publicCall("POST", "auth/login/mfa", {
        body: { email, session, code },
        headers: WEB_CLIENT,
      }),
    );
  },
  forgotPassword: (email) => publicCall("POST", "auth/forgot-password", { body: { email } }),
  resetPassword: (email, code, newPassword) =>
    publicCall("POST", "auth/reset-password", { body: { email, code, newPassword } }),
  /** Sign out everywhere. `call` renews an expired access token first; if the cookie is
   * refused instead, that 401 already expired it, and a stale session needs no logout. */
  async logOut() {
    try {
      if (isSignedIn()) await call("POST", "auth/logout");
    } catch {
      // Signed out locally either way.
    }
    signedOut("logout");
  },

  me: () => authed("GET", "users/me"),
  /** `{name?, notifications?: {shares, requests, rejections}}`: answers the updated account. */
  updateMe: (body) => authed("PATCH", "users/me", { body }),
  /** Two-factor: a new secret (`{secret, otpauthUri}`), turned on by its first code. */
  mfaSetup: () => authed("POST", "auth/mfa/setup"),
  mfaEnable: (code) => authed("POST", "auth/mfa/enable", { body: { code } }),
  mfaDisable: (code) => authed("DELETE", "auth/mfa", { body: { code } }),

  /** The admin console's calls (members of the `admins` group; anyone else: 403). */
  admin: {
    stats: () => authed("GET", "admin/stats"),
    /** `q`: an email prefix. */
    users: (q, cursor, limit = 25) => authed("GET", "admin/users", { query: { q, cursor, limit } }),
    /** `{quotaBytes?, disabled?}` (`quotaBytes` null: back to the default); answers the user. */
    update: (userId, body) => authed("PATCH", `admin/users/${enc(userId)}`, { body }),
    /** What administrators did, newest first. */
    audit: (cursor, limit = 10) => authed("GET", "admin/audit", { query: { cursor, limit } }),
  },

  /** Files and folders shared with me, newest share first: `{items:[{type, file|folder}]}`. */
  listShared: (cursor, limit = 20) => authed("GET", "shared", { query: { cursor, limit } }),
  search: (q, cursor, limit = 20) => authed("GET", "search", { query: { q, cursor, limit } }),
  getFile: (id) => authed("GET", `files/${enc(id)}`),
  rename: (id, fileName) => authed("PATCH", `files/${enc(id)}`, { body: { fileName } }),
  /** `folderId` null moves the file to the top level. */
  moveFile: (id, folderId) => authed("PATCH", `files/${enc(id)}`, { body: { folderId } }),
  /** Moves the file to the trash (restorable until its purge date). */
  deleteFile: (id) => authed("DELETE", `files/${enc(id)}`),
  /** `expiresAt`: an ISO time with its zone, or null to keep the file until deleted. */
  setExpiry: (id, expiresAt) => authed("PATCH", `files/${enc(id)}`, { body: { expiresAt } }),
  downloadUrl: (id, disposition = "attachment") =>
    authed("GET", `files/${enc(id)}/download-url`, { query: { disposition } }),
  thumbnailUrl: (id) => authed("GET", `files/${enc(id)}/thumbnail-url`),

  uploadUrl: (body) => authed("POST", "files/upload-url", { body }),
  complete: (id) => authed("POST", `files/${enc(id)}/complete`),
  startMultipart: (body) => authed("POST", "files/multipart", { body }),
  multipartStatus: (id) => authed("GET", `files/${enc(id)}/multipart`),
  completeMultipart: (id, parts) =>
    authed("POST", `files/${enc(id)}/multipart/complete`, { body: { parts } }),
  abortMultipart: (id) => authed("DELETE", `files/${enc(id)}/multipart`),

  /** A new version of a file: a presigned POST (`{upload}`) then `complete`, as an upload. */
  newVersion: (id, body) => authed("POST", `files/${enc(id)}/versions`, { body }),
  /** A large new version: as `startMultipart`; the file's multipart routes finish it. */
  startVersionMultipart: (id, body) =>
    authed("POST", `files/${enc(id)}/versions/multipart`, { body }),
  versions: (id) => authed("GET", `files/${enc(id)}/versions`),
  versionDownloadUrl: (id, versionId) =>
    authed("GET", `files/${enc(id)}/versions/${enc(versionId)}/download-url`),
  restoreVersion: (id, versionId) =>
    authed("POST", `files/${enc(id)}/versions/${enc(versionId)}/restore`),
  deleteVersion: (id, versionId) => authed("DELETE", `files/${enc(id)}/versions/${enc(versionId)}`),

  /** What I deleted, newest first: `{items:[{type, file|folder, trashedAt, purgeAt}]}`. */
  trash: (cursor, limit = 20) => authed("GET", "trash", { query: { cursor, limit } }),
  /** Back where it was (top level if its folder is gone): `{type, file|folder}`. */
  restoreFromTrash: (id) => authed("POST", `trash/${enc(id)}/restore`),
  deleteForGood: (id) => authed("DELETE", `trash/${enc(id)}`),
  /** Answers at once (202); the trash empties in the background. */
  emptyTrash: () => authed("DELETE", "trash"),

  /** A folder and the path above it: `{folder, path:[{folderId, name}]}`. */
  getFolder: (id) => authed("GET", `folders/${enc(id)}`),
  /** One page of a folder (`root`: the top level): folders first by name, then files. */
  folderItems: (id, cursor, limit = 20) =>
    authed("GET", `folders/${enc(id)}/items`, { query: { cursor, limit } }),
  createFolder: (name, parentId) =>
    authed("POST", "folders", { body: parentId ? { name, parentId } : { name } }),
  renameFolder: (id, name) => authed("PATCH", `folders/${enc(id)}`, { body: { name } }),
  /** `parentId` null moves the folder to the top level. */
  moveFolder: (id, parentId) => authed("PATCH", `folders/${enc(id)}`, { body: { parentId } }),
  deleteFolder: (id) => authed("DELETE", `folders/${enc(id)}`),

  /** Sharing and activity calls for one file or folder (`kind`: "files" or "folders"): the
   * same shapes for both. */
  sharing(kind, id) {
    const base = `${kind}/${enc(id)}`;
    return {
      share: (email) => authed("POST", `${base}/share`, { body: { email } }),
      shares: (cursor, limit = 100) =>
        authed("GET", `${base}/shares`, { query: { cursor, limit } }),
      /** Stop a share, or cancel a pending invitation (which has no user yet). */
      unshare: (share) => authed("DELETE", `${base}/shares/${enc(share.userId ?? share.email)}`),
      createLink: (body) => authed("POST", `${base}/links`, { body }),
      links: (cursor, limit = 100) => authed("GET", `${base}/links`, { query: { cursor, limit } }),
      revokeLink: (token) => authed("DELETE", `${base}/links/${enc(token)}`),
      activity: (cursor, limit = 20) =>
        authed("GET", `${base}/activity`, { query: { cursor, limit } }),
    };
  },

  /** A folder's upload requests (owner): create, list and revoke. */
  requests(folderId) {
    const base = `folders/${enc(folderId)}/requests`;
    return {
      create: (body) => authed("POST", base, { body }),
      list: (cursor, limit = 100) => authed("GET", base, { query: { cursor, limit } }),
      revoke: (token) => authed("DELETE", `${base}/${enc(token)}`),
    };
  },
  /** What a request's visitor sees: `{title, message, expiresAt, passwordProtected, maxFiles,
   * maxFileBytes, ownerName}`. */
  requestInfo: (token) => publicCall("GET", `requests/${enc(token)}`),
  /** A presigned POST into the request's folder: `{fileId, upload}`. */
  requestUpload: (token, body) => publicCall("POST", `requests/${enc(token)}/uploads`, { body }),

  linkInfo: (token) => publicCall("GET", `links/${enc(token)}`),
  linkDownload: (token, password) =>
    publicCall("POST", `links/${enc(token)}/download`, { body: password ? { password } : {} }),
  /** A key for the rest of the visit, so a password is asked once. */
  unlockLink: (token, password) =>
    publicCall("POST", `links/${enc(token)}/unlock`, { body: password ? { password } : {} }),
  /** One page of a folder link (`folderId` omitted: the link's own folder). */
  linkItems: (token, { folderId, key, cursor, limit = 50 }) =>
    publicCall("GET", `links/${enc(token)}/items`, { query: { folderId, key, cursor, limit } }),
  linkFileDownload: (token, fileId, key) =>
    publicCall("POST", `links/${enc(token)}/download`, { body: { fileId, key } }),
};
