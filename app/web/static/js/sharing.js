// The owner's panels on a file's page: people with access, public links, activity.

import { api } from "./api.js";
import { icon } from "./icons.js";
import {
  confirmDialog,
  copyText,
  dateCell,
  errorLine,
  field,
  h,
  mount,
  onSubmit,
  timeAgo,
  toast,
} from "./ui.js";

const EXPIRIES = [
  [3600, "1 hour"],
  [86400, "1 day"],
  [3 * 86400, "3 days"],
  [7 * 86400, "7 days"],
];

const VERBS = {
  shared: "shared the file",
  unshared: "stopped sharing the file",
  link_created: "created a public link",
  link_revoked: "revoked a public link",
  link_downloaded: "downloaded it through a public link",
  downloaded: "downloaded the file",
};

function panel(id, title, ...content) {
  return h(
    "section",
    { class: "card panel", "aria-labelledby": id },
    h("h2", { id }, title),
    ...content,
  );
}

function who(actor) {
  return actor?.email || "Someone";
}

function verb(entry) {
  const words = VERBS[entry.action] || entry.action.replace(/_/g, " ");
  const token = entry.actor?.linkToken;
  if (entry.action === "link_downloaded" && token)
    return `downloaded it through link …${token.slice(-6)}`;
  if (entry.target?.email) return `${words} with ${entry.target.email}`;
  return words;
}

const failed = (list) => (failure) =>
  mount(list, h("li", { class: "form-error" }, failure.message));

/**
 * A `ul.{className}` of every page of `fetchPage`, an `item` each (or the `empty` line), loaded
 * now; an item that changes something reloads the list, then tells `onChange`.
 */
function liveList(className, { fetchPage, item, empty, onChange }) {
  const list = h("ul", { class: className });
  const reload = async () => {
    const entries = await everyPage(fetchPage);
    const changed = async () => (await reload(), onChange());
    const items = entries.map((entry) => item(entry, changed));
    mount(list, items.length ? items : h("li", { class: "hint empty-line" }, empty));
  };
  reload().catch(failed(list));
  return { list, reload };
}

function unshareButton(file, share, onRemoved) {
  return h(
    "button",
    {
      type: "button",
      class: "btn btn-ghost btn-small",
      "aria-label": `Stop sharing with ${share.email}`,
      onclick: async (event) => {
        event.currentTarget.disabled = true;
        try {
          await api.unshare(file.fileId, share.userId);
          toast(`${share.email} no longer has access.`, "success");
          await onRemoved();
        } catch (failure) {
          toast(failure.message, "error");
        }
      },
    },
    "Remove",
  );
}

function personItem(file, share, onRemoved) {
  return h(
    "li",
    { class: "person" },
    h("span", { class: "avatar", "aria-hidden": "true" }, (share.email || "?")[0].toUpperCase()),
    h(
      "span",
      { class: "person-text" },
      h("span", { class: "person-email" }, share.email),
      h("span", { class: "hint" }, "Shared ", dateCell(share.sharedAt)),
    ),
    unshareButton(file, share, onRemoved),
  );
}

function shareForm(file, error, onShared) {
  const email = h("input", {
    class: "input",
    type: "email",
    id: "share-email",
    required: true,
    autocomplete: "off",
    placeholder: "name@example.com",
  });
  const form = h(
    "form",
    { class: "inline-form" },
    field("Share with (email)", email),
    h("button", { type: "submit", class: "btn btn-primary" }, icon("share"), "Share"),
  );
  onSubmit(form, error, async () => {
    const share = await api.share(file.fileId, email.value.trim());
    toast(`Shared with ${share.email}.`, "success");
    email.value = "";
    await onShared();
  });
  return form;
}

export function peoplePanel(file, onChange) {
  const { list, reload } = liveList("people", {
    fetchPage: (cursor) => api.shares(file.fileId, cursor),
    item: (share, changed) => personItem(file, share, changed),
    empty: "Only you can see this file.",
    onChange,
  });
  const error = errorLine("share-error");
  const form = shareForm(file, error, async () => (await reload(), onChange()));
  return panel("people-title", "People with access", form, error, list);
}

function revokeButton(file, link, onChange) {
  return h(
    "button",
    {
      type: "button",
      class: "btn btn-ghost btn-small danger-text",
      onclick: async () => {
        const ok = await confirmDialog({
          title: "Revoke this link?",
          message: "Anyone holding it will no longer be able to download the file.",
          confirmLabel: "Revoke link",
          danger: true,
        });
        if (!ok) return;
        try {
          await api.revokeLink(file.fileId, link.token);
          toast("Link revoked.", "success");
          onChange();
        } catch (failure) {
          toast(failure.message, "error");
        }
      },
    },
    "Revoke",
  );
}

