// The upload manager: presigned POST for small files, resumable multipart for large ones; the
// same for a new version of a file.
// Bytes go straight from the browser to S3 (transfer.js).
// A multipart upload is remembered in localStorage under the user's id, so after a reload
// choosing the same file again asks the API which parts already landed and sends only the rest;
// another user of the same browser never sees it, and logging out abandons it.

import { api, onSignedOut } from "./api.js";
import {
  forgetRecord,
  forgetUserRecords,
  loadRecords,
  sameFile,
  saveRecords,
} from "./upload-records.js";
import { Cancelled, postFile, send } from "./transfer.js";

export const MULTIPART_THRESHOLD = 16 * 1024 * 1024;
const FILE_CONCURRENCY = 2;
const PART_CONCURRENCY = 3;

let nextId = 1;

export class Upload {
  /** `record`: the unfinished multipart upload it resumes; `folderId`: where a new file goes
   * (null: the top level); `expiresIn`: seconds until a new file is deleted (null: never);
   * `versionOf`: the id of the file whose new version this is. */
  constructor(file, { record = null, folderId = null, expiresIn = null, versionOf = null } = {}) {
    this.id = nextId++;
    this.file = file;
    this.folderId = folderId;
    this.expiresIn = expiresIn;
    this.versionOf = versionOf ?? (record?.version ? record.fileId : null);
    this.name = file.name;
    this.size = file.size;
    this.loaded = 0;
    this.state = "queued"; // queued | uploading | finishing | done | failed | cancelled
    this.error = "";
    this.fileId = record?.fileId ?? this.versionOf;
    this.resumed = Boolean(record);
    this.multipart = Boolean(record) || file.size > MULTIPART_THRESHOLD;
    this.requests = new Set();
  }

  get percent() {
    if (this.state === "done") return 100;
    return this.size ? Math.min(100, Math.floor((this.loaded / this.size) * 100)) : 0;
  }

  get active() {
    return this.state === "queued" || this.state === "uploading" || this.state === "finishing";
  }
}

/** What the API is told about a new upload: name, type, size and (if any) its folder and
 * expiry; about a new version, only its type and size. */
function declared(upload) {
  const { file, folderId, expiresIn } = upload;
  const body = { contentType: file.type || "application/octet-stream", size: file.size };
  if (upload.versionOf) return body;
  return {
    fileName: file.name,
    ...body,
    ...(folderId ? { folderId } : {}),
    ...(expiresIn ? { expiresIn } : {}),
  };
}

/** The presigned POST for a new file (`{fileId, file, upload}`) or a new version (`{upload}`). */
const uploadTicket = (upload) =>
  upload.versionOf
    ? api.newVersion(upload.versionOf, declared(upload))
    : api.uploadUrl(declared(upload));

/** A multipart upload for a new file or a new version: `{fileId, partSize, parts}`. */
const multipartTicket = (upload) =>
  upload.versionOf
    ? api.startVersionMultipart(upload.versionOf, declared(upload))
    : api.startMultipart(declared(upload));

export class UploadManager extends EventTarget {
  constructor() {
    super();
    this.uploads = [];
    this.running = 0;
    window.addEventListener("beforeunload", (event) => {
      if (this.uploads.some((u) => u.active)) event.preventDefault();
    });
    // Whoever signs in next must not see (or resume) this user's uploads.
    onSignedOut(() => this.stopAll());
  }

  stopAll() {
    for (const upload of this.uploads) {
      if (!upload.active) continue;
      upload.state = "cancelled";
      for (const xhr of [...upload.requests]) xhr.abort();
    }
    this.uploads = [];
    this.emit("change", null);
  }

