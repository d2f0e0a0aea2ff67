// Bytes from the browser straight to the storage service, with XHR (fetch cannot report upload
// progress). Each request is kept in its owner's `requests` set, so Cancel can abort it.

export class Cancelled extends Error {}

function storageMessage(xhr) {
  const match = /<Message>([^<]*)<\/Message>/.exec(xhr.responseText || "");
  const reason = match ? match[1] : `status ${xhr.status}`;
  return `The storage service refused the upload (${reason}).`;
}

/** One XHR to the storage service, tracked in `owner.requests`; resolves the finished XHR. */
export function send(owner, method, url, body, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const settle = (fn, value) => {
      owner.requests.delete(xhr);
      fn(value);
    };
    owner.requests.add(xhr);
    xhr.open(method, url);
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.total);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? settle(resolve, xhr)
        : settle(reject, new Error(storageMessage(xhr)));
    xhr.onerror = () =>
      settle(reject, new Error("The upload was interrupted. Check your connection and retry."));
    xhr.onabort = () => settle(reject, new Cancelled("Cancelled"));
    xhr.send(body);
  });
}

/** Send `file` with a presigned POST (`{method, url, fields}`); `onProgress(bytes)` hears how
 * much of the file has gone (the form body is a little larger than the file). */
export function postFile(owner, presigned, file, onProgress) {
  const form = new FormData();
  for (const [key, value] of Object.entries(presigned.fields || {})) form.append(key, value);
  form.append("file", file);
  return send(owner, presigned.method || "POST", presigned.url, form, (sent, total) =>
    onProgress(total ? Math.round((sent / total) * file.size) : sent),
  );
}
