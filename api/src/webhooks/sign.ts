// Signatures of outgoing notifications (issue #13): the Standard Webhooks signature of `standard`
// requests, and the two chat robots' own request signing (DingTalk "加签", Feishu/Lark "签名校验").
// Pure functions over node:crypto, so a test can check each against the documented algorithm.
import { createHmac, randomBytes } from "node:crypto";

const SECRET_PREFIX = "whsec_";

/**
 * A new signing secret: `whsec_` + base64 of 32 random bytes, the form the Standard Webhooks
 * libraries accept as it is (they strip the prefix and base64-decode the rest into the HMAC key).
 */
export function generateSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

/** The HMAC key of a `whsec_` secret: the bytes its base64 part decodes to, not its characters. */
function standardKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const key = Buffer.from(encoded, "base64");
  // An empty key would sign with nothing a receiver could check: refuse rather than send it.
  if (key.length === 0) throw new Error("a signing secret decodes to no bytes");
  return key;
}

/**
 * The `webhook-signature` header per the Standard Webhooks specification: `v1,<base64 HMAC-SHA256
 * of "msgId.timestamp.body">` for each secret, space-separated. While a rotation's overlap lasts a
 * request carries both signatures, so a receiver still holding the old secret verifies it too.
 */
export function signStandard(
  secrets: readonly string[],
  msgId: string,
  timestampS: number,
  body: string,
): string {
  if (secrets.length === 0) throw new Error("a standard request needs at least one secret");
  const content = `${msgId}.${timestampS}.${body}`;
  return secrets
    .map(
      (s) => `v1,${createHmac("sha256", standardKey(s)).update(content, "utf8").digest("base64")}`,
    )
    .join(" ");
}

/**
 * DingTalk custom robot signing ("加签"): HMAC-SHA256 keyed by the robot's `SEC…` secret over
 * `timestamp + "\n" + secret` (the timestamp in milliseconds), base64. The caller URL-encodes it
 * into the `sign` query parameter next to `timestamp`; DingTalk refuses a timestamp more than an
 * hour from its clock. https://open.dingtalk.com/document/orgapp/customize-robot-security-settings
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac("sha256", secret).update(`${timestampMs}\n${secret}`, "utf8").digest("base64");
}

/**
 * Feishu/Lark custom bot signing ("签名校验"): `timestamp + "\n" + secret` (seconds) is the HMAC
 * KEY, over an empty message, base64 — unlike DingTalk, where the same string is the message. The
 * documentation's Java, Go and Python samples all do this (`mac.doFinal(new byte[]{})`), and a
 * signature computed DingTalk's way is answered `19021 sign match fail`.
 * https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
 */
export function feishuSign(secret: string, timestampS: number): string {
  return createHmac("sha256", `${timestampS}\n${secret}`).update(Buffer.alloc(0)).digest("base64");
}
