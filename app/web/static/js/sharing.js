// The owner's panels on a file's or a folder's page: people with access, public links,
// activity. Each takes a "subject": what is shared (a file or a folder), and its calls.

import { api } from "./api.js";
import { icon } from "./icons.js";
import { addressField, copyButton, failed, liveList, panel, wide } from "./panels.js";
import { requestName } from "./uploaded-by.js";
import { confirmDialog, dateCell, errorLine, field, h, onSubmit, timeAgo, toast } from "./ui.js";

const EXPIRIES = [
  [3600, "1 hour"],
  [86400, "1 day"],
  [3 * 86400, "3 days"],
  [7 * 86400, "7 days"],
];

/** What each action says in a file's (or a folder's) log. */
const verbs = (noun) => ({
  shared: `shared the ${noun}`,
  unshared: `stopped sharing the ${noun}`,
  link_created: "created a public link",
  link_revoked: "revoked a public link",
  link_downloaded: `downloaded ${noun === "file" ? "it" : "a file"} through a public link`,
  downloaded: "downloaded the file",
});

function who(actor) {
  return actor?.name || actor?.email || "Someone";
}

function verb(entry, noun) {
  const words = verbs(noun)[entry.action] || entry.action.replace(/_/g, " ");
  const request = entry.actor?.requestToken;
  if (entry.action === "request_upload" && request)
    return `sent ${entry.file?.fileName ?? "a file"} through request ${requestName(request)}`;
  const token = entry.actor?.linkToken;
  if (entry.action === "link_downloaded" && token)
    return `downloaded ${noun === "file" ? "it" : "a file"} through link …${token.slice(-6)}`;
  if (entry.target?.email) return `${words} with ${entry.target.email}`;
  return words;
}

/** The panels' subject for a file. */
export const fileSubject = (file) => ({
  noun: "file",
  ready: file.status === "available",
  calls: api.sharing("files", file.fileId),
});

/** The panels' subject for a folder: whoever gets it gets what is below it. */
export const folderSubject = (folder) => ({
  noun: "folder",
  ready: true,
  calls: api.sharing("folders", folder.folderId),
});

function unshareButton(subject, share, onRemoved) {
  return h(
    "button",
    {
      type: "button",
      class: "btn btn-ghost btn-small",
      "aria-label": share.pending
        ? `Cancel the invitation of ${share.email}`
        : `Stop sharing with ${share.email}`,
      onclick: async (event) => {
        event.currentTarget.disabled = true;
        try {
          await subject.calls.unshare(share);
          const done = share.pending
            ? `The invitation of ${share.email} is cancelled.`
            : `${share.email} no longer has access.`;
          toast(done, "success");
          await onRemoved();
        } catch (failure) {
          toast(failure.message, "error");
        }
      },
    },
    "Remove",
  );
}

/** One person with access; an invitation to an address without an account yet is "pending". */
function personItem(subject, share, onRemoved) {
  const invited = h("span", { class: "badge badge-invited" }, "Pending — invited");
  return h(
    "li",
    { class: "person" },
    h("span", { class: "avatar", "aria-hidden": "true" }, (share.email || "?")[0].toUpperCase()),
    h(
      "span",
      { class: "person-text" },
      h("span", { class: "person-email" }, share.email),
      h(
        "span",
        { class: "hint" },
        share.pending ? "Invited " : "Shared ",
        dateCell(share.sharedAt),
        share.pending ? " · gets access on signing up" : null,
      ),
    ),
    share.pending ? invited : null,
    unshareButton(subject, share, onRemoved),
  );
}

function shareForm(subject, error, onShared) {
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
    const share = await subject.calls.share(email.value.trim());
    if (share.pending)
      toast(`Invitation sent to ${share.email}. They get access once they sign up.`, "success");
    else toast(`Shared with ${share.email}.`, "success");
    email.value = "";
    await onShared();
  });
  return form;
}

export function peoplePanel(subject, onChange) {
  const { list, reload } = liveList("people", {
    fetchPage: (cursor) => subject.calls.shares(cursor),
    item: (share, changed) => personItem(subject, share, changed),
    empty: `Only you can see this ${subject.noun}.`,
    onChange,
  });
  const error = errorLine("share-error");
  const form = shareForm(subject, error, async () => (await reload(), onChange()));
  return panel("people-title", "People with access", form, error, list);
}

function revokeButton(subject, link, onChange) {
  return h(
    "button",
    {
      type: "button",
      class: "btn btn-ghost btn-small danger-text",
      onclick: async () => {
        const ok = await confirmDialog({
          title: "Revoke this link?",
          message: `Anyone holding it will no longer be able to open the ${subject.noun}.`,
          confirmLabel: "Revoke link",
          danger: true,
        });
        if (!ok) return;
        try {
          await subject.calls.revokeLink(link.token);
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

function linkItem(subject, link, onChange) {
  return h(
    "li",
    { class: "link", "data-token": link.token },
    addressField(link.url, "Public link address"),
    linkMeta(link),
    h("div", { class: "row" }, copyButton(link.url), revokeButton(subject, link, onChange)),
  );
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
function linkForm(subject, error, onCreated) {
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
      { type: "submit", class: "btn btn-primary", disabled: !subject.ready },
      icon("link"),
      "Create link",
    ),
  );
  onSubmit(form, error, async () => {
    const body = { expiresIn: Number(expires.value) };
    if (password.value) body.password = password.value;
    if (limit.value) body.maxDownloads = Number(limit.value);
    const link = await subject.calls.createLink(body);
    password.value = "";
    limit.value = "";
    await onCreated(link);
  });
  return form;
}

const LINK_LEADS = {
  file: "Anyone with the link can download the file, no account needed.",
  folder: "Anyone with the link can browse the folder and download its files, no account needed.",
};

export function linksPanel(subject, onChange) {
  const { list, reload } = liveList("links", {
    fetchPage: (cursor) => subject.calls.links(cursor),
    item: (link, changed) => linkItem(subject, link, changed),
    empty: "No public links yet.",
    onChange,
  });
  const error = errorLine("link-error");
  const form = linkForm(subject, error, async (link) => {
    await reload();
    onChange();
    toast("Link created. Copy it and send it to anyone.", "success");
    list.querySelector(`[data-token="${CSS.escape(link.token)}"] .link-url`)?.focus();
  });
  const note = subject.ready
    ? null
    : h("p", { class: "hint" }, "Links can be created once the upload is available.");
  return panel(
    "links-title",
    "Public links",
    h("p", { class: "hint" }, LINK_LEADS[subject.noun]),
    note,
    form,
    error,
    list,
  );
}

function activityItem(entry, noun) {
  return h(
    "li",
    { class: `event event-${entry.action}` },
    h("span", { class: "event-dot", "aria-hidden": "true" }),
    h("p", {}, h("strong", {}, who(entry.actor)), ` ${verb(entry, noun)}`),
    h("p", { class: "hint" }, dateCell(entry.at), entry.ip ? ` · ${entry.ip}` : ""),
  );
}

export function activityPanel(subject) {
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
    const page = await subject.calls.activity(cursor);
    list.append(...page.items.map((entry) => activityItem(entry, subject.noun)));
    const empty = `Nothing has happened to this ${subject.noun} yet.`;
    if (!list.children.length) list.append(h("li", { class: "hint empty-line" }, empty));
    cursor = page.nextCursor;
    more.hidden = !cursor;
  };
  more.addEventListener("click", () => load(false).catch((e) => toast(e.message, "error")));
  const node = panel("activity-title", "Activity", list, more);
  node.reload = () => load(true).catch(failed(list));
  node.reload();
  return node;
}
