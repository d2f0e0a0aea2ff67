// The building blocks of the owner's panels (people, links, upload requests, activity): a
// titled card, a list that reloads itself, and a shareable address with its Copy button.

import { icon } from "./icons.js";
import { copyText, h, mount } from "./ui.js";

export function panel(id, title, ...content) {
  return h(
    "section",
    { class: "card panel", "aria-labelledby": id },
    h("h2", { id }, title),
    ...content,
  );
}

export const failed = (list) => (failure) =>
  mount(list, h("li", { class: "form-error" }, failure.message));

// A file or folder has at most 500 shares and 50 active links: the panels show them all.
export async function everyPage(fetchPage) {
  const items = [];
  let cursor = null;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/**
 * A `ul.{className}` of every page of `fetchPage`, an `item` each (or the `empty` line), loaded
 * now; an item that changes something reloads the list, then tells `onChange`. `onLoad` hears
 * each load's entries.
 */
export function liveList(className, { fetchPage, item, empty, onChange, onLoad = () => null }) {
  const list = h("ul", { class: className });
  const reload = async () => {
    const entries = await everyPage(fetchPage);
    onLoad(entries);
    const changed = async () => (await reload(), onChange());
    const items = entries.map((entry) => item(entry, changed));
    mount(list, items.length ? items : h("li", { class: "hint empty-line" }, empty));
  };
  reload().catch(failed(list));
  return { list, reload };
}

/** A form field that spans the form's width. */
export function wide(node) {
  node.classList.add("field-wide");
  return node;
}

/** A read-only address (a link's, a request's), selected whole on focus. */
export const addressField = (url, label) =>
  h("input", {
    class: "input link-url",
    readonly: true,
    value: url,
    "aria-label": label,
    onfocus: (e) => e.target.select(),
  });

/** Copy `text` (an address, or what `done` names in the notice). */
export const copyButton = (text, label = null, done = undefined) =>
  h(
    "button",
    {
      type: "button",
      class: "btn btn-secondary btn-small",
      "aria-label": label,
      onclick: () => copyText(text, done),
    },
    icon("copy"),
    "Copy",
  );
