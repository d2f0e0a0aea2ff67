// Line icons (24x24, stroked), built as SVG nodes: no markup is parsed.

const SVG = "http://www.w3.org/2000/svg";

/** Each icon's shapes: a string is a path's `d`, else [tag, attributes]. */
const ICONS = {
  upload: ["M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3"],
  file: ["M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z", "M14 3v5h5"],
  image: [
    ["rect", { x: "3", y: "4", width: "18", height: "16", rx: "2" }],
    ["circle", { cx: "9", cy: "10", r: "2" }],
    "m21 17-5-5-9 8",
  ],
  text: ["M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z", "M14 3v5h5M9 13h6M9 17h6"],
  archive: [
    "M14 3H7a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8z",
    "M11 5h2M11 8h2M11 11h2v3h-2z",
  ],
  video: [["rect", { x: "3", y: "5", width: "13", height: "14", rx: "2" }], "m16 10 5-3v10l-5-3"],
  audio: [
    "M9 18V5l11-2v13",
    ["circle", { cx: "6", cy: "18", r: "3" }],
    ["circle", { cx: "17", cy: "16", r: "3" }],
  ],
  download: ["M12 4v12m0 0-4.5-4.5M12 16l4.5-4.5M4 20h16"],
  share: [
    ["circle", { cx: "18", cy: "5", r: "3" }],
    ["circle", { cx: "6", cy: "12", r: "3" }],
    ["circle", { cx: "18", cy: "19", r: "3" }],
    "m8.6 13.5 6.8 4M15.4 6.5l-6.8 4",
  ],
  link: [
    "M10 14a4.5 4.5 0 0 0 6.4 0l3-3a4.5 4.5 0 0 0-6.4-6.4l-1 1",
    "M14 10a4.5 4.5 0 0 0-6.4 0l-3 3a4.5 4.5 0 0 0 6.4 6.4l1-1",
  ],
  lock: [
    ["rect", { x: "4", y: "11", width: "16", height: "10", rx: "2" }],
    "M8 11V7a4 4 0 0 1 8 0v4",
  ],
  trash: ["M4 7h16M10 11v6M14 11v6M6 7l1 12a2 2 0 0 0 2 2h6a2 2 0 0 0 2-2l1-12M9 7V4h6v3"],
  edit: ["M4 20h4L19 9l-4-4L4 16z", "m13.5 6.5 4 4"],
  folder: ["M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"],
  "folder-plus": [
    "M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z",
    "M12 10v6M9 13h6",
  ],
  move: [
    "M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z",
    "M9 13h6m0 0-2.5-2.5M15 13l-2.5 2.5",
  ],
  search: [["circle", { cx: "11", cy: "11", r: "7" }], "m20 20-4-4"],
  chevron: ["m9 6 6 6-6 6"],
  users: [
    ["circle", { cx: "9", cy: "8", r: "4" }],
    "M2 21a7 7 0 0 1 14 0",
    "M16 4a4 4 0 0 1 0 8M22 21a7 7 0 0 0-4-6.3",
  ],
  logout: ["M15 4h3a2 2 0 0 1 2 2v12a2 2 0 0 1-2 2h-3M10 17l-5-5 5-5M5 12h11"],
  x: ["M6 6l12 12M18 6 6 18"],
  back: ["M15 18l-6-6 6-6"],
  restore: ["M4 12a8 8 0 1 0 2.4-5.7L4 8.5", "M4 4v4.5h4.5"],
  copy: [
    ["rect", { x: "8", y: "8", width: "12", height: "12", rx: "2" }],
    "M16 8V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h2",
  ],
  clock: [["circle", { cx: "12", cy: "12", r: "9" }], "M12 7v5l3 2"],
  check: ["m5 12 5 5 9-10"],
  user: [["circle", { cx: "12", cy: "8", r: "4" }], "M4 21a8 8 0 0 1 16 0"],
  shield: ["M12 3 4.5 6v5.5c0 4.6 3.2 8.3 7.5 9.5 4.3-1.2 7.5-4.9 7.5-9.5V6z"],
  eye: [
    "M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12z",
    ["circle", { cx: "12", cy: "12", r: "3" }],
  ],
};

function shape(spec) {
  const [tag, attrs] = typeof spec === "string" ? ["path", { d: spec }] : spec;
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

export function icon(name, className = "icon") {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", className);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.append(...(ICONS[name] || ICONS.file).map(shape));
  return svg;
}

export function iconFor(contentType = "") {
  if (contentType.startsWith("image/")) return "image";
  if (contentType.startsWith("video/")) return "video";
  if (contentType.startsWith("audio/")) return "audio";
  if (
    contentType.startsWith("text/") ||
    contentType.includes("json") ||
    contentType.includes("pdf")
  )
    return "text";
  if (/zip|tar|compress|gzip|7z|rar/.test(contentType)) return "archive";
  return "file";
}
