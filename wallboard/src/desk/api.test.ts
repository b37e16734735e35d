import { describe, expect, it } from "vitest";
import { ApiFailure, errorText, makeApi } from "./api";
import { common, translate } from "./i18n";

describe("errorText", () => {
  const zh = translate(common, () => "zh-CN");

  it("says a network failure and a timeout in the person's language", () => {
    expect(errorText(new ApiFailure(0, "network", "Failed to fetch"), zh)).toBe("无法连接服务器");
    expect(errorText(new ApiFailure(0, "timeout", "aborted"), zh)).toBe("服务器响应超时");
  });

  it("gives the API's own message for its refusals, and any other error's message", () => {
    expect(
      errorText(new ApiFailure(403, "forbidden", "This token may not read breaches"), zh),
    ).toBe("This token may not read breaches");
    expect(errorText(new Error("boom"), zh)).toBe("boom");
    expect(errorText("plain", zh)).toBe("plain");
  });
});

describe("makeApi blob", () => {
  const answer = (body: BodyInit | null, init: ResponseInit) => async () =>
    new Response(body, init);

  it("reads a file with the session's token and the asked type, keeping the answer's headers", async () => {
    let seen: RequestInit | undefined;
    let url = "";
    const api = makeApi({
      token: () => "tok",
      onUnauthorized: () => {},
      fetch: async (u, init) => {
        url = String(u);
        seen = init;
        return new Response(new Uint8Array([80, 75, 3, 4]), {
          status: 200,
          headers: { "content-type": "application/zip", etag: '"abc"' },
        });
      },
    });
    const got = await api.blob("/exports/x", { accept: "application/zip", timeoutMs: 1_000 });
    expect(url).toBe("/api/v1/exports/x");
    expect(seen?.headers).toMatchObject({ accept: "application/zip", authorization: "Bearer tok" });
    expect([...new Uint8Array(await got.blob.arrayBuffer())]).toEqual([80, 75, 3, 4]);
    expect([got.status, got.headers.get("etag")]).toEqual([200, '"abc"']);
  });

  it("turns a refusal into the envelope's failure, and a 401 ends the session", async () => {
    const envelope = (code: string) =>
      JSON.stringify({ error: { code, message: `no: ${code}`, requestId: "r" } });
    let ended = 0;
    const refusing = (status: number, code: string) =>
      makeApi({
        token: () => "tok",
        onUnauthorized: () => ended++,
        fetch: answer(envelope(code), { status }),
      });
    const forbidden = refusing(403, "forbidden").blob("/exports/x", {
      accept: "application/zip",
      timeoutMs: 1_000,
    });
    await expect(forbidden).rejects.toMatchObject({ status: 403, code: "forbidden" });
    await expect(
      refusing(401, "unauthorized").blob("/exports/x", { accept: "*/*", timeoutMs: 1_000 }),
    ).rejects.toBeInstanceOf(ApiFailure);
    expect(ended).toBe(1);
  });
});
