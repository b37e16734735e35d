// Sealing of what a subscription must keep but nobody may read back (issue #13): its URL (a chat
// robot's URL holds the robot's key), its signing secrets and the robot's own secret. Signing needs
// the secret itself, so it cannot be hashed like an API token; it is encrypted instead, with
// AES-256-GCM under WEBHOOK_SECRET_KEY, so a copy of the database (a backup, a support dump) holds
// nothing that can post to a robot or forge a signature.
//
// A sealed value reads `v1.<key id>.<iv>.<tag>.<ciphertext>` (base64url). The key id (the first 8
// hex digits of the key's SHA-256, which says nothing of the key) picks which key opens it, so an
// operator can change WEBHOOK_SECRET_KEY and keep the old one in WEBHOOK_SECRET_KEY_PREVIOUS until
// every subscription has been written again. The additional data is the webhook's id: a sealed
// blob copied into another subscription's row does not open there, so write access to the table
// alone cannot point one subscription's secrets at another's URL.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { ApiError } from "../errors";

export interface Sealer {
  /** false without WEBHOOK_SECRET_KEY: then seal and open answer 503. */
  available: boolean;
  seal(plain: string, aad: string): string;
  open(sealed: string, aad: string): string;
}

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The 32 bytes of a key given as base64 (standard or url-safe, padded or not) or 64 hex digits.
 * The error names the variable and the expected form, never the value: it ends up in logs.
 */
function parseKey(text: string, variable: string): Buffer {
  const s = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, "hex");
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(s)) {
    const key = Buffer.from(s.replace(/-/g, "+").replace(/_/g, "/"), "base64");
    if (key.length === 32) return key;
  }
  throw new Error(
    `${variable} must be 32 random bytes as base64 (44 characters, e.g. \`openssl rand -base64 32\`) or as 64 hex digits`,
  );
}

/** The 503 of everything that needs the key (writes, sending) while none is set. */
export const keyMissing = () =>
  new ApiError(
    "unavailable",
    "webhooks need WEBHOOK_SECRET_KEY (32 random bytes, base64) to keep their URLs and secrets encrypted; the operator has not set it",
  );

const keyIdOf = (key: Buffer) => createHash("sha256").update(key).digest("hex").slice(0, 8);

export function makeSealer(opts: { key?: string; previous?: string[] }): Sealer {
  const keys = new Map<string, Buffer>();
  let current: { id: string; key: Buffer } | null = null;
  if (opts.key?.trim()) {
    const key = parseKey(opts.key, "WEBHOOK_SECRET_KEY");
    current = { id: keyIdOf(key), key };
    keys.set(current.id, key);
  }
  for (const p of opts.previous ?? []) {
    if (!p.trim()) continue;
    const key = parseKey(p, "WEBHOOK_SECRET_KEY_PREVIOUS");
    if (!keys.has(keyIdOf(key))) keys.set(keyIdOf(key), key);
  }

  return {
    available: current !== null,
    seal(plain, aad) {
      if (!current) throw keyMissing();
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", current.key, iv);
      cipher.setAAD(Buffer.from(aad, "utf8"));
      const ct = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, current.id, ...[iv, tag, ct].map((b) => b.toString("base64url"))].join(".");
    },
    open(sealed, aad) {
      if (!current) throw keyMissing();
      const parts = sealed.split(".");
      if (parts.length !== 5 || parts[0] !== VERSION)
        throw new Error("not a sealed value (v1.<key id>.<iv>.<tag>.<ciphertext>)");
      const [, keyId, iv64, tag64, ct64] = parts as [string, string, string, string, string];
      const key = keys.get(keyId);
      if (!key)
        throw new Error(
          `sealed under key ${keyId}, which is neither WEBHOOK_SECRET_KEY nor one of WEBHOOK_SECRET_KEY_PREVIOUS`,
        );
      const iv = Buffer.from(iv64, "base64url");
      const tag = Buffer.from(tag64, "base64url");
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
        throw new Error("a sealed value's iv or tag has the wrong length");
      const decipher = createDecipheriv("aes-256-gcm", key, iv);
      decipher.setAAD(Buffer.from(aad, "utf8"));
      decipher.setAuthTag(tag);
      try {
        return Buffer.concat([
          decipher.update(Buffer.from(ct64, "base64url")),
          decipher.final(),
        ]).toString("utf8");
      } catch {
        // Node's own message ("Unsupported state or unable to authenticate data") says nothing
        // useful; this one says what to look for.
        throw new Error(
          `a sealed value did not open under key ${keyId}: it was altered, or belongs to another subscription than ${aad}`,
        );
      }
    },
  };
}
