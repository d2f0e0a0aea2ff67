// Small DOM helpers shared by the views: element builder, formatting, toasts, dialogs, forms.

import { icon } from "./icons.js";

/** h("button", {class: "btn", onclick}, "Save") -> <button class="btn">Save</button> */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      node.className = value;
    } else if (key in node && typeof value !== "string") {
      node[key] = value;
    } else {
      node.setAttribute(key, value === true ? "" : value);
    }
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function mount(target, ...children) {
  target.replaceChildren();
  append(target, children);
}

const UNITS = ["B", "KB", "MB", "GB", "TB"];

export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) return "";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits).replace(/\.0+$|(\.\d*?)0+$/, "$1")} ${UNITS[unit]}`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

export function formatDate(iso) {
  return iso ? dateFormat.format(new Date(iso)) : "";
}

/** "5 minutes ago", "in 2 days", falling back to a date for anything over a month. */
export function timeAgo(iso) {
  if (!iso) return "";
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  const steps = [
    [45 * 60, "minute", 60],
    [22 * 3600, "hour", 3600],
    [26 * 86400, "day", 86400],
  ];
  const abs = Math.abs(seconds);
  if (abs < 45) return seconds < 0 ? "just now" : "in a moment";
  for (const [limit, unit, size = 1] of steps) {
    if (abs < limit) return relative.format(Math.round(seconds / size), unit);
  }
  return formatDate(iso);
}

export function dateCell(iso) {
  return h("time", { datetime: iso, title: formatDate(iso) }, timeAgo(iso));
}

// Ctrl (or ⌘) + a key runs the newest notice's action that offers that key (Undo: "z"), so a
// keyboard user need not Tab to the notice; not while typing in a field.
const shortcuts = new Map();
document.addEventListener("keydown", (event) => {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
  const run = shortcuts.get(event.key.toLowerCase());
  if (!run || event.target.closest?.("input, textarea, select, [contenteditable]")) return;
  event.preventDefault();
  run();
});

/**
 * A short notice. `action` ({label, run, ariaLabel?, key?}) adds a button (Undo), which Ctrl +
 * `key` also presses while the notice shows; such a notice stays up longer, and while the
 * pointer or the focus is on it.
 */
export function toast(message, kind = "info", { action } = {}) {
  const box = document.getElementById("toasts");
  const item = h("div", { class: `toast toast-${kind}` }, h("span", {}, message));
  let timer = 0;
  let run = null;
  const leave = () => {
    clearTimeout(timer);
    if (run && shortcuts.get(action.key) === run) shortcuts.delete(action.key);
    item.classList.add("toast-leave");
    setTimeout(() => item.remove(), 400);
  };
  const wait = () => {
    clearTimeout(timer);
    timer = setTimeout(leave, action ? 10000 : 4200);
  };
  if (action) {
    run = () => {
      leave();
      action.run();
    };
    const key = action.key;
    const attrs = {
      type: "button",
      class: "toast-action",
      onclick: run,
      "aria-label": action.ariaLabel || null,
      "aria-keyshortcuts": key ? `Control+${key.toUpperCase()}` : null,
      title: key ? `${action.label} (Ctrl+${key.toUpperCase()})` : null,
    };
    item.append(h("button", attrs, action.label));
    if (key) shortcuts.set(key, run);
    item.addEventListener("mouseenter", () => clearTimeout(timer));
    item.addEventListener("mouseleave", wait);
    item.addEventListener("focusin", () => clearTimeout(timer));
    item.addEventListener("focusout", wait);
  }
  box.append(item);
  wait();
}

/** A modal question; resolves true when confirmed. Escape and Cancel resolve false. */
export function confirmDialog({ title, message, confirmLabel = "Confirm", danger = false }) {
  return new Promise((resolve) => {
    const dialog = h(
      "dialog",
      { class: "dialog", "aria-labelledby": "dialog-title" },
      h(
        "form",
        { method: "dialog" },
        h("h2", { id: "dialog-title" }, title),
        h("p", {}, message),
        h(
          "div",
          { class: "dialog-actions" },
          h("button", { class: "btn btn-ghost", value: "cancel" }, "Cancel"),
          h(
            "button",
            { class: danger ? "btn btn-danger" : "btn btn-primary", value: "ok" },
            confirmLabel,
          ),
        ),
      ),
    );
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "ok");
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector(".btn-ghost").focus();
  });
}

/** A form's error line: announced to screen readers, hidden when empty. */
export function errorLine(id) {
  return h("p", { class: "form-error", id, role: "alert", hidden: true });
}

export function showError(line, error) {
  line.textContent = error ? error.message || String(error) : "";
  line.hidden = !error;
}

/** Disable a form's controls while `work` runs, and show its error (if any) in `line`. */
export async function busy(form, line, work) {
  const controls = [...form.querySelectorAll("button, input, select, textarea")];
  const wasDisabled = controls.map((c) => c.disabled);
  controls.forEach((c) => (c.disabled = true));
  form.setAttribute("aria-busy", "true");
  if (line) showError(line, null);
  try {
    return await work();
  } catch (error) {
    if (line) showError(line, error);
    else toast(error.message, "error");
    return undefined;
  } finally {
    controls.forEach((c, i) => (c.disabled = wasDisabled[i]));
    form.removeAttribute("aria-busy");
  }
}

/**
 * Every form's submit: the page stays put, `check` (if given) may stop it with a message for
 * `line`, then `work` runs while busy(): controls disabled, the previous error cleared, a
 * failure's message (the API's problem `detail`) shown in `line`.
 */
export function onSubmit(form, line, work, check = () => null) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const problem = check();
    if (problem) showError(line, new Error(problem));
    else busy(form, line, work);
  });
}

/** Copy `text`, then say so (`done`: what the notice says). */
export async function copyText(text, done = "Link copied to the clipboard.") {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = h("textarea", { class: "visually-hidden" });
    area.value = text;
    document.body.append(area);
    area.select();
    document.execCommand("copy");
    area.remove();
  }
  toast(done, "success");
}

/** Start a browser download from a (presigned, attachment) URL without leaving the page. */
export function startDownload(url) {
  const link = h("a", { href: url, rel: "noopener", hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
}

/** A progress bar named `label`; `update(pct)` moves it. */
export function progressBar(label) {
  const bar = h("div", { class: "progress-bar" });
  const node = h(
    "div",
    {
      class: "progress",
      role: "progressbar",
      "aria-valuemin": "0",
      "aria-valuemax": "100",
      "aria-label": label,
    },
    bar,
  );
  node.update = (pct) => {
    bar.style.width = `${pct}%`; // CSSOM, which the page's style-src 'self' policy allows
    node.setAttribute("aria-valuenow", String(pct));
    node.setAttribute("aria-valuetext", `${pct}%`);
  };
  return node;
}

export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  const hintNode = hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintNode) input.setAttribute("aria-describedby", hintNode.id);
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hintNode);
}

const STATUS_WORDS = { pending: "Pending", available: "Available", rejected: "Rejected" };
const REJECTIONS = {
  size_mismatch: "the size did not match",
  type_mismatch: "the content is not the declared type",
  quota_exceeded: "your storage is full",
};

export function statusBadge(file) {
  const words = STATUS_WORDS[file.status] || file.status;
  const reason = file.status === "rejected" ? REJECTIONS[file.rejectionReason] : null;
  return h(
    "span",
    { class: `badge badge-${file.status}`, title: reason ? `Rejected: ${reason}` : null },
    words,
  );
}

export function rejectionText(file) {
  return REJECTIONS[file.rejectionReason] || file.rejectionReason || "";
}

export function setTitle(text) {
  document.title = text ? `${text} · Sharebox` : "Sharebox";
}

function crumb(step, isLast, current) {
  if (isLast) return h("span", { "aria-current": current }, step.name);
  if (step.href) return h("a", { href: step.href }, step.name);
  return h("button", { type: "button", class: "link-button", onclick: step.onclick }, step.name);
}

/**
 * Breadcrumbs: `steps` ([{name, href} or {name, onclick}]) from the top down to where one is
 * (the last, not a link); `decorate(node, step)` may add to each step above it (a drop target).
 */
export function breadcrumbs(label, steps, { current = "page", decorate = () => null } = {}) {
  const items = steps.map((step, index) => {
    const isLast = index === steps.length - 1;
    const node = crumb(step, isLast, current);
    if (!isLast) decorate(node, step);
    return h("li", {}, node);
  });
  return h("nav", { class: "crumbs", "aria-label": label }, h("ol", {}, items));
}

/** The page of a file or folder (`noun`) that could not be loaded: gone (404), or why not. */
export function notFoundPage(main, error, noun) {
  const missing = error.status === 404;
  const Noun = noun[0].toUpperCase() + noun.slice(1);
  setTitle(`${Noun} not found`);
  mount(
    main,
    h(
      "div",
      { class: "empty card" },
      icon(noun, "icon empty-icon"),
      h("h1", { tabindex: "-1" }, missing ? `${Noun} not found` : `Could not load the ${noun}`),
      h(
        "p",
        { class: "hint" },
        missing ? "It may have been deleted, or it is no longer shared with you." : error.message,
      ),
      h("a", { href: "#/files", class: "btn btn-secondary" }, "Back to my files"),
    ),
  );
}
