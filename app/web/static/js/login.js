// Log in: email and password, then, for an account with two-step verification, the code its
// authenticator app shows (API.md v2 > Account security: POST /auth/login, /auth/login/mfa).

import { api } from "./api.js";
import {
  authLayout,
  authLinks,
  codeInput,
  emailInput,
  go,
  note,
  notACode,
  params,
  passwordInput,
  sendCode,
  submitButton,
} from "./auth-parts.js";
import { errorLine, field, h, onSubmit } from "./ui.js";

const WRONG_CODE =
  "That code is not right, or it was used already. Enter the code your app shows now (a new " +
  "one comes every 30 seconds).";
// The code step's own refusals (401): it must start again from the password.
const START_AGAIN = {
  session_expired: "The time to enter a code ran out. Log in again to get a new one.",
  invalid_session: "That log-in can no longer take a code. Log in again to get a new one.",
};

function logInMessage(q) {
  if (q.get("reset")) return "Your password was changed. Log in with the new one.";
  if (q.get("confirmed")) return "Your account is confirmed. Log in to start.";
  return "";
}

function codeForm(main, address, challenge) {
  const code = codeInput(true);
  const error = errorLine("login-code-error");
  const form = h(
    "form",
    { class: "form" },
    field(
      "6-digit code",
      code,
      "Open your authenticator app and enter the code it shows for Sharebox.",
    ),
    error,
    submitButton("Verify and log in"),
  );
  onSubmit(
    form,
    error,
    async () => {
      try {
        const send = (value) => api.logInWithCode(address, challenge.session, value);
        await sendCode(code, send, WRONG_CODE);
      } catch (failure) {
        const message = START_AGAIN[failure.code];
        if (message) return loginView(main, { email: address, message });
        throw failure;
      }
      location.hash = "#/files";
    },
    () => notACode(code),
  );
  return { form, code };
}

/** Step two: the password was right and the account asks for a code. */
function codeStep(main, address, challenge) {
  const { form, code } = codeForm(main, address, challenge);
  const back = h(
    "button",
    { type: "button", class: "link-button", onclick: () => loginView(main, { email: address }) },
    "Log in with another account",
  );
  authLayout(
    main,
    "Two-step verification",
    `Your password is right. One more step to log in as ${address}.`,
    form,
    authLinks(back),
  );
  code.focus();
}

function loginForm(main, email, password) {
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
    const address = email.value.trim();
    let challenge;
    try {
      challenge = await api.logIn(address, password.control.value);
    } catch (failure) {
      if (failure.code === "user_not_confirmed") return go("confirm", { email: address });
      throw failure;
    }
    if (challenge) return codeStep(main, address, challenge);
    location.hash = "#/files";
  });
  return form;
}

/** `email` and `message` (a note above the form): when the code step sends one back here. */
export function loginView(main, { email: address, message } = {}) {
  const email = emailInput("username", address ?? params().get("email") ?? "");
  const password = passwordInput({
    id: "password",
    name: "password",
    autocomplete: "current-password",
  });
  authLayout(
    main,
    "Log in",
    "Welcome back. Log in to see your files.",
    message ? note(message, "info") : note(logInMessage(params())),
    loginForm(main, email, password),
    authLinks(
      h("a", { href: "#/forgot" }, "Forgot your password?"),
      h("span", {}, "New here? ", h("a", { href: "#/signup" }, "Create an account")),
    ),
  );
  (email.value ? password.control : email).focus();
}
