// The desk's pure pieces: CSV as Excel reads it, site-clock formats, the API client's error and
// validation paths (a fake fetch: this is the client's own logic), and the session's path rules.
import { Me } from "@floorwatch/contracts";
import { describe, expect, it, vi } from "vitest";
import { ApiFailure, apiUrl, makeApi, query } from "./api";
import { csvCell, toCsv } from "./csv";
import { formatDateTime, formatDeskFigure, formatDuration, localDate } from "./format";
import { safeNext, screenOf } from "./session";

describe("toCsv", () => {
  it("starts with a byte-order mark and ends every line with CRLF", () => {
    const text = toCsv(["队列", "value"], [["贷款", 1]]);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1)).toBe("队列,value\r\n贷款,1\r\n");
  });

  it("quotes commas, quotes, line breaks and padded text, and doubles inner quotes", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell(" padded")).toBe('" padded"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(0)).toBe("0");
  });

  it("defuses text a spreadsheet would run as a formula, but not negative numbers", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvCell("+86 138")).toBe("'+86 138");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe("-3");
  });
});

describe("desk formats", () => {
  it("writes an instant on the site's clock, not the browser's", () => {
    expect(formatDateTime("2026-10-31T16:05:09Z", "Asia/Shanghai")).toBe("2026-11-01 00:05:09");
    expect(formatDateTime("2026-10-31T16:05:09Z", "Europe/Berlin")).toBe("2026-10-31 17:05:09");
    expect(formatDateTime(null, "UTC")).toBe("–");
    expect(localDate(Date.parse("2026-10-31T16:05:09Z"), "Asia/Shanghai")).toBe("2026-11-01");
  });

  it("writes durations as m:ss under an hour and h:mm:ss from an hour", () => {
    expect(formatDuration(59.9)).toBe("0:59");
    expect(formatDuration(3599)).toBe("59:59");
    expect(formatDuration(3600)).toBe("1:00:00");
    expect(formatDuration(3 * 3600 + 62)).toBe("3:01:02");
    expect(formatDuration(null)).toBe("–");
  });

  it("floors shares to a tenth of a percent so a miss never reads as the target", () => {
    expect(formatDeskFigure("service_level", 0.79996)).toBe("79.9%");
    expect(formatDeskFigure("csat", 0.8999)).toBe("89.9%");
    expect(formatDeskFigure("asa_s", 4000)).toBe("1:06:40");
    expect(formatDeskFigure("offered", 12)).toBe("12");
    expect(formatDeskFigure("csat", null)).toBe("–");
  });

  it("rounds shares up to a tenth of a percent where more is worse, so a breach never reads as kept", () => {
    expect(formatDeskFigure("15m.abandon_rate", 0.1004)).toBe("10.1%");
    expect(formatDeskFigure("transfer_rate", 0.12341)).toBe("12.4%");
    // On the ceiling stays on it (0.1 * 1000 is 100.00000000000001; 0.29 * 1000 is 289.99…).
    expect(formatDeskFigure("15m.abandon_rate", 0.1)).toBe("10.0%");
    expect(formatDeskFigure("abandon_rate", 0.29)).toBe("29.0%");
    expect(formatDeskFigure("15m.abandon_rate", 0.05)).toBe("5.0%");
    expect(formatDeskFigure("abandon_rate", 0)).toBe("0.0%");
  });
});

describe("makeApi", () => {
  const me: Me = {
    token_id: "0123456789ab",
    name: "x",
    role: "qa",
    sites: ["a"],
    site_list: [{ site: "a", name: "a", tz: "Asia/Shanghai" }],
    pii: false,
    expires_at: null,
    capabilities: ["reports"],
    screens: ["qa", "reports"],
  };
  const answer = (status: number, body: unknown) =>
    vi.fn(async () => new Response(JSON.stringify(body), { status }));

  it("sends the bearer token to /api/v1 and returns the validated answer", async () => {
    const fetch = answer(200, me);
    const api = makeApi({ token: () => "tk", onUnauthorized: () => {}, fetch });
    expect(await api.get("/me", Me)).toEqual(me);
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/v1/me");
    expect((init.headers as Record<string, string>).authorization).toBe("Bearer tk");
  });

  it("turns the error envelope into an ApiFailure and ends the session on a 401 only", async () => {
    const unauthorized = vi.fn();
    const forbidden = makeApi({
      token: () => "tk",
      onUnauthorized: unauthorized,
      fetch: answer(403, {
        error: { code: "forbidden", message: "a qa token may not use agents" },
      }),
    });
    await expect(forbidden.get("/agents?site=a", Me)).rejects.toMatchObject({
      status: 403,
      code: "forbidden",
      message: "a qa token may not use agents",
    });
    expect(unauthorized).not.toHaveBeenCalled();
    const refused = makeApi({
      token: () => "tk",
      onUnauthorized: unauthorized,
      fetch: answer(401, { error: { code: "unauthorized", message: "no" } }),
    });
    await expect(refused.get("/me", Me)).rejects.toBeInstanceOf(ApiFailure);
    expect(unauthorized).toHaveBeenCalledTimes(1);
  });

  it("refuses an answer that does not match the contract instead of showing it", async () => {
    const api = makeApi({
      token: () => "tk",
      onUnauthorized: () => {},
      fetch: answer(200, { x: 1 }),
    });
    await expect(api.get("/me", Me)).rejects.toMatchObject({ code: "invalid" });
  });

  it("reports an unreachable server as a network failure", async () => {
    const api = makeApi({
      token: () => null,
      onUnauthorized: () => {},
      fetch: vi.fn(async () => {
        throw new TypeError("fetch failed");
      }),
    });
    await expect(api.get("/me", Me)).rejects.toMatchObject({ status: 0, code: "network" });
  });

  it("builds query strings of the defined values and keeps drill links whole", () => {
    expect(query({ site: "a b", queue: undefined, limit: 5, empty: "" })).toBe("?site=a+b&limit=5");
    expect(query({})).toBe("");
    expect(apiUrl("/api/v1/contacts?site=a")).toBe("/api/v1/contacts?site=a");
    expect(apiUrl("/live?site=a")).toBe("/api/v1/live?site=a");
  });
});

describe("session paths", () => {
  it("maps paths to the screen the shell gates", () => {
    expect(screenOf("/qa")).toBe("qa");
    expect(screenOf("/qa/breaches/abc")).toBe("qa");
    expect(screenOf("/qanda")).toBeNull();
    expect(screenOf("/exports")).toBe("exports");
    expect(screenOf("/contacts/c-1")).toBe("contacts");
    expect(screenOf("/signin")).toBe("signin");
    expect(screenOf("/nowhere")).toBeNull();
  });

  it("returns after sign-in only to a path inside the app", () => {
    expect(safeNext("/reports?site=a")).toBe("/reports?site=a");
    expect(safeNext("//evil.example/x")).toBeNull();
    expect(safeNext("/\\evil.example")).toBeNull();
    expect(safeNext("https://evil.example")).toBeNull();
    expect(safeNext("/signin?next=/qa")).toBeNull();
    expect(safeNext(undefined)).toBeNull();
  });
});
