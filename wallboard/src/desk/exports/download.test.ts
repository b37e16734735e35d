import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ApiFailure } from "../api";
import { checkDigest, downloadPack, sha256Hex } from "./download";

const hex = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
const bytes = new TextEncoder().encode("PK\u0003\u0004 a pack's bytes");
const zipAnswer = (body: Uint8Array<ArrayBuffer>, status = 200, type = "application/zip") => ({
  blob: async () => ({
    blob: new Blob([body]),
    status,
    headers: new Headers({ "content-type": type }),
  }),
});
const record = (sha256: string | null) => ({
  id: "e1",
  download: "/api/v1/exports/e1",
  sha256,
  file_name: "floorwatch_s_2026-10_en.zip",
});

describe("a pack's SHA-256 in the page", () => {
  it("equals node's for the same bytes", async () => {
    expect(await sha256Hex(bytes)).toBe(hex(bytes));
    // The empty input's well-known digest.
    expect(await sha256Hex(new Uint8Array())).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
  });

  it("says verified, a mismatch with both hashes, or that the page cannot check", async () => {
    expect(await checkDigest(bytes, hex(bytes).toUpperCase())).toEqual({
      kind: "verified",
      sha256: hex(bytes),
    });
    expect(await checkDigest(bytes, "0".repeat(64))).toEqual({
      kind: "mismatch",
      actual: hex(bytes),
      expected: "0".repeat(64),
    });
    expect(await checkDigest(bytes, hex(bytes), null)).toEqual({ kind: "unverifiable" });
  });
});

describe("downloadPack", () => {
  it("saves the bytes under the record's file name once their hash is the recorded one", async () => {
    const saved: [string, Blob][] = [];
    const got = await downloadPack(zipAnswer(bytes), record(hex(bytes)), {
      save: (name, blob) => saved.push([name, blob]),
    });
    expect(got.kind).toBe("verified");
    expect(saved.map(([name]) => name)).toEqual(["floorwatch_s_2026-10_en.zip"]);
    expect(new Uint8Array(await saved[0]![1].arrayBuffer())).toEqual(bytes);
  });

  it("does not save bytes whose hash differs from the record's", async () => {
    let saves = 0;
    const got = await downloadPack(zipAnswer(bytes), record("f".repeat(64)), {
      save: () => saves++,
    });
    expect(got).toMatchObject({ kind: "mismatch", actual: hex(bytes) });
    expect(saves).toBe(0);
  });

  it("saves without a check where the page has no SubtleCrypto, and says so", async () => {
    let saves = 0;
    const got = await downloadPack(zipAnswer(bytes), record(hex(bytes)), {
      save: () => saves++,
      subtle: null,
    });
    expect(got).toEqual({ kind: "unverifiable" });
    expect(saves).toBe(1);
  });

  it("refuses an answer that is the record instead of the zip (not ready, or failed since)", async () => {
    const json = new TextEncoder().encode('{"status":"running"}');
    for (const [status, type] of [
      [202, "application/json"],
      [200, "application/json"],
    ] as const) {
      let saves = 0;
      const got = downloadPack(zipAnswer(json, status, type), record(hex(json)), {
        save: () => saves++,
      });
      await expect(got).rejects.toBeInstanceOf(ApiFailure);
      await expect(got).rejects.toMatchObject({ code: "not_ready", status });
      expect(saves).toBe(0);
    }
  });
});
