// Who sent a file that came through an upload request: "From Ann via request “Tax papers”", on
// its row and its page. A file names its request by token; titles are learnt from the folder's
// request list, and the lines already shown are filled in once their title is known.

import { api } from "./api.js";
import { icon } from "./icons.js";
import { h } from "./ui.js";

const titles = new Map();
// Each line shown, and how to say it again once its request's title is known.
const sayAgain = new WeakMap();
// The folders whose requests were asked for (once a visit: a new request's title comes from the
// panel that made it).
const asked = new Set();

/** A request as a line names it: “its title”, else the end of its token. */
export function requestName(token) {
  const title = titles.get(token);
  return title ? `“${title}”` : `…${token.slice(-6)}`;
}

function words({ name, email, requestToken }, full) {
  const who = full && name && email ? `${name} (${email})` : name || email || "someone";
  return `From ${who} via request ${requestName(requestToken)}`;
}

/** The titles of `requests` (as the API lists them), also for the lines already shown. */
export function learnRequestTitles(requests) {
  for (const request of requests) titles.set(request.token, request.title);
  for (const node of document.querySelectorAll(".uploaded-by[data-request-token]")) {
    if (titles.has(node.dataset.requestToken)) sayAgain.get(node)?.();
  }
}

/** Learn the titles of the requests of my folder `folderId`, once. */
function askTitles(folderId) {
  if (!folderId || asked.has(folderId)) return;
  asked.add(folderId);
  api
    .requests(folderId)
    .list()
    .then((page) => learnRequestTitles(page.items))
    .catch(() => asked.delete(folderId));
}

/** The line of a file that has `uploadedBy`, else null; `full` adds the email to a name. */
export function uploadedByNote(file, { full = false } = {}) {
  const by = file.uploadedBy;
  if (!by) return null;
  if (!titles.has(by.requestToken) && !file.sharedWithMe) askTitles(file.folderId);
  const text = h("span", {}, words(by, full));
  const node = h(
    "span",
    { class: "uploaded-by", "data-request-token": by.requestToken },
    icon("upload"),
    text,
  );
  sayAgain.set(node, () => (text.textContent = words(by, full)));
  return node;
}
