// Thumbnail images: presigned URLs fetched once per file and reused until shortly before expiry.

import { api } from "./api.js";
import { icon, iconFor } from "./icons.js";
import { h } from "./ui.js";

const cache = new Map(); // fileId -> {promise, until}

function thumbnailUrl(fileId) {
  const hit = cache.get(fileId);
  if (hit && hit.until > Date.now()) return hit.promise;
  const promise = api.thumbnailUrl(fileId).then((answer) => {
    cache.set(fileId, { promise, until: Date.now() + (answer.expiresIn - 30) * 1000 });
    return answer.thumbnailUrl;
  });
  cache.set(fileId, { promise, until: Date.now() + 60000 });
  promise.catch(() => cache.delete(fileId));
  return promise;
}

/** Swap the icon inside `wrap` for the file's thumbnail once it has loaded. */
function thumbnailImage(fileId, wrap) {
  thumbnailUrl(fileId)
    .then((url) => {
      const img = new Image();
      img.alt = "";
      img.className = "thumb-img";
      img.decoding = "async";
      img.onload = () => {
        wrap.replaceChildren(img);
        wrap.classList.add("has-image");
      };
      img.src = url;
    })
    .catch(() => null); // keep the type icon
}

/** The file's thumbnail when it has one, else an icon for its type. */
export function fileThumb(file) {
  const wrap = h("span", { class: "thumb" }, icon(iconFor(file.contentType)));
  if (file.hasThumbnail) thumbnailImage(file.fileId, wrap);
  return wrap;
}
