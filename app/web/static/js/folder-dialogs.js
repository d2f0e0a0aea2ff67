// The dialogs of "My files": name a folder (new, rename) and choose where an item moves to.

import { formDialog } from "./form-dialog.js";
import { subfolders } from "./folder-tree.js";
import { icon } from "./icons.js";
import { breadcrumbs, field, h, mount } from "./ui.js";

const TOP = { folderId: null, name: "My files" };
const BAD_NAME = /[/\\]/;

/** Ask for a name (a new folder's, or a new one for an item); `save(name)` does the work. */
export function nameDialog({ title, label, value = "", confirmLabel, save }) {
  const input = h("input", {
    class: "input",
    id: "name-input",
    value,
    required: true,
    maxlength: "255",
    autocomplete: "off",
  });
  setTimeout(() => input.select());
  return formDialog({
    id: "name",
    title,
    body: [field(label, input)],
    confirmLabel,
    work: () => save(input.value.trim()),
    check: () => (BAD_NAME.test(input.value) ? "A name cannot contain / or \\." : null),
  });
}

const targetButton = (folder, onclick) =>
  h(
    "button",
    { type: "button", class: "move-target", onclick },
    icon("folder"),
    h("span", {}, folder.name),
    icon("chevron", "icon chevron"),
  );

/** Where the move dialog stands: a trail of folders from the top, and the folders below it. */
function destinationPicker(item, trail, onChange) {
  const crumbs = h("div", { class: "move-crumbs" });
  const list = h("ul", { class: "move-targets", "aria-label": "Folders here" });
  const status = h("p", { class: "hint", role: "status" });
  let stack = [TOP, ...trail];
  const here = () => stack[stack.length - 1];
  const go = async (nextStack) => {
    stack = nextStack;
    const target = here();
    onChange(target);
    const steps = stack.map((step, index) => ({
      name: step.name,
      onclick: () => go(stack.slice(0, index + 1)),
    }));
    mount(crumbs, breadcrumbs("Destination", steps, { current: "location" }));
    list.replaceChildren();
    status.textContent = "Loading…";
    try {
      const folders = await subfolders(target.folderId);
      if (here() !== target) return; // moved on meanwhile
      const open = (folder) => () =>
        go([...stack, { folderId: folder.folderId, name: folder.name }]);
      const choices = folders.filter((f) => !(item.type === "folder" && f.folderId === item.id));
      status.textContent = choices.length ? "" : "No folders here.";
      mount(
        list,
        choices.map((folder) => h("li", {}, targetButton(folder, open(folder)))),
      );
    } catch (failure) {
      status.textContent = failure.message;
    }
  };
  go(stack);
  return { nodes: [crumbs, list, status], here };
}

/**
 * Choose a destination folder for `item` ({type, id, name, parentId}), starting from `trail`
 * (the folders from the top down to where the list is); `move(item, {folderId, name})` moves it.
 */
export function moveDialog(item, trail, move) {
  let submit = null;
  const sameSpot = (here) => here.folderId === item.parentId;
  const picker = destinationPicker(item, trail, (here) => {
    if (submit) submit.disabled = sameSpot(here);
  });
  return formDialog({
    id: "move",
    title: `Move ${item.name}`,
    body: [h("p", {}, "Open the folder to move it into, then choose Move here."), ...picker.nodes],
    confirmLabel: "Move here",
    work: () => move(item, picker.here()),
    check: () => (sameSpot(picker.here()) ? `${item.name} is already here.` : null),
    ready: (button) => {
      submit = button;
      submit.disabled = sameSpot(picker.here());
    },
  });
}
