// Log in with email and password.

import { api } from "./api.js";
import {
  authLayout,
  authLinks,
  emailInput,
  go,
  note,
  params,
  passwordInput,
  submitButton,
} from "./auth-parts.js";
import { errorLine, field, h, onSubmit } from "./ui.js";

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
