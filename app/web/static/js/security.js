// The account page's Security panel: two-step verification with an authenticator app
// (API.md v2 > Account security: POST /auth/mfa/setup, /auth/mfa/enable, DELETE /auth/mfa).

import { api } from "./api.js";
import { codeInput, notACode, sendCode } from "./auth-parts.js";
import { copyButton } from "./panels.js";
import { qrCode } from "./qr.js";
import { errorLine, field, h, mount, onSubmit, showError, toast } from "./ui.js";

const ABOUT =
  "Two-step verification asks for a code from an authenticator app (such as Google " +
  "Authenticator, Microsoft Authenticator, 1Password or Aegis) each time you log in, " +
  "so a stolen password is not enough to get in.";
const WRONG_CODE =
  "That code is not right, or it was used already. Check that the app's entry is Sharebox " +
  "and enter the code it shows now (a new one comes every 30 seconds).";

/** A 6-digit code field, its form and error line; `send(code)` runs once it looks like one. */
function codeForm({ id, submit, danger = false, send, extra = [] }) {
  const code = codeInput(true, id);
  const error = errorLine(`${id}-error`);
  const form = h(
    "form",
    { class: "inline-form code-form" },
    field("6-digit code", code),
    h(
      "div",
      { class: "row" },
      h(
        "button",
        { type: "submit", class: `btn ${danger ? "btn-danger" : "btn-primary"}` },
        submit,
      ),
      ...extra,
    ),
  );
  onSubmit(
    form,
    error,
    () => sendCode(code, send, WRONG_CODE),
    () => notACode(code),
  );
  return { form, error, code };
}

/** The secret in groups of four, as authenticator apps show and take it. */
const grouped = (secret) => secret.replace(/(.{4})(?=.)/g, "$1 ");

function status(on) {
  return h(
    "p",
    { class: "mfa-status" },
    "Two-step verification: ",
    h("span", { class: `badge ${on ? "badge-on" : "badge-off"}` }, on ? "On" : "Off"),
  );
}

/** The panel's body for each state; `show(state)` moves between them. */
function offState(show) {
  const start = h("button", { type: "button", class: "btn btn-primary" }, "Turn on");
  const error = errorLine("mfa-setup-error");
  start.addEventListener("click", async () => {
    start.disabled = true;
    try {
      show("setup", await api.mfaSetup());
    } catch (failure) {
      showError(error, failure);
      start.disabled = false;
    }
  });
  return [status(false), h("p", { class: "hint" }, ABOUT), error, start];
}

function setupState(show, { secret, otpauthUri }, onChange) {
  const cancel = h(
    "button",
    { type: "button", class: "btn btn-ghost", onclick: () => show("off") },
    "Cancel",
  );
  const { form, error, code } = codeForm({
    id: "mfa-enable-code",
    submit: "Turn on",
    extra: [cancel],
    send: async (value) => {
      await api.mfaEnable(value);
      toast("Two-step verification is on. Log-ins will ask for a code.", "success");
      onChange();
      show("on");
    },
  });
  setTimeout(() => code.focus());
  return [
    status(false),
    h(
      "ol",
      { class: "mfa-steps" },
      h(
        "li",
        {},
        h("p", {}, "1. Scan this QR code with your authenticator app."),
        h(
          "div",
          { class: "qr-frame" },
          qrCode(otpauthUri, "QR code to add Sharebox to an authenticator app"),
        ),
      ),
      h(
        "li",
        {},
        h(
          "p",
          { id: "mfa-secret-label" },
          "2. Or, if you cannot scan it, type this key into the app:",
        ),
        h(
          "div",
          { class: "secret-row" },
          h(
            "code",
            { class: "mfa-secret", "aria-labelledby": "mfa-secret-label" },
            grouped(secret),
          ),
          copyButton(secret, "Copy the key", "Key copied to the clipboard."),
        ),
      ),
      h("li", {}, h("p", {}, "3. Enter the code the app now shows for Sharebox."), form, error),
    ),
  ];
}

function onState(show, onChange) {
  const stop = h("button", { type: "button", class: "btn btn-secondary" }, "Turn off");
  const box = h("div", { class: "mfa-off-form" }, stop);
  stop.addEventListener("click", () => {
    const cancel = h(
      "button",
      { type: "button", class: "btn btn-ghost", onclick: () => show("on") },
      "Cancel",
    );
    const { form, error, code } = codeForm({
      id: "mfa-disable-code",
      submit: "Turn off",
      danger: true,
      extra: [cancel],
      send: async (value) => {
        await api.mfaDisable(value);
        toast("Two-step verification is off. Log-ins ask only for your password.", "success");
        onChange();
        show("off");
      },
    });
    mount(box, h("p", {}, "To turn it off, enter the code your app shows now."), form, error);
    code.focus();
  });
  return [
    status(true),
    h(
      "p",
      { class: "hint" },
      "Each log-in asks for a code from your authenticator app after your password.",
    ),
    box,
  ];
}

/** `onChange()`: two-step verification was turned on or off. */
export function securityPanel(me, onChange) {
  const body = h("div", { class: "mfa" });
  // A state reached by a button takes the focus to its own first button (the old one is gone).
  const show = (state, setup) => {
    if (state === "setup") mount(body, setupState(show, setup, onChange));
    else if (state === "on") mount(body, onState(show, onChange));
    else mount(body, offState(show));
    if (state !== "setup") body.querySelector("button")?.focus();
  };
  mount(body, me.mfa ? onState(show, onChange) : offState(show));
  return h(
    "section",
    { class: "card panel account-panel security-panel", "aria-labelledby": "security-title" },
    h("h2", { id: "security-title" }, "Security"),
    body,
  );
}
