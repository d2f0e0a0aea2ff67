// The public link page (/s/{token}): for people without an account.

import { api } from "./api.js";
import { icon, iconFor } from "./icons.js";
import {
  errorLine,
  field,
  formatBytes,
  formatDate,
  h,
  mount,
  onSubmit,
  setTitle,
  startDownload,
  timeAgo,
} from "./ui.js";

function gone(main, message) {
  setTitle("Link unavailable");
  mount(
    main,
    h(
      "div",
      { class: "public card" },
      h("span", { class: "public-icon muted" }, icon("link", "icon")),
      h("h1", { tabindex: "-1" }, "This link is not available"),
      h("p", { class: "lead" }, message),
      h("p", { class: "hint" }, "Ask the person who sent it for a new one."),
    ),
  );
}

/** The title, size line and icon; a password link names its file only once the password was right. */
function fileHeader(info) {
  const title = h("h1", { class: "file-title", tabindex: "-1" });
  const meta = h("p", { class: "public-meta" });
  const badge = h("span", { class: "public-icon" });
  const show = (file) => {
    setTitle(file.fileName);
    title.textContent = file.fileName;
    meta.replaceChildren(formatBytes(file.size), " · ", file.contentType);
    badge.replaceChildren(icon(iconFor(file.contentType), "icon"));
  };
  if (info.passwordProtected) {
    setTitle("Password-protected file");
    title.textContent = "A password-protected file";
    meta.textContent = "Enter the password to see its name and download it.";
    badge.replaceChildren(icon("lock", "icon"));
  } else show(info);
  return { nodes: [badge, title, meta], show };
}

/** The API's refusals of a link download, in words for someone without an account. */
async function linkDownload(token, password, onGone) {
  try {
    return await api.linkDownload(token, password?.value);
  } catch (failure) {
    if (failure.status === 404) {
      onGone();
      return null;
    }
    if (failure.code === "invalid_password") {
      password?.select();
      throw new Error("That password is not right. Check it and try again.");
    }
    if (failure.code === "too_many_attempts")
      throw new Error("Too many password attempts. Wait a few minutes, then try again.");
    throw failure;
  }
}

function downloadForm(main, token, info, show) {
  const error = errorLine("link-error");
  const done = h("p", { class: "note note-success", role: "status", hidden: true });
  const password = info.passwordProtected
    ? h("input", {
        class: "input",
        type: "password",
        id: "link-password",
        required: true,
        autocomplete: "off",
      })
    : null;
  const form = h(
    "form",
    { class: "form public-form" },
    password
      ? field("Password", password, "The sender protected this file with a password.")
      : null,
    error,
    done,
    h(
      "button",
      { type: "submit", class: "btn btn-primary btn-block" },
      icon("download"),
      "Download",
    ),
  );
  const expired = () => gone(main, "It expired, reached its download limit or was revoked.");
  onSubmit(form, error, async () => {
    done.hidden = true;
    const answer = await linkDownload(token, password, expired);
    if (!answer) return;
    show(answer);
    startDownload(answer.downloadUrl);
    done.textContent = "Your download has started.";
    done.hidden = false;
  });
  return { form, first: password || form.querySelector("button") };
}

function expiry(info) {
  return h(
    "p",
    { class: "hint" },
    icon("clock"),
    " Link expires ",
    h(
      "time",
      { datetime: info.expiresAt, title: formatDate(info.expiresAt) },
      timeAgo(info.expiresAt),
    ),
  );
}

const foot = () =>
  h(
    "p",
    { class: "public-foot" },
    "Sent with Sharebox. ",
    h("a", { href: "./#/signup" }, "Get your own account"),
  );

export async function publicView(main, token) {
  mount(main, h("p", { class: "loading", role: "status" }, "Loading…"));
  let info;
  try {
    info = await api.linkInfo(token);
  } catch (error) {
    const expired = "It may have expired, reached its download limit or been revoked.";
    gone(main, error.status === 404 ? expired : error.message);
    return;
  }
  const header = fileHeader(info);
  const { form, first } = downloadForm(main, token, info, header.show);
  const kicker = h("p", { class: "public-kicker" }, "Someone shared a file with you");
  mount(
    main,
    h("div", { class: "public card" }, kicker, ...header.nodes, expiry(info), form),
    foot(),
  );
  first.focus();
}
