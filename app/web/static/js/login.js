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
  params,
  passwordInput,
  submitButton,
} from "./auth-parts.js";
import { errorLine, field, h, onSubmit } from "./ui.js";

const WRONG_CODE =
  "That code is not right. Codes change every 30 seconds: enter the one your app shows now.";
const TIME_UP = "The time to enter a code ran out. Log in again to get a new one.";
const NOT_A_CODE = "Enter the 6 digits your authenticator app shows.";

function logInMessage(q) {
  if (q.get("reset")) return "Your password was changed. Log in with the new one.";
  if (q.get("confirmed")) return "Your account is confirmed. Log in to start.";
  return "";
}

/** The digits of a typed or pasted code ("123 456" is "123456"). */
const digits = (value) => value.replace(/[\s-]/g, "");

/** A refusal of the code step that is not about the code: the sign-in must start again. */
const startAgain = (failure) =>
  (failure.status === 400 || failure.status === 401) &&
  !["invalid_code", "validation_error"].includes(failure.code);

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
  const check = () => (/^\d{6}$/.test(digits(code.value)) ? null : NOT_A_CODE);
  onSubmit(
    form,
    error,
    async () => {
      try {
        await api.logInWithCode(address, challenge.session, digits(code.value));
      } catch (failure) {
        if (startAgain(failure)) return loginView(main, { email: address, message: TIME_UP });
        if (failure.code !== "invalid_code") throw failure;
        code.value = "";
        setTimeout(() => code.focus()); // once the form is enabled again
        throw new Error(WRONG_CODE);
      }
      location.hash = "#/files";
    },
    check,
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
