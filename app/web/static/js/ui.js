// Small DOM helpers shared by the views: element builder, formatting, toasts, dialogs, icons.

/** h("button", {class: "btn", onclick}, "Save") -> <button class="btn">Save</button> */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      node.className = value;
    } else if (key === "html") {
      node.innerHTML = value; // only ever our own constant icon markup
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

export function toast(message, kind = "info") {
  const box = document.getElementById("toasts");
  const item = h("div", { class: `toast toast-${kind}` }, message);
  box.append(item);
  setTimeout(() => item.classList.add("toast-leave"), 4200);
  setTimeout(() => item.remove(), 4600);
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

export async function copyText(text) {
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
  toast("Link copied to the clipboard.", "success");
}

/** Start a browser download from a (presigned, attachment) URL without leaving the page. */
export function startDownload(url) {
  const link = h("a", { href: url, rel: "noopener", hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
}

export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  const hintNode = hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintNode) input.setAttribute("aria-describedby", hintNode.id);
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hintNode);
}

const ICONS = {
  upload: '<path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3"/>',
  file: '<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M14 3v5h5"/>',
  image:
    '<rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="2"/><path d="m21 17-5-5-9 8"/>',
  text: '<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M14 3v5h5M9 13h6M9 17h6"/>',
  archive:
    '<path d="M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z"/><path d="M11 5h2M11 8h2M11 11h2v3h-2z"/>',
  video: '<rect x="3" y="5" width="13" height="14" rx="2"/><path d="m16 10 5-3v10l-5-3"/>',
  audio: '<path d="M9 18V5l11-2v13"/><circle cx="6" cy="18" r="3"/><circle cx="17" cy="16" r="3"/>',
  download: '<path d="M12 4v12m0 0-4.5-4.5M12 16l4.5-4.5M4 20h16"/>',
  share:
    '<circle cx="18" cy="5" r="3"/><circle cx="6" cy="12" r="3"/><circle cx="18" cy="19" r="3"/><path d="m8.6 13.5 6.8 4M15.4 6.5l-6.8 4"/>',
  link: '<path d="M10 14a4.5 4.5 0 0 0 6.4 0l3-3a4.5 4.5 0 0 0-6.4-6.4l-1 1"/><path d="M14 10a4.5 4.5 0 0 0-6.4 0l-3 3a4.5 4.5 0 0 0 6.4 6.4l1-1"/>',
  lock: '<rect x="4" y="11" width="16" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>',
  trash:
    '<path d="M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3"/>',
  edit: '<path d="M4 20h4L19 9l-4-4L4 16z"/><path d="m13.5 6.5 4 4"/>',
  folder: '<path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/>',
  users:
    '<circle cx="9" cy="8" r="4"/><path d="M2 21a7 7 0 0 1 14 0"/><path d="M16 4a4 4 0 0 1 0 8M22 21a7 7 0 0 0-4-6.3"/>',
  logout: '<path d="M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3M10 17l-5-5 5-5M5 12h11"/>',
  x: '<path d="M6 6l12 12M18 6 6 18"/>',
  back: '<path d="M15 18l-6-6 6-6"/>',
  copy: '<rect x="8" y="8" width="12" height="12" rx="2"/><path d="M16 8V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h2"/>',
  clock: '<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>',
  check: '<path d="m5 12 5 5 9-10"/>',
  eye: '<path d="M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z"/><circle cx="12" cy="12" r="3"/>',
};

export function icon(name, className = "icon") {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", className);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.innerHTML = ICONS[name] || ICONS.file;
  return svg;
}

export function iconFor(contentType = "") {
  if (contentType.startsWith("image/")) return "image";
  if (contentType.startsWith("video/")) return "video";
  if (contentType.startsWith("audio/")) return "audio";
  if (
    contentType.startsWith("text/") ||
    contentType.includes("json") ||
    contentType.includes("pdf")
  )
    return "text";
  if (/zip|tar|compress|gzip|7z|rar/.test(contentType)) return "archive";
  return "file";
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
