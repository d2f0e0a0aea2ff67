// A modal form, for the dialogs that ask for something (a folder's name, a user's quota).

import { errorLine, h, onSubmit } from "./ui.js";

/**
 * A modal form: `work` runs on submit while busy (a failure stays in the dialog, which stays
 * open); resolves what `work` returned, or null when cancelled (Cancel, Escape). `ready` gets
 * the submit button before the dialog shows.
 */
export function formDialog({ id, title, body, confirmLabel, work, check, ready = () => null }) {
  return new Promise((resolve) => {
    const error = errorLine(`${id}-error`);
    const submit = h("button", { type: "submit", class: "btn btn-primary" }, confirmLabel);
    const cancel = h("button", { type: "button", class: "btn btn-ghost" }, "Cancel");
    const form = h(
      "form",
      { class: "dialog-form" },
      h("h2", { id: `${id}-title` }, title),
      ...body,
      error,
      h("div", { class: "dialog-actions" }, cancel, submit),
    );
    const dialog = h("dialog", { class: "dialog", "aria-labelledby": `${id}-title` }, form);
    let result = null;
    onSubmit(
      form,
      error,
      async () => {
        result = await work();
        dialog.close();
      },
      check,
    );
    cancel.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(result);
    });
    ready(submit);
    document.body.append(dialog);
    dialog.showModal();
  });
}
