import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { dingtalkSign, feishuSign, generateSecret, signStandard } from "./sign";

// The Standard Webhooks specification's published example: the official JavaScript library's test
// "sign function works" (github.com/standard-webhooks/standard-webhooks,
// libraries/javascript/src/webhook.test.ts), the same vector its other libraries' tests use.
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  msgId: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestampS: 1614265330,
  payload: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

describe("Standard Webhooks signatures", () => {
  it("match the specification's published test vector", () => {
    const { secret, msgId, timestampS, payload, signature } = VECTOR;
    expect(signStandard([secret], msgId, timestampS, payload)).toBe(signature);
  });

  it("carry one v1 signature per live secret, space-separated, in the order given", () => {
    const other = generateSecret();
    const { secret, msgId, timestampS, payload, signature } = VECTOR;
    const both = signStandard([other, secret], msgId, timestampS, payload);
    const parts = both.split(" ");
    expect(parts).toHaveLength(2);
    expect(parts[0]).toBe(signStandard([other], msgId, timestampS, payload));
    expect(parts[1]).toBe(signature);
  });

  it("change with any byte of the id, the timestamp or the body", () => {
    const { secret, msgId, timestampS, payload, signature } = VECTOR;
    expect(signStandard([secret], `${msgId}x`, timestampS, payload)).not.toBe(signature);
    expect(signStandard([secret], msgId, timestampS + 1, payload)).not.toBe(signature);
    expect(signStandard([secret], msgId, timestampS, `${payload} `)).not.toBe(signature);
  });

  it("refuse to sign with no secret at all", () => {
    expect(() => signStandard([], "m", 1, "{}")).toThrow(/at least one secret/);
    expect(() => signStandard(["whsec_"], "m", 1, "{}")).toThrow(/no bytes/);
  });

  it("are made with generated secrets of 32 random bytes behind whsec_", () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), "base64")).toHaveLength(32);
    expect(a).not.toBe(b);
  });
});

describe("DingTalk robot signing", () => {
  it("is HMAC-SHA256 keyed by the secret over timestamp, newline, secret, in base64", () => {
    // The documented Python sample: hmac.new(secret, f"{timestamp}\n{secret}", sha256), base64.
    const secret = "SECthis is secret";
    const ts = 1_714_538_355_214;
    const expected = createHmac("sha256", Buffer.from(secret, "utf8"))
      .update(Buffer.from(`${ts}\n${secret}`, "utf8"))
      .digest()
      .toString("base64");
    expect(dingtalkSign(secret, ts)).toBe(expected);
    expect(dingtalkSign(secret, ts + 1)).not.toBe(expected);
  });
});

describe("Feishu robot signing", () => {
  it("uses timestamp, newline, secret as the HMAC key over an empty message", () => {
    // The documented Java sample: mac.init(stringToSign as the key); mac.doFinal(new byte[]{}).
    const secret = "nIMtb7r3N9pkXyXdtAbx6e";
    const ts = 1_599_360_473;
    const expected = createHmac("sha256", Buffer.from(`${ts}\n${secret}`, "utf8"))
      .update(new Uint8Array(0))
      .digest("base64");
    expect(feishuSign(secret, ts)).toBe(expected);
    // Not DingTalk's algorithm: the same inputs signed the other way give another signature.
    expect(feishuSign(secret, ts)).not.toBe(dingtalkSign(secret, ts));
  });
});
