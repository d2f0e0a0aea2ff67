// The public page of an upload request (/r/{token}): whoever holds the link sends files into
// the owner's folder, each with its own progress bar. They see nothing of the folder, and
// nothing of what they sent but its name on this page.

import { api } from "./api.js";
import { icon } from "./icons.js";
import { foot, gone } from "./public-parts.js";
import { chosenFiles, tooLargeText } from "./request-files.js";
import { postFile } from "./transfer.js";
import {
  errorLine,
  field,
  formatBytes,
  formatDate,
  h,
  mount,
  onSubmit,
  setTitle,
  timeAgo,
} from "./ui.js";

// Files whose bytes travel at once; their upload tickets are asked for one after another, so a
// wrong password costs one guess, not one per file.
const TRANSFERS_AT_ONCE = 2;
const CLOSED = {
  pageTitle: "Request closed",
  heading: "This request is closed",
  icon: "upload",
};
const CLOSED_WHY = "It may have expired or been closed by the person who asked.";

const TOO_MANY = {
  stop: "Too many tries in a short time. Wait a few minutes, then press Send again.",
  line: "Not sent: too many tries. Wait a few minutes.",
};
const REFUSALS = {
  invalid_password: () => ({
    stop: "That password is not right. Check it and press Send again.",
    line: "Not sent: the password is not right.",
    retype: true,
  }),
  limit_reached: () => ({
    stop: "This request has received as many files as it takes. Ask for a new one.",
    line: "Not sent: the request takes no more files.",
  }),
  quota_exceeded: () => ({
    line: "Not sent: there is no room left for it. Let the person who asked know.",
  }),
  file_too_large: (info) => ({ line: tooLargeText(info) }),
};

/** Why the API refused a file, in plain words (`line`, for the file's line); `stop`: the files
 * after it would fare no better, and why (said under the form); `retype`: a wrong password. */
function refusal(failure, info) {
  if (failure.status === 429) return TOO_MANY;
  if (failure.status === 404) return { stop: `This request has closed. ${CLOSED_WHY}` };
  const known = REFUSALS[failure.code];
  if (known) return known(info);
  if (failure.status === 422) return { stop: failure.message };
  return { line: `Not sent: ${failure.message}` };
}

/** The request's limits, as short lines ("Up to 5 files", "Each at most 10 MB", "Closes …"). */
function limits(info) {
  const lines = [];
  const most = info.maxFiles;
  if (most) lines.push([icon("file"), `Up to ${most} file${most === 1 ? "" : "s"}`]);
  if (info.maxFileBytes)
    lines.push([icon("upload"), `Each file at most ${formatBytes(info.maxFileBytes)}`]);
  lines.push([
    icon("clock"),
    "Closes ",
    h(
      "time",
      { datetime: info.expiresAt, title: formatDate(info.expiresAt) },
      timeAgo(info.expiresAt),
    ),
  ]);
  if (info.passwordProtected) lines.push([icon("lock"), "Needs a password"]);
  return h(
    "ul",
    { class: "request-limits", "aria-label": "What this request takes" },
    lines.map((line) => h("li", {}, ...line)),
  );
}

function header(info) {
  const asker = info.ownerName || "Someone";
  return [
    h("p", { class: "public-kicker" }, "File request"),
    h("span", { class: "public-icon" }, icon("upload", "icon")),
    h("h1", { class: "file-title", tabindex: "-1" }, info.title),
    h("p", { class: "public-meta" }, `${asker} asks you to send files.`),
    info.message ? h("p", { class: "request-message" }, info.message) : null,
    limits(info),
  ];
}

function textInput(id, type, autocomplete, attrs = {}) {
  return h("input", { class: "input", id, type, autocomplete, ...attrs });
}

/** Ask for each file's ticket in turn and send its bytes; answers the refusal that stopped it,
 * if one did (a wrong password, the request full or closed, too many tries). */
