// Account screens: sign up, confirm code, forgot and reset password (log in: login.js).

import { api } from "./api.js";
import {
  authLayout,
  authLinks,
  backToLogIn,
  codeInput,
  emailInput,
  go,
  input,
  passwordInput,
  submitButton,
} from "./auth-parts.js";
import { icon } from "./icons.js";
import { busy, errorLine, field, h, onSubmit, toast } from "./ui.js";

const RULES = [
  [(p) => p.length >= 8, "At least 8 characters"],
  [(p) => /[A-Z]/.test(p), "An upper-case letter"],
  [(p) => /[a-z]/.test(p), "A lower-case letter"],
  [(p) => /[0-9]/.test(p), "A digit"],
];

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

/** A password that must meet RULES: the message that stops the submit, or null. */
function unmetRules(password, message, focus = false) {
  return () => {
    if (password.valid()) return null;
    if (focus) password.control.focus();
    return message;
  };
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
