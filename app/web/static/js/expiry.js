// A file's expiry (API.md v2 > Trash, versions and expiry): the badge on its rows and page,
// the choice made on upload, and the owner's panel that sets or clears it.

import { api } from "./api.js";
import { icon } from "./icons.js";
import { busy, errorLine, field, formatDate, h, mount, onSubmit, timeAgo, toast } from "./ui.js";

/** The upload's "Expires after" choices, in seconds (`expiresIn`); 0: never. */
export const UPLOAD_EXPIRIES = [
  [0, "Never"],
  [3600, "1 hour"],
  [86400, "1 day"],
  [7 * 86400, "7 days"],
  [30 * 86400, "30 days"],
];

const DAY_MS = 86400000;

/** "Expires in 3 hours", "Expires tomorrow", "Expires on 4 Jan 2027, 10:00". */
export function expiresText(iso) {
  const left = Date.parse(iso) - Date.now();
  if (left <= 0) return "Expiring now";
  return left < 26 * DAY_MS ? `Expires ${timeAgo(iso)}` : `Expires on ${formatDate(iso)}`;
}

/** The badge of a file that has an expiry; null for one kept until deleted. */
export function expiryBadge(file) {
  if (!file.expiresAt) return null;
  const soon = Date.parse(file.expiresAt) - Date.now() < DAY_MS;
  return h(
    "span",
    {
      class: `badge badge-expiry${soon ? " badge-expiry-soon" : ""}`,
      title: `Deleted for good on ${formatDate(file.expiresAt)}`,
    },
    icon("clock"),
    expiresText(file.expiresAt),
  );
}

/** The upload form's choice; its value is `expiresIn` in seconds ("0": never). */
export function uploadExpiryField() {
  const select = h(
    "select",
    { class: "input input-small", id: "upload-expiry" },
    UPLOAD_EXPIRIES.map(([seconds, label]) => h("option", { value: String(seconds) }, label)),
  );
  const node = h(
    "div",
    { class: "upload-expiry" },
    h("label", { for: select.id }, "Expires after"),
    select,
  );
  return { node, expiresIn: () => Number(select.value) || null };
}

const pad = (n) => String(n).padStart(2, "0");

/** An ISO time as a datetime-local input's value, in the browser's time zone. */
function localValue(date) {
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  return `${day}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function expiryState(file) {
  if (!file.expiresAt)
    return h("p", { class: "expiry-state" }, "Kept until you delete it: it never expires.");
  return h(
    "p",
    { class: "expiry-state" },
    expiryBadge(file),
    ` Then it is deleted for good (not put in the trash), and its links and shares stop.`,
  );
}

/** Set a date and time (or clear it) after which the file is deleted for good. */
export function expiryPanel(file, onChange) {
  const body = h("div");
  const render = (current) => {
    const when = h("input", {
      class: "input",
      type: "datetime-local",
      id: "expiry-input",
      required: true,
      min: localValue(new Date(Date.now() + 60000)),
      value: localValue(new Date(current.expiresAt || Date.now() + 7 * DAY_MS)),
    });
    const error = errorLine("expiry-error");
    const clear = h(
      "button",
      { type: "button", class: "btn btn-ghost", hidden: !current.expiresAt },
      "Never expire",
    );
    const form = h(
      "form",
      { class: "inline-form expiry-form", novalidate: true },
      field("Delete for good on", when),
      h(
        "div",
        { class: "row" },
        h("button", { type: "submit", class: "btn btn-primary" }, "Set expiry"),
        clear,
      ),
    );
    const save = async (expiresAt) => {
      const updated = await api.setExpiry(current.fileId, expiresAt);
      const said = updated.expiresAt
        ? `${updated.fileName} ${expiresText(updated.expiresAt).toLowerCase()}.`
        : `${updated.fileName} no longer expires.`;
      toast(said, "success");
      onChange(updated);
      render(updated);
      body.querySelector(updated.expiresAt ? "#expiry-input" : "button[type=submit]")?.focus();
    };
    onSubmit(
      form,
      error,
      () => save(new Date(when.value).toISOString()),
      () => (Date.parse(when.value) > Date.now() ? null : "Choose a time in the future."),
    );
    clear.addEventListener("click", () => busy(form, error, () => save(null)));
    mount(body, expiryState(current), form, error);
  };
  render(file);
  return h(
    "section",
    { class: "card panel expiry-panel", "aria-labelledby": "expiry-title" },
    h("h2", { id: "expiry-title" }, "Expiry"),
    body,
  );
}
