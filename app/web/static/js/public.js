// The public link page (/s/{token}) of a file link: for people without an account.

import { api } from "./api.js";
import { icon, iconFor } from "./icons.js";
import { folderLinkView } from "./public-folder.js";
import { EXPIRED, expiry, foot, gone, linkCall } from "./public-parts.js";
import {
  errorLine,
  field,
  formatBytes,
  h,
  mount,
  onSubmit,
  setTitle,
  startDownload,
} from "./ui.js";

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
  const expired = () => gone(main, EXPIRED);
  const download = () => api.linkDownload(token, password?.value);
  onSubmit(form, error, async () => {
    done.hidden = true;
    const answer = await linkCall(download, password, expired);
    if (!answer) return;
    show(answer);
    startDownload(answer.downloadUrl);
    done.textContent = "Your download has started.";
    done.hidden = false;
  });
  return { form, first: password || form.querySelector("button") };
}

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
  if (info.type === "folder") return folderLinkView(main, token, info);
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
