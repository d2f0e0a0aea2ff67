// The admin page (#/admin), for members of the `admins` group: service totals, every user
// with search by email prefix and paging, and per-user actions (admin-users.js). Anyone else
// is told plainly that the page is not for them (the API answers 403).

import { api } from "./api.js";
import { adminLog } from "./admin-log.js";
import { userRow } from "./admin-users.js";
import { pageHead } from "./folder-view.js";
import { icon } from "./icons.js";
import { formatBytes, h, mount, setTitle, timeAgo } from "./ui.js";

const PAGE_SIZE = 25;
const hiddenLabel = (text) => h("span", { class: "visually-hidden" }, text);
const count = (n, one, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

function notAllowed(main) {
  setTitle("Not allowed");
  mount(
    main,
    h(
      "div",
      { class: "empty card" },
      icon("shield", "icon empty-icon"),
      h("h1", { tabindex: "-1" }, "Not allowed"),
      h("p", { class: "hint" }, "The admin page is only for Sharebox administrators."),
      h("a", { href: "#/files", class: "btn btn-secondary" }, "Back to my files"),
    ),
  );
}

function statsCard(stats) {
  const tile = (label, value) =>
    h("div", { class: "stat" }, h("dt", {}, label), h("dd", {}, value));
  return h(
    "section",
    { class: "card stats", "aria-labelledby": "stats-title" },
    h("h2", { id: "stats-title", class: "visually-hidden" }, "Totals"),
    h(
      "dl",
      { class: "stat-tiles" },
      tile("Users", stats.users.toLocaleString()),
      tile("Files", stats.files.toLocaleString()),
      tile("Stored", formatBytes(stats.bytes)),
      tile("Uploads (24 h)", stats.uploadsLast24h.toLocaleString()),
      tile("Active links", stats.activeLinks.toLocaleString()),
    ),
    stats.countedAt
      ? h(
          "p",
          { class: "hint stats-note" },
          "Users, files and bytes counted ",
          timeAgo(stats.countedAt),
          ".",
        )
      : null,
  );
}

function searchForm(onSearch) {
  const input = h("input", {
    class: "input",
    type: "search",
    id: "user-search",
    placeholder: "Email starts with…",
    autocomplete: "off",
    spellcheck: "false",
  });
  const form = h(
    "form",
    { class: "admin-search", role: "search", "aria-label": "Users" },
    h("label", { for: "user-search", class: "visually-hidden" }, "Search users by email"),
    input,
    h("button", { type: "submit", class: "btn btn-secondary" }, icon("search"), "Search"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onSearch(input.value.trim());
  });
  // Clearing the box (its ✕, or Escape) lists everyone again.
  input.addEventListener("search", () => input.value === "" && onSearch(""));
  return form;
}

function usersTable(body) {
  return h(
    "table",
    { class: "files admin-users" },
    h("caption", { class: "visually-hidden" }, "Users"),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        h("th", { scope: "col" }, "User"),
        h("th", { scope: "col", class: "col-usage" }, "Storage"),
        h("th", { scope: "col", class: "col-date" }, "Joined"),
        h("th", { scope: "col", class: "col-actions" }, hiddenLabel("Actions")),
      ),
    ),
    body,
  );
}

/** The users card: search, the table, a status line and Load more. */
function usersCard(me, signal, onChange) {
  const body = h("tbody");
  const table = usersTable(body);
  const status = h("p", { class: "list-status", role: "status" });
  const more = h(
    "button",
    { type: "button", class: "btn btn-secondary", hidden: true },
    "Load more",
  );
  let query = "";
  let cursor = null;
  const put = (user, old = null) => {
    const row = userRow(user, { self: user.userId === me.userId, changed });
    if (old) old.replaceWith(row);
    else body.append(row);
  };
  const changed = (user) => {
    put(user, body.querySelector(`tr[data-user-id="${CSS.escape(user.userId)}"]`));
    onChange();
  };
  const tell = () => {
    const shown = body.children.length;
    table.hidden = shown === 0;
    if (shown === 0)
      status.textContent = query ? `No user's email starts with “${query}”.` : "No users yet.";
    else status.textContent = `${count(shown, "user")} shown${cursor ? "; more below" : ""}.`;
  };
  let search = 0; // a new search makes the answers still on their way for an older one stale
  const load = async (fresh) => {
    if (fresh) search += 1;
    const mine = search;
    more.disabled = true;
    try {
      const page = await api.admin.users(query || null, fresh ? null : cursor, PAGE_SIZE);
      if (signal.aborted || mine !== search) return;
      if (fresh) body.replaceChildren();
      page.items.forEach((user) => put(user));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      tell();
    } catch (failure) {
      if (mine === search) status.textContent = failure.message;
    } finally {
      if (mine === search) more.disabled = false;
    }
  };
  more.addEventListener("click", () => load(false));
  const find = (q) => {
    query = q;
    load(true);
  };
  load(true);
  return h(
    "section",
    { class: "card list-card admin-users-card", "aria-labelledby": "users-title" },
    h("div", { class: "card-head" }, h("h2", { id: "users-title" }, "Users"), searchForm(find)),
    table,
    status,
    h("div", { class: "more" }, more),
  );
}

export async function adminView(main, { signal, me }) {
  setTitle("Admin");
  mount(main, h("p", { class: "loading", role: "status" }, "Loading…"));
  let stats;
  try {
    stats = await api.admin.stats();
  } catch (failure) {
    if (signal.aborted) return;
    if (failure.status === 403) return notAllowed(main);
    return mount(main, h("p", { class: "form-error" }, failure.message));
  }
  if (signal.aborted) return;
  const log = adminLog();
  mount(
    main,
    pageHead({
      title: "Admin",
      lead: "Everyone's storage, quotas, two-step verification and access.",
    }),
    statsCard(stats),
    usersCard(me, signal, () => log.reload()),
    log.node,
  );
}
