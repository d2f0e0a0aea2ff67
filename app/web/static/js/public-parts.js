// What the public pages (a file link's, a folder link's, an upload request's) share: the
// dead-link card, the expiry line, the footer, and the API's refusals in words for someone
// without an account.

import { icon } from "./icons.js";
import { formatDate, h, mount, setTitle, timeAgo } from "./ui.js";

const LINK = { pageTitle: "Link unavailable", heading: "This link is not available", icon: "link" };

/** The card of a link (or, with `what`, an upload request) that cannot be used. */
export function gone(main, message, what = LINK) {
  setTitle(what.pageTitle);
  mount(
    main,
    h(
      "div",
      { class: "public card" },
      h("span", { class: "public-icon muted" }, icon(what.icon, "icon")),
      h("h1", { tabindex: "-1" }, what.heading),
      h("p", { class: "lead" }, message),
      h("p", { class: "hint" }, "Ask the person who sent it for a new one."),
    ),
  );
}

export const EXPIRED = "It expired, reached its download limit or was revoked.";

/** `call()` (a download or an unlock); a link that is gone calls `onGone` and answers null. */
export async function linkCall(call, password, onGone) {
  try {
    return await call();
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

export function expiry(info) {
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

export const foot = () =>
  h(
    "p",
    { class: "public-foot" },
    "Sent with Sharebox. ",
    h("a", { href: "./#/signup" }, "Get your own account"),
  );
