// The Trash page: what I deleted (not what was inside it), newest first, each with when it goes
// for good; Restore or "Delete for good" per row, "Empty trash" for all of it.

import { api } from "./api.js";
import { emptyState } from "./files.js";
import { pageHead } from "./folder-view.js";
import { icon, iconFor } from "./icons.js";
import { entryName, placeOf, restore, restoredText } from "./trash.js";
import {
  confirmDialog,
  dateCell,
  formatBytes,
  formatDate,
  h,
  mount,
  setTitle,
  toast,
} from "./ui.js";

const PAGE_SIZE = 20;
// After DELETE /trash (202) the page looks again until the trash reads empty.
const EMPTY_CHECKS = 10;
const EMPTY_CHECK_MS = 1000;

const hiddenLabel = (text) => h("span", { class: "visually-hidden" }, text);
const idOf = (entry) => (entry.type === "folder" ? entry.folder.folderId : entry.file.fileId);

function tableHead() {
  return h(
    "thead",
    {},
    h(
      "tr",
      {},
      h("th", { scope: "col", class: "col-thumb" }, hiddenLabel("Type")),
      h("th", { scope: "col" }, "Name"),
      h("th", { scope: "col", class: "col-date" }, "Deleted"),
      h("th", { scope: "col", class: "col-purge" }, "Deleted for good on"),
      h("th", { scope: "col", class: "col-actions" }, hiddenLabel("Actions")),
    ),
  );
}

function typeIcon(entry) {
  if (entry.type === "folder")
    return h("span", { class: "thumb thumb-folder" }, icon("folder"), hiddenLabel("Folder"));
  return h("span", { class: "thumb" }, icon(iconFor(entry.file.contentType)), hiddenLabel("File"));
}

const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });
const formatDay = (iso) => dayFormat.format(new Date(iso));

/** One trashed item's row; `actions`: {restore(entry, row), purge(entry, row)}. */
function trashRow(entry, actions) {
  const name = entryName(entry);
  const what = entry.type === "folder" ? "Folder" : formatBytes(entry.file.size);
  const button = (kind, iconName, label, ariaLabel, onclick) =>
    h(
      "button",
      { type: "button", class: `btn ${kind} btn-small`, "aria-label": ariaLabel, onclick },
      icon(iconName),
      h("span", { class: "btn-label" }, label),
    );
  const row = h("tr", { "data-trash-id": idOf(entry), "data-type": entry.type });
  row.append(
    h("td", { class: "col-thumb" }, typeIcon(entry)),
    h(
      "td",
      { class: "col-name" },
      h("span", { class: "file-name" }, name),
      h("span", { class: "hint trash-what" }, what),
      h(
        "span",
        { class: "row-meta" },
        "Deleted ",
        dateCell(entry.trashedAt),
        ` · for good on ${formatDay(entry.purgeAt)}`,
      ),
    ),
    h("td", { class: "col-date" }, dateCell(entry.trashedAt)),
    h(
      "td",
      { class: "col-purge" },
      h("time", { datetime: entry.purgeAt }, formatDate(entry.purgeAt)),
    ),
    h(
      "td",
      { class: "col-actions" },
      h(
        "span",
        { class: "trash-actions" },
        button("btn-secondary", "restore", "Restore", `Restore ${name}`, () =>
          actions.restore(entry, row),
        ),
        button("btn-ghost danger-text", "trash", "Delete for good", `Delete ${name} for good`, () =>
          actions.purge(entry, row),
        ),
      ),
    ),
  );
  return row;
}

/** The card: the table (hidden while empty), the empty state, a status line and Load more. */
function trashCard() {
  const body = h("tbody");
  const caption = h("caption", { class: "visually-hidden" }, "Trash");
  const table = h("table", { class: "files trash", hidden: true }, caption, tableHead(), body);
  const empty = emptyState("trash");
  const status = h("p", { class: "list-status", role: "status" });
  const more = h(
    "button",
    { type: "button", class: "btn btn-secondary", hidden: true },
    "Load more",
  );
  const node = h(
    "section",
    { class: "card list-card", "aria-label": "Trash" },
    empty,
    table,
    status,
    h("div", { class: "more" }, more),
  );
  const count = () => body.children.length;
  const shown = () => {
    table.hidden = count() === 0;
    empty.hidden = count() > 0;
  };
  return { node, body, status, more, count, shown };
}

