// Entry point: the shell (top bar, navigation, storage meter) and the hash router.

import { api, isSignedIn, onSignedOut, resume } from "./api.js";
import { accountView } from "./account.js";
import { adminView } from "./admin.js";
import { confirmView, forgotView, resetView, signupView } from "./auth.js";
import { detailView } from "./detail.js";
import { tree } from "./folder-tree.js";
import { folderView, myFilesView, searchView, sharedView } from "./folder-view.js";
import { publicView } from "./public.js";
import { requestPageView } from "./public-request.js";
import { trashView } from "./trash-view.js";
import { icon } from "./icons.js";
import { loginView } from "./login.js";
import { usageMeter } from "./meter.js";
import { formatBytes, h, mount, toast } from "./ui.js";
import { uploads } from "./uploads.js";

const main = document.getElementById("main");
const sidebar = document.getElementById("sidebar");
const userMenu = document.getElementById("user-menu");
const ACCOUNT_ROUTES = {
  login: loginView,
  signup: signupView,
  confirm: confirmView,
  forgot: forgotView,
  reset: resetView,
};

let view = new AbortController();
let firstRender = true;
let me = null;
// Which list the page is in ("files" or "shared"): a folder or a file says once it has loaded.
let section = null;
// The last list shown, for a file page's way back to it.
let lastList = null;
const LIST_LABELS = { files: "My files", shared: "Shared with me", search: "Search results" };
const SECTIONS = {
  files: "files",
  search: "files",
  shared: "shared",
  trash: "trash",
  account: "account",
  admin: "admin",
};

/** The public page this address is (`s/<token>`: a link; `r/<token>`: an upload request), or
 * null for the app. */
function publicPage() {
  const base = new URL(document.baseURI).pathname;
  const rest = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : "";
  const match = /^([sr])\/([^/]+)\/?$/.exec(rest);
  if (!match) return null;
  const view = match[1] === "s" ? publicView : requestPageView;
  return { view, token: decodeURIComponent(match[2]) };
}

function currentRoute() {
  const [path] = location.hash.replace(/^#\/?/, "").split("?");
  const [name = "", ...rest] = path.split("/");
  return { name, arg: rest.map(decodeURIComponent).join("/") };
}

function storageMeter() {
  if (!me) return h("div", { class: "storage" });
  const used = me.usage.bytes;
  const quota = me.quota.bytes;
  return h(
    "div",
    { class: "storage" },
    h(
      "div",
      { class: "storage-head" },
      h("span", { id: "storage-label" }, "Storage"),
      h("span", { class: "hint" }, `${me.usage.files} file${me.usage.files === 1 ? "" : "s"}`),
    ),
    usageMeter(used, quota, { "aria-labelledby": "storage-label" }),
    h("p", { class: "storage-text" }, `${formatBytes(used)} of ${formatBytes(quota)} used`),
  );
}

function navLinks() {
  const link = (href, name, label, iconName, extra = "") =>
    h(
      "a",
      {
        href,
        class: `nav-link ${extra}`.trim(),
        "aria-current": section === name ? "page" : null,
      },
      icon(iconName),
      h("span", {}, label),
    );
  return h(
    "div",
    { class: "nav-links" },
    link("#/files", "files", "My files", "folder"),
    tree.node,
    link("#/shared", "shared", "Shared with me", "users"),
    link("#/trash", "trash", "Trash", "trash"),
    link("#/account", "account", "Account", "user", "nav-link-account"),
    me?.admin ? link("#/admin", "admin", "Admin", "shield", "nav-link-admin") : null,
  );
}

function userMenuItems() {
  const email = me?.email || "";
  const initial = (me?.name || email || "?")[0].toUpperCase();
  return [
    h(
      "a",
      {
        class: "account-link",
        href: "#/account",
        title: "Account and email notifications",
        "aria-label": `Account: ${email}`,
      },
      h("span", { class: "avatar", "aria-hidden": "true" }, initial),
      h("span", { class: "user-email" }, email),
    ),
    // A phone's tabs have no room for Admin: the top bar has it there.
    me?.admin
      ? h(
          "a",
          {
            class: "btn btn-ghost btn-small topbar-admin",
            href: "#/admin",
            "aria-label": "Admin",
            "aria-current": section === "admin" ? "page" : null,
          },
          icon("shield"),
        )
      : null,
    h(
      "button",
      { type: "button", class: "btn btn-ghost btn-small", onclick: logOut },
      icon("logout"),
      h("span", {}, "Log out"),
    ),
  ];
}

function renderShell() {
  const signedIn = isSignedIn() && !publicPage();
  document.body.dataset.mode = publicPage() ? "public" : signedIn ? "app" : "account";
  sidebar.hidden = !signedIn;
  userMenu.hidden = !signedIn;
  if (!signedIn) return;
  mount(sidebar, navLinks(), storageMeter());
  mount(userMenu, userMenuItems());
  tree.shown();
}

/** A folder or a file, once loaded, says which list it belongs to. */
function onSection(name) {
  section = name;
  renderShell();
}

/** A list's page is where a file opened from it leads back to. */
function rememberList(name) {
  if (LIST_LABELS[name]) lastList = { href: location.hash, label: LIST_LABELS[name] };
  else if (name === "folder") lastList = { href: location.hash, label: "Back to the folder" };
}

function appView(name, arg, options) {
  if (name === "files") myFilesView(main, options);
  else if (name === "shared") sharedView(main, options);
  else if (name === "trash") trashView(main, options);
  else if (name === "account") return accountView(main, { ...options, onMeChange: refreshMe });
  else if (name === "admin") return adminView(main, { ...options, me });
  else if (name === "search" && arg) searchView(main, arg, options);
  else if (name === "folder" && arg) return folderView(main, arg, options);
  else if (name === "file" && arg) return detailView(main, arg, { ...options, back: lastList });
  else return location.replace("#/files");
}

async function refreshMe() {
  try {
    me = await api.me();
  } catch {
    return; // the lists show their own errors; the meter just stays as it was
  }
  if (isSignedIn()) renderShell();
}

async function logOut() {
  await uploads.abandonAll();
  await api.logOut();
  toast("You are logged out.", "success");
}

async function route() {
  view.abort();
  view = new AbortController();
  const { signal } = view;
  const visit = publicPage();
  if (visit) {
    renderShell();
    return visit.view(main, visit.token);
  }
  const { name, arg } = currentRoute();
  section = SECTIONS[name] || null;
  if (!isSignedIn()) {
    if (!ACCOUNT_ROUTES[name]) return location.replace("#/login");
    renderShell();
    ACCOUNT_ROUTES[name](main);
  } else if (ACCOUNT_ROUTES[name] && name !== "reset") {
    return location.replace("#/files");
  } else {
    const options = { signal, onUsageChange: refreshMe, onSection };
    if (!me) await refreshMe();
    renderShell();
    rememberList(name);
    await appView(name, arg, options);
  }
  if (!firstRender) {
    const heading = main.querySelector("h1");
    (heading || main).focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
  firstRender = false;
}

onSignedOut((reason) => {
  me = null;
  lastList = null;
  tree.reset();
  if (publicPage()) return;
  if (reason === "expired") toast("Your session has ended. Please log in again.", "info");
  location.hash = "#/login";
});

document.querySelector("[data-skip]").addEventListener("click", (event) => {
  event.preventDefault();
  main.focus();
});

window.addEventListener("hashchange", () => {
  if (location.hash === "#main") return;
  route();
});

(async () => {
  if (!publicPage()) await resume();
  await route();
})();