async function sendAll(token, info, todo, sender, announce) {
  const running = new Set();
  for (const item of todo) {
    item.show("starting", "Starting…");
    let ticket;
    try {
      ticket = await api.requestUpload(token, { ...sender(), ...declared(item.file) });
    } catch (failure) {
      const refused = refusal(failure, info);
      item.show("failed", refused.line || "Not sent.");
      announce(`${item.file.name}: ${refused.line || refused.stop}`);
      if (!refused.stop) continue;
      for (const rest of todo.filter((other) => other.phase === "ready"))
        rest.show("ready", `${formatBytes(rest.file.size)} · Not sent yet`);
      await Promise.all(running);
      return refused;
    }
    const size = formatBytes(item.file.size);
    item.show("sending", `0 of ${size}`);
    const transfer = postFile(item, ticket.upload, item.file, (sent) =>
      item.show("sending", `${formatBytes(sent)} of ${size}`, sent),
    ).then(
      () => (item.show("sent", `${size} · Sent`), announce(`${item.file.name} sent.`)),
      (failure) => (item.show("failed", failure.message), announce(`${item.file.name} failed.`)),
    );
    running.add(transfer);
    transfer.finally(() => running.delete(transfer));
    if (running.size >= TRANSFERS_AT_ONCE) await Promise.race(running);
  }
  await Promise.all(running);
  return null;
}

const declared = (file) => ({
  fileName: file.name,
  contentType: file.type || "application/octet-stream",
  size: file.size,
});

function sendForm(token, info) {
  const live = h("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
  const announce = (words) => (live.textContent = words);
  const password = info.passwordProtected
    ? textInput("request-password", "password", "off", { required: true })
    : null;
  const name = textInput("request-name", "text", "name", { maxlength: "100" });
  const email = textInput("request-email", "email", "email", { maxlength: "254" });
  const chosen = chosenFiles(info, announce);
  const error = errorLine("request-error");
  const done = h("p", { class: "note note-success", hidden: true, tabindex: "-1" });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block" }, "Send files");
  const form = h(
    "form",
    { class: "form public-form request-form" },
    password
      ? field("Password", password, "The person asking protected this request with a password.")
      : null,
    h(
      "div",
      { class: "request-who" },
      field("Your name (optional)", name),
      field("Your email (optional)", email),
    ),
    ...chosen.nodes,
    error,
    done,
    submit,
    live,
  );
  const sender = () => {
    const body = {};
    if (password) body.password = password.value;
    if (name.value.trim()) body.uploaderName = name.value.trim();
    if (email.value.trim()) body.uploaderEmail = email.value.trim();
    return body;
  };
  const todo = () => chosen.files.filter((f) => f.phase === "ready" || f.phase === "failed");
  const check = () => {
    if (!todo().length) return "Choose at least one file to send.";
    if (password && !password.value) return "Enter the password first.";
    return null;
  };
  let sending = false;
  window.addEventListener("beforeunload", (event) => sending && event.preventDefault());
  onSubmit(
    form,
    error,
    async () => {
      done.hidden = true;
      sending = true;
      const batch = todo();
      announce(`Sending ${batch.length} file${batch.length === 1 ? "" : "s"}…`);
      const stopped = await sendAll(token, info, batch, sender, announce).finally(() => {
        sending = false;
      });
      const sent = batch.filter((f) => f.phase === "sent").length;
      if (sent) {
        const asker = info.ownerName || "the person who asked";
        const files = `${sent} file${sent === 1 ? "" : "s"}`;
        done.textContent = `Sent: ${files} went to ${asker}. You can close this page or send more.`;
        done.hidden = false;
      }
      if (stopped) {
        if (stopped.retype) setTimeout(() => password?.select());
        throw new Error(stopped.stop);
      }
      if (sent) setTimeout(() => done.focus());
    },
    check,
  );
  return { form, first: password || name };
}

export async function requestPageView(main, token) {
  mount(main, h("p", { class: "loading", role: "status" }, "Loading…"));
  let info;
  try {
    info = await api.requestInfo(token);
  } catch (failure) {
    gone(main, failure.status === 404 ? CLOSED_WHY : failure.message, CLOSED);
    return;
  }
  setTitle(info.title);
  const { form, first } = sendForm(token, info);
  mount(main, h("div", { class: "public card request-page" }, ...header(info), form), foot());
  first.focus();
}
