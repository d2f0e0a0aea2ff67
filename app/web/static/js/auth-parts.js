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

export function codeInput(numeric = false) {
  return input({
    type: "text",
    id: "code",
    name: "code",
    inputmode: numeric ? "numeric" : null,
    autocomplete: "one-time-code",
    required: true,
  });
}

export const submitButton = (label, block = true) =>
  h(
    "button",
    { class: block ? "btn btn-primary btn-block" : "btn btn-primary", type: "submit" },
    label,
  );

export const authLinks = (...links) => h("p", { class: "auth-links" }, ...links);
export const backToLogIn = () => authLinks(h("a", { href: "#/login" }, "Back to log in"));