function rowActions(card, emptyButton, onUsageChange) {
  // The row's buttons go with it: the focus moves to the next row's (else the previous
  // row's, else the page's heading), not to the top of the page.
  const gone = (row) => {
    const next = row.nextElementSibling || row.previousElementSibling;
    const hadFocus = row.contains(document.activeElement);
    row.remove();
    card.shown();
    emptyButton.disabled = card.count() === 0 && card.more.hidden;
    if (hadFocus) (next?.querySelector("button") || document.querySelector("main h1"))?.focus();
  };
  return {
    async restore(entry, row) {
      const name = entryName(entry);
      try {
        const restored = await restore({ type: entry.type, id: idOf(entry), name });
        gone(row);
        const show = { label: "Show", run: () => (location.hash = placeOf(restored)) };
        toast(restoredText(name, entry, restored), "success", { action: show });
      } catch (error) {
        toast(error.message, "error");
      }
    },
    async purge(entry, row) {
      const name = entryName(entry);
      const inside = entry.type === "folder" ? " and everything in it" : "";
      const ok = await confirmDialog({
        title: `Delete ${name} for good?`,
        message: `${name}${inside}, with every version, share and link, is deleted for good. This cannot be undone.`,
        confirmLabel: "Delete for good",
        danger: true,
      });
      if (!ok) return;
      try {
        await api.deleteForGood(idOf(entry));
        gone(row);
        toast(`${name} was deleted for good.`, "success");
        onUsageChange?.();
      } catch (error) {
        toast(error.message, "error");
      }
    },
  };
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function trashView(main, { signal, onUsageChange }) {
  setTitle("Trash");
  const card = trashCard();
  const emptyButton = h(
    "button",
    { type: "button", class: "btn btn-danger", disabled: true },
    icon("trash"),
    "Empty trash",
  );
  const actions = rowActions(card, emptyButton, onUsageChange);
  let cursor = null;
  const load = async ({ reset = false } = {}) => {
    card.more.disabled = true;
    try {
      const page = await api.trash(reset ? null : cursor, PAGE_SIZE);
      if (signal.aborted) return null;
      if (reset) card.body.replaceChildren();
      card.body.append(...page.items.map((entry) => trashRow(entry, actions)));
      cursor = page.nextCursor;
      card.more.hidden = !cursor;
      card.status.textContent = "";
      return page;
    } catch (error) {
      card.status.textContent = error.message;
      return null;
    } finally {
      card.more.disabled = false;
      card.shown();
      emptyButton.disabled = card.count() === 0;
    }
  };
  card.more.addEventListener("click", () => load());
  emptyButton.addEventListener("click", async () => {
    const ok = await confirmDialog({
      title: "Empty the trash?",
      message:
        "Everything in the trash is deleted for good, with every version, share and link. This cannot be undone.",
      confirmLabel: "Empty trash",
      danger: true,
    });
    if (!ok) return;
    try {
      await api.emptyTrash();
    } catch (error) {
      toast(error.message, "error");
      return;
    }
    emptyButton.disabled = true;
    card.status.textContent = "Emptying the trash…";
    for (let check = 0; check < EMPTY_CHECKS && !signal.aborted; check += 1) {
      const page = await load({ reset: true });
      if (page && page.items.length === 0) break;
      card.status.textContent = "Emptying the trash…";
      await pause(EMPTY_CHECK_MS);
    }
    if (signal.aborted) return;
    onUsageChange?.();
    if (card.count() === 0) toast("The trash is empty.", "success");
    else card.status.textContent = "The trash is still being emptied. Look again in a moment.";
  });
  const head = pageHead({
    title: "Trash",
    lead: "Deleted files and folders wait here until the date shown, then go for good. Restore puts one back where it was.",
    buttons: [emptyButton],
  });
  mount(main, head, card.node);
  load();
}
