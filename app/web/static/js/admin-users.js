// The admin page's user rows: who they are, storage against quota, badges, and the actions
// (set a quota, disable or re-enable) through PATCH /admin/users/{userId}.

import { api } from "./api.js";
import { formDialog } from "./form-dialog.js";
import { icon } from "./icons.js";
import { usageMeter } from "./meter.js";
import { confirmDialog, dateCell, field, formatBytes, h, toast } from "./ui.js";

const UNITS = { GB: 1024 ** 3, MB: 1024 ** 2 };
const MAX_QUOTA_BYTES = 1024 ** 5; // the API's largest quota (1 PiB)

/** An admin action's refusal in plain words (the API's own words when it has no better ones). */
export function adminError(failure) {
  if (failure.status === 403) return "Your account is no longer an administrator.";
  if (failure.status === 404) return "That user no longer exists.";
  return failure.message;
}

const badge = (kind, text, title = null) =>
  h("span", { class: `badge badge-${kind}`, title }, text);

function badges(user, self) {
  return h(
    "span",
    { class: "user-badges" },
    self ? badge("you", "You") : null,
    user.mfa ? badge("mfa", "2-step on", "Two-step verification is on") : null,
    user.disabled ? badge("disabled", "Disabled", "Cannot log in") : null,
  );
}

function usageCell(user) {
  const { bytes, files } = user.usage;
  return h(
    "td",
    { class: "col-usage" },
    h("span", { class: "usage-text" }, `${formatBytes(bytes)} of ${formatBytes(user.quota.bytes)}`),
    usageMeter(bytes, user.quota.bytes, { "aria-label": `Storage of ${user.email}` }),
    h(
      "span",
      { class: "hint" },
      `${files} file${files === 1 ? "" : "s"}`,
      user.quota.custom ? " · custom quota" : null,
    ),
  );
}

/** The quota as the dialog first shows it: whole gigabytes when it is, else megabytes. */
function asUnits(bytes) {
  const unit = bytes % UNITS.GB === 0 ? "GB" : "MB";
  return { amount: String(Math.round((bytes / UNITS[unit]) * 100) / 100), unit };
}

function quotaFields(user) {
  const start = asUnits(user.quota.bytes);
  const amount = h("input", {
    class: "input",
    id: "quota-amount",
    type: "number",
    inputmode: "decimal",
    min: "0",
    step: "any",
    required: true,
    value: start.amount,
  });
  const unit = h(
    "select",
    { class: "input", id: "quota-unit", "aria-label": "Unit" },
    Object.keys(UNITS).map((name) =>
      h("option", { value: name, selected: name === start.unit }, name),
    ),
  );
  const bytes = () => Math.round(Number(amount.value) * UNITS[unit.value]);
  const body = h("div", { class: "quota-fields" }, field("Quota", amount), unit);
  return { body, amount, unit, bytes };
}

/** Ask for a new quota; resolves the updated user, or null when cancelled. */
function quotaDialog(user) {
  const { body, amount, unit, bytes } = quotaFields(user);
  const reset = h("input", { type: "checkbox", id: "quota-default", checked: !user.quota.custom });
  const follow = () => {
    amount.disabled = reset.checked;
    unit.disabled = reset.checked;
  };
  reset.addEventListener("change", () => (follow(), reset.checked || amount.select()));
  follow();
  setTimeout(() => (reset.checked ? reset : amount).focus());
  return formDialog({
    id: "quota",
    title: `Storage quota of ${user.email}`,
    body: [
      h(
        "p",
        {},
        `Uses ${formatBytes(user.usage.bytes)} now. A lower quota stops new uploads; nothing is deleted.`,
      ),
      h("label", { class: "check" }, reset, "Use the default quota for everyone"),
      body,
    ],
    confirmLabel: "Save quota",
    check: () => {
      if (reset.checked) return null;
      const value = bytes();
      if (!Number.isFinite(value) || amount.value.trim() === "" || value < 0)
        return "Enter the quota as a number of gigabytes or megabytes.";
      if (value > MAX_QUOTA_BYTES) return "A quota can be at most 1 PB (1,048,576 GB).";
      return null;
    },
    work: async () => {
      try {
        return await api.admin.update(user.userId, { quotaBytes: reset.checked ? null : bytes() });
      } catch (failure) {
        throw new Error(adminError(failure));
      }
    },
  });
}

async function setDisabled(user, disabled) {
  const ok = await confirmDialog(
    disabled
      ? {
          title: `Disable ${user.email}?`,
          message:
            "They are signed out everywhere at once and cannot log in until re-enabled. Nothing of theirs is deleted.",
          confirmLabel: "Disable",
          danger: true,
        }
      : {
          title: `Re-enable ${user.email}?`,
          message: "They can log in again.",
          confirmLabel: "Re-enable",
        },
  );
  if (!ok) return null;
  try {
    const changed = await api.admin.update(user.userId, { disabled });
    toast(`${user.email} is ${disabled ? "disabled and signed out" : "enabled again"}.`, "success");
    return changed;
  } catch (failure) {
    toast(adminError(failure), "error");
    return null;
  }
}

function actionButton(label, ariaLabel, onclick, { danger = false, disabled = false, title } = {}) {
  return h(
    "button",
    {
      type: "button",
      class: `btn btn-secondary btn-small${danger ? " danger-text" : ""}`,
      "aria-label": ariaLabel,
      disabled,
      title,
      onclick,
    },
    label,
  );
}

/** One user's row; `changed(user)` hears what an action answered (the row is redrawn). */
export function userRow(user, { self, changed }) {
  const quota = actionButton("Quota", `Set the quota of ${user.email}`, async () => {
    const updated = await quotaDialog(user);
    if (updated) {
      const size = formatBytes(updated.quota.bytes);
      const now = updated.quota.custom ? size : `the default, ${size}`;
      toast(`The quota of ${user.email} is now ${now}.`, "success");
      changed(updated);
    }
  });
  const access = actionButton(
    user.disabled ? "Re-enable" : "Disable",
    `${user.disabled ? "Re-enable" : "Disable"} ${user.email}`,
    async () => {
      const updated = await setDisabled(user, !user.disabled);
      if (updated) changed(updated);
    },
    {
      danger: !user.disabled,
      disabled: self,
      title: self ? "You cannot disable your own account." : null,
    },
  );
  return h(
    "tr",
    { "data-user-id": user.userId, class: user.disabled ? "is-disabled" : null },
    h(
      "td",
      { class: "col-user" },
      h("span", { class: "admin-email" }, icon("user"), user.email),
      user.name ? h("span", { class: "hint admin-name" }, user.name) : null,
      badges(user, self),
    ),
    usageCell(user),
    h("td", { class: "col-date" }, dateCell(user.createdAt)),
    h("td", { class: "col-actions" }, h("div", { class: "row" }, quota, access)),
  );
}
