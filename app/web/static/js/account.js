// The account page (#/account): the name others see, which emails Sharebox sends
// (API.md v2 > notifications: GET/PATCH /users/me; each switch saves as it is flipped), and
// two-step verification (security.js).

import { api } from "./api.js";
import { pageHead } from "./folder-view.js";
import { securityPanel } from "./security.js";
import { errorLine, field, h, mount, onSubmit, setTitle, showError, toast } from "./ui.js";

const NOTIFICATIONS = [
  ["shares", "Something is shared with me", "A file or folder someone shares with you."],
  [
    "requests",
    "Files arrive through my requests",
    "At most one email per request every 10 minutes.",
  ],
  ["rejections", "An upload of mine is rejected", "When a file fails its checks after uploading."],
];

const NAME_HINT = "People you ask for files see it on the request's page.";

function section(id, title, ...content) {
  return h(
    "section",
    { class: "card panel account-panel", "aria-labelledby": id },
    h("h2", { id }, title),
    ...content,
  );
}

function profilePanel(me, onSaved) {
  const name = h("input", {
    class: "input",
    id: "account-name",
    value: me.name || "",
    maxlength: "100",
    autocomplete: "name",
  });
  const error = errorLine("account-name-error");
  const form = h(
    "form",
    { class: "inline-form" },
    field("Name", name),
    h("button", { type: "submit", class: "btn btn-secondary" }, "Save name"),
  );
  name.setAttribute("aria-describedby", "account-name-hint");
  onSubmit(
    form,
    error,
    async () => {
      await api.updateMe({ name: name.value.trim() });
      onSaved();
      toast("Name saved.", "success");
    },
    () => (name.value.trim() ? null : "Enter a name (up to 100 characters)."),
  );
  return section(
    "profile-title",
    "Profile",
    h("dl", { class: "facts" }, h("div", {}, h("dt", {}, "Email"), h("dd", {}, me.email))),
    form,
    h("p", { class: "hint account-hint", id: "account-name-hint" }, NAME_HINT),
    error,
  );
}

/** One switch; flipping it calls `change(key, on)`, which answers whether it was saved. */
function notificationSwitch([key, label, hint], on, change) {
  const id = `notify-${key}`;
  const input = h("input", {
    type: "checkbox",
    role: "switch",
    class: "switch",
    id,
    checked: on,
    "aria-describedby": `${id}-hint`,
  });
  input.addEventListener("change", async () => {
    input.disabled = true;
    if (!(await change(key, input.checked))) input.checked = !input.checked;
    input.disabled = false;
    input.focus();
  });
  return h(
    "li",
    { class: "toggle" },
    h(
      "span",
      { class: "toggle-text" },
      h("label", { for: id }, label),
      h("span", { class: "hint", id: `${id}-hint` }, hint),
    ),
    input,
  );
}

function notificationsPanel(me, onSaved) {
  const current = me.notifications;
  if (!current)
    return section(
      "notify-title",
      "Email notifications",
      h("p", { class: "hint" }, "Email notifications are not available on this server yet."),
    );
  const saved = h("p", { class: "hint toggle-status", role: "status" });
  const error = errorLine("notify-error");
  const change = async (key, on) => {
    saved.textContent = "";
    showError(error, null);
    try {
      // Only the kind flipped: a change made meanwhile elsewhere (an unsubscribe) stays.
      const answer = await api.updateMe({ notifications: { [key]: on } });
      Object.assign(current, answer?.notifications ?? { [key]: on });
      onSaved();
      saved.textContent = "Saved.";
      return true;
    } catch (failure) {
      showError(error, failure);
      return false;
    }
  };
  return section(
    "notify-title",
    "Email notifications",
    h("p", { class: "hint" }, "Email me when:"),
    h(
      "ul",
      { class: "toggles", "aria-labelledby": "notify-title" },
      NOTIFICATIONS.map((spec) => notificationSwitch(spec, Boolean(current[spec[0]]), change)),
    ),
    saved,
    error,
    h(
      "p",
      { class: "hint" },
      "Every email also has a one-click unsubscribe link; it turns the same switch off.",
    ),
  );
}

/** `onMeChange()`: the account changed (the shell shows its name). */
export async function accountView(main, { signal, onMeChange }) {
  setTitle("Account");
  mount(main, h("p", { class: "loading", role: "status" }, "Loading…"));
  let me;
  try {
    me = await api.me();
  } catch (failure) {
    if (!signal.aborted) mount(main, h("p", { class: "form-error" }, failure.message));
    return;
  }
  if (signal.aborted) return;
  const saved = () => onMeChange?.();
  mount(
    main,
    pageHead({
      title: "Account",
      lead: "Your name, the emails Sharebox sends you, and how you log in.",
    }),
    h(
      "div",
      { class: "panels account-panels" },
      profilePanel(me, saved),
      notificationsPanel(me, saved),
      securityPanel(me, saved),
    ),
  );
}