  /** Before logging out: stop this user's uploads and abandon the unfinished ones (their
   * quota is freed now, not when they would have expired); the records go even if the API
   * cannot be reached. */
  async abandonAll() {
    const forgetAll = forgetUserRecords();
    for (const upload of this.uploads) this.cancel(upload);
    await Promise.allSettled(loadRecords().map((record) => this.discard(record)));
    forgetAll();
    this.stopAll();
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  changed(upload) {
    this.emit("change", upload);
  }

  /** Queue files into a folder (null: the top level), each to expire after `expiresIn` seconds
   * (null: never); a file matching an interrupted multipart upload resumes it, where it was
   * started. */
  add(files, folderId = null, { expiresIn = null } = {}) {
    const active = new Set(this.uploads.filter((u) => u.active).map((u) => u.fileId));
    for (const file of files) {
      const record = loadRecords().find((r) => sameFile(r, file) && !active.has(r.fileId));
      this.queue(new Upload(file, { record, folderId, expiresIn }));
    }
  }

  /** Queue `file` as the new version of the file `fileId`; answers its Upload, to follow. */
  addVersion(file, fileId) {
    return this.queue(new Upload(file, { versionOf: fileId }));
  }

  queue(upload) {
    this.uploads.unshift(upload);
    this.changed(upload);
    this.pump();
    return upload;
  }

  /** Multipart uploads a previous page left unfinished (and this page is not running). */
  interrupted() {
    const mine = new Set(this.uploads.map((u) => u.fileId));
    return loadRecords().filter((r) => !mine.has(r.fileId));
  }

  /** Abandon an unfinished upload: a new file's pending item goes; a new version's file stays. */
  async discard(record) {
    forgetRecord(record.fileId);
    await api.abortMultipart(record.fileId).catch(() => null);
    if (record.version) return;
    await api.deleteFile(record.fileId).catch(() => null);
    this.emit("removed", record.fileId);
  }

  cancel(upload) {
    if (!upload.active) return;
    const wasMultipart = upload.multipart;
    upload.state = "cancelled";
    for (const xhr of [...upload.requests]) xhr.abort();
    this.changed(upload);
    if (upload.versionOf) {
      // The file itself stays; an unsent single version simply lapses.
      if (wasMultipart && (upload.begun || upload.resumed)) {
        forgetRecord(upload.fileId);
        api.abortMultipart(upload.fileId).catch(() => null);
      }
    } else if (upload.fileId) {
      if (wasMultipart) forgetRecord(upload.fileId);
      const cleanup = wasMultipart ? api.abortMultipart(upload.fileId) : Promise.resolve();
      cleanup
        .catch(() => null)
        .then(() => api.deleteFile(upload.fileId))
        .catch(() => null)
        .then(() => this.emit("removed", upload.fileId));
    }
  }

  retry(upload) {
    if (upload.state !== "failed") return;
    if (!upload.multipart && upload.fileId && !upload.versionOf) {
      api.deleteFile(upload.fileId).catch(() => null);
      this.emit("removed", upload.fileId);
      upload.fileId = null;
    }
    upload.state = "queued";
    upload.error = "";
    upload.loaded = 0;
    this.changed(upload);
    this.pump();
  }

  clearFinished() {
    this.uploads = this.uploads.filter((u) => u.active || u.state === "failed");
    this.emit("change", null);
  }

  pump() {
    while (this.running < FILE_CONCURRENCY) {
      const upload = [...this.uploads].reverse().find((u) => u.state === "queued");
      if (!upload) return;
      this.running += 1;
      this.run(upload).finally(() => {
        this.running -= 1;
        this.pump();
      });
    }
  }

  async run(upload) {
    upload.state = "uploading";
    this.changed(upload);
    try {
      const file = upload.multipart ? await this.multipart(upload) : await this.single(upload);
      upload.loaded = upload.size;
      upload.state = "done";
      upload.result = file;
      this.changed(upload);
      this.emit("finished", file);
    } catch (error) {
      if (upload.state === "cancelled" || error instanceof Cancelled) return;
      for (const xhr of [...upload.requests]) xhr.abort();
      upload.state = "failed";
      upload.error = error.message;
      this.changed(upload);
    }
  }

  checkCancelled(upload) {
    if (upload.state === "cancelled") throw new Cancelled("Cancelled");
  }

  async single(upload) {
    const { file } = upload;
    let created;
    try {
      created = await uploadTicket(upload);
    } catch (error) {
      if (error.code !== "file_too_large") throw error;
      upload.multipart = true; // over the single-upload limit: the API wants multipart
      return this.multipart(upload);
    }
    this.checkCancelled(upload);
    if (!upload.versionOf) {
      upload.fileId = created.fileId;
      this.emit("created", created.file);
    }
    await postFile(upload, created.upload, file, (sent) => {
      upload.loaded = sent;
      this.changed(upload);
    });
    this.checkCancelled(upload);
    upload.loaded = upload.size;
    upload.state = "finishing";
    this.changed(upload);
    return api.complete(upload.fileId);
  }

  /** The parts still to send: those the API has not got of a resumed (or retried) upload,
   * else every part of a new multipart upload. */
  async plan(upload) {
    const { file } = upload;
    if (upload.resumed || upload.begun) {
      const record = loadRecords().find((r) => r.fileId === upload.fileId);
      try {
        const status = await api.multipartStatus(upload.fileId);
        return { ...status, partSize: record?.partSize ?? upload.partSize };
      } catch (error) {
        if (error.status !== 409 && error.status !== 404) throw error;
        forgetRecord(upload.fileId); // finished or gone meanwhile: start again
        upload.fileId = upload.versionOf;
      }
    }
    const started = await multipartTicket(upload);
    upload.fileId = started.fileId;
    upload.begun = true;
    const record = {
      fileId: started.fileId,
      name: file.name,
      size: file.size,
      lastModified: file.lastModified,
      partSize: started.partSize,
      startedAt: new Date().toISOString(),
      ...(upload.versionOf ? { version: true } : {}),
    };
    saveRecords([...loadRecords(), record]);
    if (!upload.versionOf) this.emit("created", { fileId: started.fileId });
    return { uploadedParts: [], parts: started.parts, partSize: started.partSize };
  }

  async multipart(upload) {
    const plan = await this.plan(upload);
    this.checkCancelled(upload);
    upload.partSize = plan.partSize;
    const done = new Map(plan.uploadedParts.map((p) => [p.partNumber, p]));
    const inFlight = new Map();
    const progress = () => {
      let loaded = 0;
      for (const part of done.values()) loaded += part.size;
      for (const sent of inFlight.values()) loaded += sent;
      upload.loaded = loaded;
      this.changed(upload);
    };
    progress();
    const queue = [...plan.parts].sort((a, b) => a.partNumber - b.partNumber);
    let failure = null;
    const sendPart = async (part) => {
      const start = (part.partNumber - 1) * plan.partSize;
      const blob = upload.file.slice(start, Math.min(start + plan.partSize, upload.size));
      const xhr = await send(upload, "PUT", part.url, blob, (sent) => {
        inFlight.set(part.partNumber, sent);
        progress();
      });
      const etag = xhr.getResponseHeader("ETag");
      if (!etag)
        throw new Error("The storage service hid the part's ETag (bucket CORS must expose it).");
      inFlight.delete(part.partNumber);
      done.set(part.partNumber, { partNumber: part.partNumber, etag, size: blob.size });
      progress();
    };
    // After a failure no new part starts, but parts already on the wire may finish:
    // every part that lands is one fewer to send when the upload resumes.
    const worker = async () => {
      while (queue.length && !failure) {
        const part = queue.shift();
        try {
          await sendPart(part);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: PART_CONCURRENCY }, worker));
    if (failure) throw failure;
    this.checkCancelled(upload);
    upload.state = "finishing";
    this.changed(upload);
    const parts = [...done.values()]
      .sort((a, b) => a.partNumber - b.partNumber)
      .map(({ partNumber, etag }) => ({ partNumber, etag }));
    const file = await api.completeMultipart(upload.fileId, parts);
    forgetRecord(upload.fileId);
    return file;
  }
}

export const uploads = new UploadManager();
