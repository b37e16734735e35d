import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ApiError } from "../errors";
import { makeSealer } from "./seal";

const KEY = randomBytes(32).toString("base64");
const plain = JSON.stringify({
  url: "https://qyapi.weixin.qq.com/send?key=abc",
  secret: "whsec_x",
});

describe("sealing secrets at rest", () => {
  it("opens what it sealed, and the sealed text holds none of the plain text", () => {
    const s = makeSealer({ key: KEY });
    expect(s.available).toBe(true);
    const sealed = s.seal(plain, "wh_0123456789abcdef");
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain("key=abc");
    expect(sealed).not.toContain("whsec_");
    expect(s.open(sealed, "wh_0123456789abcdef")).toBe(plain);
  });

  it("draws a new iv each time: the same value sealed twice reads differently", () => {
    const s = makeSealer({ key: KEY });
    expect(s.seal(plain, "wh_a")).not.toBe(s.seal(plain, "wh_a"));
  });

  it("refuses to open a value under another webhook's id", () => {
    const s = makeSealer({ key: KEY });
    const sealed = s.seal(plain, "wh_0123456789abcdef");
    expect(() => s.open(sealed, "wh_fedcba9876543210")).toThrow(/another subscription/);
  });

  it("refuses a value whose ciphertext, tag or iv was altered", () => {
    const s = makeSealer({ key: KEY });
    const sealed = s.seal(plain, "wh_a");
    const parts = sealed.split(".");
    for (const i of [2, 3, 4]) {
      const bytes = Buffer.from(parts[i]!, "base64url");
      bytes[0] = bytes[0]! ^ 1;
      const altered = [...parts];
      altered[i] = bytes.toString("base64url");
      expect(() => s.open(altered.join("."), "wh_a"), `part ${i}`).toThrow();
    }
    expect(() => s.open("v1.abc", "wh_a")).toThrow(/not a sealed value/);
  });

  it("opens values sealed under a previous key, and seals new ones under the current key", () => {
    const old = makeSealer({ key: KEY });
    const sealed = old.seal(plain, "wh_a");
    const next = randomBytes(32).toString("hex");
    const rotated = makeSealer({ key: next, previous: [KEY] });
    expect(rotated.open(sealed, "wh_a")).toBe(plain);
    const resealed = rotated.seal(plain, "wh_a");
    expect(resealed.split(".")[1]).not.toBe(sealed.split(".")[1]);
    // The old key alone cannot open what the new one sealed, and names the key id it lacks.
    expect(() => old.open(resealed, "wh_a")).toThrow(resealed.split(".")[1]!);
    // Without the previous key, the old value no longer opens.
    expect(() => makeSealer({ key: next }).open(sealed, "wh_a")).toThrow(/WEBHOOK_SECRET_KEY/);
  });

  it("takes the key as base64, url-safe base64 or hex", () => {
    const raw = randomBytes(32);
    const sealed = makeSealer({ key: raw.toString("base64") }).seal(plain, "wh_a");
    expect(makeSealer({ key: raw.toString("hex") }).open(sealed, "wh_a")).toBe(plain);
    expect(makeSealer({ key: raw.toString("base64url") }).open(sealed, "wh_a")).toBe(plain);
  });

  it("refuses a malformed key naming the variable and the form, never echoing the key", () => {
    for (const bad of [
      "hunter2-not-a-key",
      randomBytes(16).toString("base64"),
      randomBytes(31).toString("hex"),
      `${randomBytes(32).toString("hex")}00`,
    ]) {
      let message = "";
      try {
        makeSealer({ key: bad });
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message, bad).toContain("WEBHOOK_SECRET_KEY");
      expect(message).toContain("base64");
      expect(message).not.toContain(bad);
    }
    expect(() => makeSealer({ key: KEY, previous: ["short"] })).toThrow(
      /WEBHOOK_SECRET_KEY_PREVIOUS/,
    );
  });

  it("without a key, is unavailable and answers 503 naming WEBHOOK_SECRET_KEY", () => {
    const s = makeSealer({});
    expect(s.available).toBe(false);
    for (const f of [() => s.seal(plain, "wh_a"), () => s.open("v1.x.y.z.w", "wh_a")]) {
      try {
        f();
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(ApiError);
        expect((err as ApiError).code).toBe("unavailable");
        expect((err as ApiError).message).toContain("WEBHOOK_SECRET_KEY");
      }
    }
  });
});
