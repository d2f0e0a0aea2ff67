// The account screens' building blocks: the two-column layout, inputs, notes and links.

import { icon } from "./icons.js";
import { h, mount, setTitle } from "./ui.js";

export function authLayout(main, title, lead, ...content) {
  setTitle(title);
  mount(
    main,
    h(
      "div",
      { class: "auth" },
      h(
        "section",
        { class: "auth-aside", "aria-hidden": "true" },
        h("p", { class: "auth-kicker" }, "Sharebox"),
        h("p", { class: "auth-pitch" }, "Your files, shared the simple way."),
        h(
          "ul",
          { class: "auth-points" },
          h("li", {}, icon("upload"), "Drag, drop and watch every upload land"),
          h("li", {}, icon("users"), "Share with teammates by email"),
          h("li", {}, icon("lock"), "Public links with expiry, password and limits"),
        ),
      ),
      h(
        "section",
        { class: "auth-card card" },
        h("h1", {}, title),
        lead ? h("p", { class: "lead" }, lead) : null,
        ...content,
      ),
    ),
  );
}

export const input = (attrs) => h("input", { class: "input", ...attrs });

export function passwordInput(attrs) {
  const control = input({ type: "password", required: true, ...attrs });
  const toggle = h(
    "button",
    {
      type: "button",
      class: "btn-icon reveal",
      "aria-label": "Show password",
      "aria-pressed": "false",
    },
    icon("eye"),
  );
  toggle.addEventListener("click", () => {
    const show = control.type === "password";
    control.type = show ? "text" : "password";
    toggle.setAttribute("aria-pressed", String(show));
    toggle.setAttribute("aria-label", show ? "Hide password" : "Show password");
  });
  return { control, node: h("div", { class: "password" }, control, toggle) };
}

export const params = () => new URLSearchParams(location.hash.split("?")[1] || "");
export const go = (route, query) => {
  location.hash = `#/${route}${query ? `?${new URLSearchParams(query)}` : ""}`;
};

export function note(text, kind = "success") {
  return text ? h("p", { class: `note note-${kind}`, role: "status" }, text) : null;
}

/** The email field every account screen starts with, filled from the link when it carries one. */
export function emailInput(autocomplete = "email", value = params().get("email") || "") {
  return input({ type: "email", id: "email", name: "email", autocomplete, required: true, value });
}

export function codeInput(numeric = false, id = "code") {
  return input({
    type: "text",
    id,
    name: id,
    inputmode: numeric ? "numeric" : null,
    autocomplete: "one-time-code",
    required: true,
  });
}

/** What an authenticator code field holds, without the spaces of a pasted "123 456". */
const digits = (field) => field.value.replace(/[\s-]/g, "");

/** The message that stops a form whose `field` does not hold 6 digits, or null. */
export const notACode = (field) =>
  /^\d{6}$/.test(digits(field)) ? null : "Enter the 6 digits your authenticator app shows.";

/** `send(code)` with the field's code; a refused code (`invalid_code`) empties the field and
 * fails with `wrong`, the words the form shows. */
export async function sendCode(field, send, wrong) {
  try {
    return await send(digits(field));
  } catch (failure) {
    if (failure.code !== "invalid_code") throw failure;
    field.value = "";
    setTimeout(() => field.focus()); // once the form is enabled again
    throw new Error(wrong);
  }
}

export const submitButton = (label, block = true) =>
  h(
    "button",
    { class: block ? "btn btn-primary btn-block" : "btn btn-primary", type: "submit" },
    label,
  );

export const authLinks = (...links) => h("p", { class: "auth-links" }, ...links);
export const backToLogIn = () => authLinks(h("a", { href: "#/login" }, "Back to log in"));
