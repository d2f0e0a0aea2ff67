// A storage meter: the sidebar's for the signed-in user, the admin page's for each user.

import { formatBytes, h } from "./ui.js";

/** A meter of `used` bytes out of `quota`, named by `name` ({"aria-label"} or
 * {"aria-labelledby"}); its bar turns amber from 75 % and red from 90 %. */
export function usageMeter(used, quota, name) {
  const pct = quota ? Math.min(100, (used / quota) * 100) : 100;
  const bar = h("div", { class: "meter-bar" });
  bar.style.width = `${Math.max(pct, used ? 1 : 0)}%`; // CSSOM, which style-src 'self' allows
  return h(
    "div",
    {
      class: "meter",
      role: "meter",
      ...name,
      "aria-valuemin": "0",
      "aria-valuemax": String(quota),
      "aria-valuenow": String(Math.min(used, quota)),
      "aria-valuetext": `${formatBytes(used)} of ${formatBytes(quota)} used`,
      "data-level": pct >= 90 ? "full" : pct >= 75 ? "high" : "ok",
    },
    bar,
  );
}
