// The admin page's log: what administrators did, newest first (GET /admin/audit), as sentences.

import { api } from "./api.js";
import { dateCell, formatBytes, h, mount } from "./ui.js";

const PAGE_SIZE = 10;
const quota = (bytes) =>
  bytes === null || bytes === undefined ? "the default" : formatBytes(bytes);
const who = (person) => person.email || person.userId;

/** "ada@… disabled bo@…", "ada@… set the quota of bo@… to 2 MB (was the default)". */
export function describe({ actor, target, before, after }) {
  const done = [];
  if ("disabled" in after)
    done.push(`${after.disabled ? "disabled" : "re-enabled"} ${who(target)}`);
  if ("quotaBytes" in after)
    done.push(
      `set the quota of ${who(target)} to ${quota(after.quotaBytes)} (was ${quota(before.quotaBytes)})`,
    );
  return `${who(actor)} ${done.join(" and ") || `changed ${who(target)}`}`;
}

function entryItem(entry) {
  return h(
    "li",
    { class: "log-entry" },
    dateCell(entry.at),
    h("span", {}, describe(entry)),
    entry.outcome === "failed"
      ? h(
          "span",
          { class: "badge badge-disabled", title: "An error stopped it part way" },
          "Failed",
        )
      : null,
  );
}

/** The log's card; `reload()` reads its first page again (after an action). */
export function adminLog() {
  const list = h("ul", { class: "admin-log" });
  const more = h(
    "button",
    { type: "button", class: "btn btn-secondary", hidden: true },
    "Load more",
  );
  let cursor = null;
  let reads = 0; // a reload makes the pages still on their way stale
  const load = async (fresh) => {
    if (fresh) reads += 1;
    const mine = reads;
    more.disabled = true;
    try {
      const page = await api.admin.audit(fresh ? null : cursor, PAGE_SIZE);
      if (mine !== reads) return;
      const items = page.items.map(entryItem);
      if (fresh) mount(list, items.length ? items : h("li", { class: "hint" }, "Nothing yet."));
      else list.append(...items);
      cursor = page.nextCursor;
      more.hidden = !cursor;
    } catch (failure) {
      if (mine === reads) mount(list, h("li", { class: "form-error" }, failure.message));
    } finally {
      if (mine === reads) more.disabled = false;
    }
  };
  more.addEventListener("click", () => load(false));
  load(true);
  const node = h(
    "section",
    { class: "card panel admin-log-card", "aria-labelledby": "log-title" },
    h("h2", { id: "log-title" }, "Admin log"),
    h("p", { class: "hint" }, "What administrators changed, newest first."),
    list,
    h("div", { class: "more" }, more),
  );
  return { node, reload: () => load(true) };
}
