// A folder's upload requests (API.md v2 > Upload requests): the owner's panel that makes one
// (title, message, expiry, password, limits), shows its link to copy, lists the folder's
// requests with what each has received, and revokes them.

import { api } from "./api.js";
import { icon } from "./icons.js";
import { addressField, copyButton, liveList, panel, wide } from "./panels.js";
import { learnRequestTitles } from "./uploaded-by.js";
import {
  confirmDialog,
  errorLine,
  field,
  formatBytes,
  formatDate,
  h,
  onSubmit,
  timeAgo,
  toast,
} from "./ui.js";

// How long a request stays open (the API takes 60 s to 30 days).
const EXPIRIES = [
  [86400, "1 day"],
  [3 * 86400, "3 days"],
  [7 * 86400, "7 days"],
  [14 * 86400, "14 days"],
  [30 * 86400, "30 days"],
];
const DEFAULT_EXPIRY = 7 * 86400;
const MB = 1024 * 1024;

function revokeButton(calls, request, onChange) {
  return h(
    "button",
    {
      type: "button",
      class: "btn btn-ghost btn-small danger-text",
      "aria-label": `Revoke request ${request.title}`,
      onclick: async () => {
        const ok = await confirmDialog({
          title: `Revoke “${request.title}”?`,
          message:
            "Its link stops working at once. Files it has already received stay in the folder.",
          confirmLabel: "Revoke request",
          danger: true,
        });
        if (!ok) return;
        try {
          await calls.revoke(request.token);
          toast(`Request “${request.title}” revoked.`, "success");
          onChange();
        } catch (failure) {
          toast(failure.message, "error");
        }
      },
    },
    "Revoke",
  );
}

function received(request) {
  const count = request.files ?? 0;
  const most = request.maxFiles;
  if (most) return `${count} of ${most} file${most === 1 ? "" : "s"} received`;
  return `${count} file${count === 1 ? "" : "s"} received`;
}

function requestMeta(request) {
  const closed = Date.parse(request.expiresAt) <= Date.now();
  const closes = closed ? "Closed" : `Closes ${timeAgo(request.expiresAt)}`;
  return h(
    "div",
    { class: "link-meta" },
    h("span", { title: formatDate(request.expiresAt) }, icon("clock"), closes),
    h("span", { class: "request-count" }, icon("file"), received(request)),
    request.maxFileBytes
      ? h("span", {}, icon("upload"), `Up to ${formatBytes(request.maxFileBytes)} each`)
      : null,
  );
}

function requestItem(calls, request, onChange) {
  const password = request.passwordProtected
    ? h("span", { class: "badge badge-password" }, icon("lock"), "Password")
    : null;
  return h(
    "li",
    { class: "link request", "data-token": request.token },
    h(
      "div",
      { class: "request-head" },
      h("span", { class: "request-title" }, request.title),
      password,
    ),
    addressField(request.url, `Link of the request ${request.title}`),
    requestMeta(request),
    h(
      "div",
      { class: "row" },
      copyButton(request.url, `Copy the link of ${request.title}`),
      revokeButton(calls, request, onChange),
    ),
  );
}

function requestFields() {
  const input = (id, attrs) => h("input", { class: "input", id, autocomplete: "off", ...attrs });
  const number = (id, max) =>
    input(id, { type: "number", min: "1", max, inputmode: "numeric", placeholder: "No limit" });
  return {
    title: input("req-title", { required: true, maxlength: "200", placeholder: "e.g. Tax papers" }),
    message: h("textarea", { class: "input", id: "req-message", rows: "3", maxlength: "2000" }),
    expires: h(
      "select",
      { class: "input", id: "req-expiry" },
      EXPIRIES.map(([seconds, label]) =>
        h("option", { value: String(seconds), selected: seconds === DEFAULT_EXPIRY }, label),
      ),
    ),
    maxFiles: number("req-max-files", "1000"),
    maxMegabytes: number("req-max-size", String(5 * 1024)),
    password: input("req-password", {
      type: "password",
      autocomplete: "new-password",
      placeholder: "No password",
      minlength: "8",
      maxlength: "128",
    }),
  };
}

/** What the form asks the API for: only what was filled in. */
function requestBody(fields) {
  const body = { title: fields.title.value.trim(), expiresIn: Number(fields.expires.value) };
  const message = fields.message.value.trim();
  if (message) body.message = message;
  if (fields.password.value) body.password = fields.password.value;
  if (fields.maxFiles.value) body.maxFiles = Number(fields.maxFiles.value);
  if (fields.maxMegabytes.value) body.maxFileBytes = Math.round(fields.maxMegabytes.value * MB);
  return body;
}

function requestForm(calls, error, onCreated) {
  const fields = requestFields();
  const form = h(
    "form",
    { class: "link-form request-form-new" },
    wide(field("Title", fields.title, "Uploaders see it at the top of the page.")),
    wide(field("Message (optional)", fields.message)),
    field("Open for", fields.expires),
    field("Most files", fields.maxFiles),
    field("Largest file (MB)", fields.maxMegabytes),
    field("Password (optional)", fields.password, "8 to 128 characters."),
    h("button", { type: "submit", class: "btn btn-primary" }, icon("upload"), "Create request"),
  );
  onSubmit(
    form,
    error,
    async () => {
      const request = await calls.create(requestBody(fields));
      for (const name of ["title", "message", "maxFiles", "maxMegabytes", "password"])
        fields[name].value = "";
      await onCreated(request);
    },
    () => (fields.title.value.trim() ? null : "Give the request a title."),
  );
  return form;
}

/** The "Request files" panel of the folder `folder` (mine). */
export function requestsPanel(folder) {
  const calls = api.requests(folder.folderId);
  const { list, reload } = liveList("links requests", {
    fetchPage: (cursor) => calls.list(cursor),
    item: (request, changed) => requestItem(calls, request, changed),
    empty: "No open requests.",
    onChange: () => null,
    onLoad: learnRequestTitles,
  });
  const error = errorLine("req-error");
  const form = requestForm(calls, error, async (request) => {
    await reload();
    toast("Request created. Copy its link and send it to whoever should upload.", "success");
    list.querySelector(`[data-token="${CSS.escape(request.token)}"] .link-url`)?.focus();
  });
  const lead =
    `Anyone with a request's link can send files into ${folder.name}, no account needed. ` +
    "They see nothing in the folder.";
  return panel(
    "requests-title",
    "Request files",
    h("p", { class: "hint" }, lead),
    h(
      "div",
      { class: "requests-body" },
      h("div", {}, form, error),
      h("div", {}, h("h3", { class: "requests-list-title" }, "This folder's requests"), list),
    ),
  );
}