function linkMeta(link) {
  const expired = Date.parse(link.expiresAt) <= Date.now();
  const uses = link.maxDownloads
    ? `${link.downloads} of ${link.maxDownloads} downloads`
    : `${link.downloads} download${link.downloads === 1 ? "" : "s"}`;
  return h(
    "div",
    { class: "link-meta" },
    h("span", {}, icon("clock"), expired ? "Expired" : `Expires ${timeAgo(link.expiresAt)}`),
    h("span", {}, icon("download"), uses),
    link.passwordProtected ? h("span", {}, icon("lock"), "Password") : null,
  );
}

function linkItem(file, link, onChange) {
  const copy = h(
    "button",
    { type: "button", class: "btn btn-secondary btn-small", onclick: () => copyText(link.url) },
    icon("copy"),
    "Copy",
  );
  return h(
    "li",
    { class: "link", "data-token": link.token },
    h("input", {
      class: "input link-url",
      readonly: true,
      value: link.url,
      "aria-label": "Public link address",
      onfocus: (e) => e.target.select(),
    }),
    linkMeta(link),
    h("div", { class: "row" }, copy, revokeButton(file, link, onChange)),
  );
}

// A file has at most 500 shares and 50 active links: the panels show them all.
async function everyPage(fetchPage) {
  const items = [];
  let cursor = null;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

function wide(node) {
  node.classList.add("field-wide");
  return node;
}

function linkFields() {
  const expires = h(
    "select",
    { class: "input", id: "link-expiry" },
    EXPIRIES.map(([seconds, label]) =>
      h("option", { value: String(seconds), selected: seconds === 86400 }, label),
    ),
  );
  const password = h("input", {
    class: "input",
    type: "password",
    id: "link-password",
    autocomplete: "new-password",
    placeholder: "No password",
    minlength: "8",
    maxlength: "128",
  });
  const limit = h("input", {
    class: "input",
    type: "number",
    id: "link-limit",
    min: "1",
    max: "100000",
    inputmode: "numeric",
    placeholder: "No limit",
  });
  return { expires, password, limit };
}

/** The new link's settings; the expiry stays as chosen for the next one. */
function linkForm(file, error, onCreated) {
  const { expires, password, limit } = linkFields();
  const passwordHint = "8 to 128 characters. People will need it to download.";
  const form = h(
    "form",
    { class: "link-form" },
    field("Expires after", expires),
    field("Download limit", limit),
    wide(field("Password (optional)", password, passwordHint)),
    h(
      "button",
      { type: "submit", class: "btn btn-primary", disabled: file.status !== "available" },
      icon("link"),
      "Create link",
    ),
  );
  onSubmit(form, error, async () => {
    const body = { expiresIn: Number(expires.value) };
    if (password.value) body.password = password.value;
    if (limit.value) body.maxDownloads = Number(limit.value);
    const link = await api.createLink(file.fileId, body);
    password.value = "";
    limit.value = "";
    await onCreated(link);
  });
  return form;
}

export function linksPanel(file, onChange) {
  const { list, reload } = liveList("links", {
    fetchPage: (cursor) => api.links(file.fileId, cursor),
    item: (link, changed) => linkItem(file, link, changed),
    empty: "No public links yet.",
    onChange,
  });
  const error = errorLine("link-error");
  const form = linkForm(file, error, async (link) => {
    await reload();
    onChange();
    toast("Link created. Copy it and send it to anyone.", "success");
    list.querySelector(`[data-token="${CSS.escape(link.token)}"] .link-url`)?.focus();
  });
  const note =
    file.status === "available"
      ? null
      : h("p", { class: "hint" }, "Links can be created once the upload is available.");
  return panel(
    "links-title",
    "Public links",
    h("p", { class: "hint" }, "Anyone with the link can download the file, no account needed."),
    note,
    form,
    error,
    list,
  );
}

function activityItem(entry) {
  return h(
    "li",
    { class: `event event-${entry.action}` },
    h("span", { class: "event-dot", "aria-hidden": "true" }),
    h("p", {}, h("strong", {}, who(entry.actor)), ` ${verb(entry)}`),
    h("p", { class: "hint" }, dateCell(entry.at), entry.ip ? ` · ${entry.ip}` : ""),
  );
}

export function activityPanel(file) {
  const list = h("ol", { class: "activity" });
  const more = h(
    "button",
    { type: "button", class: "btn btn-secondary btn-small", hidden: true },
    "Show older",
  );
  let cursor = null;
  const load = async (reset) => {
    if (reset) {
      cursor = null;
      list.replaceChildren();
    }
    const page = await api.activity(file.fileId, cursor);
    list.append(...page.items.map(activityItem));
    if (!list.children.length)
      list.append(h("li", { class: "hint empty-line" }, "Nothing has happened to this file yet."));
    cursor = page.nextCursor;
    more.hidden = !cursor;
  };
  more.addEventListener("click", () => load(false).catch((e) => toast(e.message, "error")));
  const node = panel("activity-title", "Activity", list, more);
  node.reload = () => load(true).catch(failed(list));
  node.reload();
  return node;
}
