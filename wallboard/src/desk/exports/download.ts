// Downloading a pack: the API wants the session's bearer token, which a plain link cannot send, so
// the zip is fetched, its SHA-256 checked in the page against the one recorded when the pack was
// made, and only then saved under the record's file name (as the CSV downloads are, csv.ts). A
// pack whose bytes differ is not saved: an auditor must never file a copy that is not the pack.
import type { ExportRecord } from "@floorwatch/contracts";
import { type Api, ApiFailure } from "../api";
import { saveFile } from "../csv";

/** A month of a large centre is tens of megabytes: the whole transfer may take minutes. */
export const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

export type Checked =
  | { kind: "verified"; sha256: string }
  | { kind: "mismatch"; actual: string; expected: string }
  /** No SubtleCrypto here: browsers offer it only to secure pages (HTTPS, or localhost). */
  | { kind: "unverifiable" };

/** null: none (a plain-HTTP page); undefined: the page's own. */
type Subtle = Pick<SubtleCrypto, "digest"> | null;

/** Lowercase hex SHA-256 of `bytes`; null where the page has no SubtleCrypto. */
export async function sha256Hex(
  bytes: BufferSource,
  subtle: Subtle = globalThis.crypto?.subtle ?? null,
): Promise<string | null> {
  if (!subtle) return null;
  const digest = new Uint8Array(await subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The bytes against the SHA-256 the pack's record holds. */
export async function checkDigest(
  bytes: BufferSource,
  expected: string | null,
  subtle?: Subtle,
): Promise<Checked> {
  const actual = await sha256Hex(bytes, subtle);
  if (actual === null || expected === null) return { kind: "unverifiable" };
  return actual === expected.toLowerCase()
    ? { kind: "verified", sha256: actual }
    : { kind: "mismatch", actual, expected };
}

/**
 * A done pack's zip. The answer must be the zip itself: a record instead (202 while not ready, the
 * record of a pack that failed since the list was read) is refused as not ready.
 */
export async function fetchPack(
  api: Pick<Api, "blob">,
  record: Pick<ExportRecord, "id" | "download">,
  signal?: AbortSignal,
): Promise<Blob> {
  const path = record.download ?? `/api/v1/exports/${record.id}`;
  const got = await api.blob(path, {
    accept: "application/zip",
    timeoutMs: DOWNLOAD_TIMEOUT_MS,
    signal,
  });
  const type = got.headers.get("content-type") ?? "";
  if (got.status !== 200 || !type.startsWith("application/zip"))
    throw new ApiFailure(got.status, "not_ready", `export ${record.id} is not ready to download`);
  return got.blob;
}

/** Fetches, checks and saves a pack; says how the check went (a mismatch is not saved). */
export async function downloadPack(
  api: Pick<Api, "blob">,
  record: Pick<ExportRecord, "id" | "download" | "sha256" | "file_name">,
  opts: { save?: (name: string, blob: Blob) => void; subtle?: Subtle; signal?: AbortSignal } = {},
): Promise<Checked> {
  const blob = await fetchPack(api, record, opts.signal);
  const bytes = await blob.arrayBuffer();
  const checked = await checkDigest(bytes, record.sha256, opts.subtle);
  opts.signal?.throwIfAborted(); // the person left the screen meanwhile: nothing is saved
  if (checked.kind !== "mismatch")
    (opts.save ?? saveFile)(record.file_name, new Blob([bytes], { type: "application/zip" }));
  return checked;
}
