// Account screens: sign up, confirm code, log in, forgot and reset password.

import { api } from "./api.js";
import { icon } from "./icons.js";
import { busy, errorLine, field, h, mount, onSubmit, setTitle, toast } from "./ui.js";

const RULES = [
  [(p) => p.length >= 8, "At least 8 characters"],
  [(p) => /[A-Z]/.test(p), "An upper-case letter"],
  [(p) => /[a-z]/.test(p), "A lower-case letter"],
  [(p) => /[0-9]/.test(p), "A digit"],
];

function authLayout(main, title, lead, ...content) {
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

const input = (attrs) => h("input", { class: "input", ...attrs });

function passwordInput(attrs) {
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

function passwordField(label, id, autocomplete) {
  const { control, node } = passwordInput({ id, name: id, autocomplete });
  const items = RULES.map(([, text]) =>
    h("li", {}, icon("check", "icon rule-mark"), text, h("span", { class: "visually-hidden" }, "")),
  );
  const rules = h(
    "ul",
    { class: "rules", id: `${id}-rules`, "aria-label": "Password rules" },
    items,
  );
  control.setAttribute("aria-describedby", rules.id);
  const update = () => {
    RULES.forEach(([test], i) => {
      const ok = test(control.value);
      items[i].classList.toggle("ok", ok);
      items[i].lastChild.textContent = ok ? " (met)" : " (not met yet)";
    });
  };
  control.addEventListener("input", update);
  update();
  const wrapper = h("div", { class: "field" }, h("label", { for: id }, label), node, rules);
  const valid = () => RULES.every(([test]) => test(control.value));
  return { control, node: wrapper, valid };
}

const params = () => new URLSearchParams(location.hash.split("?")[1] || "");
const go = (route, query) => {
  location.hash = `#/${route}${query ? `?${new URLSearchParams(query)}` : ""}`;
};

function note(text, kind = "success") {
  return text ? h("p", { class: `note note-${kind}`, role: "status" }, text) : null;
}

/** The email field every account screen starts with, filled from the link when it carries one. */
function emailInput(autocomplete = "email", value = params().get("email") || "") {
  return input({ type: "email", id: "email", name: "email", autocomplete, required: true, value });
}

function codeInput(numeric = false) {
  return input({
    type: "text",
    id: "code",
    name: "code",
    inputmode: numeric ? "numeric" : null,
    autocomplete: "one-time-code",
    required: true,
  });
}

const submitButton = (label, block = true) =>
  h(
    "button",
    { class: block ? "btn btn-primary btn-block" : "btn btn-primary", type: "submit" },
    label,
  );

const authLinks = (...links) => h("p", { class: "auth-links" }, ...links);
const backToLogIn = () => authLinks(h("a", { href: "#/login" }, "Back to log in"));

/** A password that must meet RULES: the message that stops the submit, or null. */
function unmetRules(password, message, focus = false) {
  return () => {
    if (password.valid()) return null;
    if (focus) password.control.focus();
    return message;
  };
}

function logInMessage(q) {
  if (q.get("reset")) return "Your password was changed. Log in with the new one.";
  if (q.get("confirmed")) return "Your account is confirmed. Log in to start.";
  return "";
}

function loginForm(email, password) {
  const error = errorLine("login-error");
  const form = h(
    "form",
    { class: "form", novalidate: false },
    field("Email", email),
    h("div", { class: "field" }, h("label", { for: "password" }, "Password"), password.node),
    error,
    submitButton("Log in"),
  );
  onSubmit(form, error, async () => {
    try {
      await api.logIn(email.value.trim(), password.control.value);
    } catch (failure) {
      if (failure.code === "user_not_confirmed")
        return go("confirm", { email: email.value.trim() });
      throw failure;
    }
    location.hash = "#/files";
  });
  return form;
}

export function loginView(main) {
  const email = emailInput("username");
  const password = passwordInput({
    id: "password",
    name: "password",
    autocomplete: "current-password",
  });
  authLayout(
    main,
    "Log in",
    "Welcome back. Log in to see your files.",
    note(logInMessage(params())),
    loginForm(email, password),
    authLinks(
      h("a", { href: "#/forgot" }, "Forgot your password?"),
      h("span", {}, "New here? ", h("a", { href: "#/signup" }, "Create an account")),
    ),
  );
  (email.value ? password.control : email).focus();
}

function signupForm() {
  const name = input({
    type: "text",
    id: "name",
    name: "name",
    autocomplete: "name",
    maxlength: "256",
  });
  const email = emailInput("email", null);
  const password = passwordField("Password", "password", "new-password");
  const error = errorLine("signup-error");
  const form = h(
    "form",
    { class: "form" },
    field("Name (optional)", name),
    field("Email", email),
    password.node,
    error,
    submitButton("Create account"),
  );
  const rules = "The password does not meet every rule listed under it yet.";
  onSubmit(
    form,
    error,
    async () => {
      const address = email.value.trim();
      const body = { email: address, password: password.control.value };
      if (name.value.trim()) body.name = name.value.trim();
      const created = await api.signUp(body);
      if (!created.confirmed) return go("confirm", { email: address });
      await api.logIn(address, password.control.value);
      toast("Welcome to Sharebox! Drop a file to get started.", "success");
      location.hash = "#/files";
    },
    unmetRules(password, rules, true),
  );
  return { form, email };
}

export function signupView(main) {
  const { form, email } = signupForm();
  authLayout(
    main,
    "Create your account",
    "Free, and ready in a few seconds.",
    form,
    authLinks(h("span", {}, "Already have an account? ", h("a", { href: "#/login" }, "Log in"))),
  );
  email.focus();
}

export function confirmView(main) {
  const email = emailInput();
  const code = codeInput(true);
  const error = errorLine("confirm-error");
  const resend = h("button", { type: "button", class: "btn btn-ghost" }, "Send a new code");
  const form = h(
    "form",
    { class: "form" },
    field("Email", email),
    field("Confirmation code", code, "Check your inbox for the code we emailed you."),
    error,
    h("div", { class: "row" }, submitButton("Confirm account", false), resend),
  );
  onSubmit(form, error, async () => {
    await api.confirm(email.value.trim(), code.value.trim());
    go("login", { email: email.value.trim(), confirmed: 1 });
  });
  resend.addEventListener("click", () =>
    busy(form, error, async () => {
      await api.resendCode(email.value.trim());
      toast("A new code is on its way.", "success");
    }),
  );
  authLayout(main, "Confirm your email", "One last step before you can log in.", form);
  (email.value ? code : email).focus();
}

export function forgotView(main) {
  const email = emailInput();
  const error = errorLine("forgot-error");
  const form = h(
    "form",
    { class: "form" },
    field("Email", email),
    error,
    submitButton("Email me a reset code"),
  );
  onSubmit(form, error, async () => {
    await api.forgotPassword(email.value.trim());
    go("reset", { email: email.value.trim() });
  });
  const lead = "We'll email you a code to choose a new password.";
  authLayout(main, "Reset your password", lead, form, backToLogIn());
  email.focus();
}

export function resetView(main) {
  const email = emailInput();
  const code = codeInput();
  const password = passwordField("New password", "new-password", "new-password");
  const error = errorLine("reset-error");
  const form = h(
    "form",
    { class: "form" },
    field("Email", email),
    field("Reset code", code, "If an account exists for this email, a code was sent to it."),
    password.node,
    error,
    submitButton("Set new password"),
  );
  const rules = "The new password does not meet every rule listed under it yet.";
  onSubmit(
    form,
    error,
    async () => {
      await api.resetPassword(email.value.trim(), code.value.trim(), password.control.value);
      go("login", { email: email.value.trim(), reset: 1 });
    },
    unmetRules(password, rules),
  );
  authLayout(main, "Choose a new password", null, form, backToLogIn());
  (email.value ? code : email).focus();
}
