import { describe, expect, it } from "vitest";
import {
  contactHref,
  drillFigure,
  PAGE_SIZE,
  pagePath,
  parseDrill,
  visitCells,
  visitKey,
} from "./drill";

const base =
  "/api/v1/contacts?site=s1&queue=cards&from=2026-11-02T09%3A00%3A00%2B08%3A00&to=2026-11-02T10%3A00%3A00%2B08%3A00";

describe("drill links of the contacts list", () => {
  it("takes a contacts query of the page's site with its queue and period", () => {
    const check = parseDrill(`${base}&outcome=abandoned`, "s1");
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.target).toMatchObject({
      queue: "cards",
      from: "2026-11-02T09:00:00+08:00",
      to: "2026-11-02T10:00:00+08:00",
      single: false,
    });
  });

  it("refuses a link to anything but the contacts list, of another site, or without a period", () => {
    expect(parseDrill(undefined, "s1")).toEqual({ ok: false, reason: "missing" });
    expect(parseDrill("/api/v1/tokens?site=s1", "s1")).toEqual({
      ok: false,
      reason: "not_contacts",
    });
    expect(parseDrill("/api/v1/contacts/c1?site=s1", "s1")).toEqual({
      ok: false,
      reason: "not_contacts",
    });
    expect(parseDrill("https://evil.example/api/v1/contacts?site=s1", "s1")).toEqual({
      ok: false,
      reason: "not_contacts",
    });
    expect(parseDrill("/api/v1/contacts?x=/../../tokens&site=s1", "s1")).toMatchObject({
      ok: false,
    });
    expect(parseDrill(base, "s2")).toEqual({ ok: false, reason: "other_site" });
    expect(parseDrill("/api/v1/contacts?site=s1&queue=cards", "s1")).toEqual({
      ok: false,
      reason: "incomplete",
    });
  });

  it("pages with the API's cursor and unmasks only when the page asks", () => {
    const check = parseDrill(`${base}&outcome=offered&unmask=true&cursor=old`, "s1");
    if (!check.ok) throw new Error("refused");
    const first = new URL(pagePath(check.target, null, false), "http://h");
    expect(first.pathname).toBe("/api/v1/contacts");
    expect(first.searchParams.get("unmask")).toBeNull();
    expect(first.searchParams.get("cursor")).toBeNull();
    expect(first.searchParams.get("limit")).toBe(String(PAGE_SIZE));
    expect(first.searchParams.get("from")).toBe("2026-11-02T09:00:00+08:00");
    const next = new URL(pagePath(check.target, "abc", true), "http://h");
    expect(next.searchParams.get("cursor")).toBe("abc");
    expect(next.searchParams.get("unmask")).toBe("true");
  });

  it("keeps the one visit a longest-wait link means, and a link's own page size", () => {
    const check = parseDrill(`${base}&outcome=offered&sort=longest_wait&limit=1`, "s1");
    if (!check.ok) throw new Error("refused");
    expect(check.target.single).toBe(true);
    const limits = (path: string) => new URL(path, "http://h").searchParams.getAll("limit");
    expect(limits(pagePath(check.target, null, false))).toEqual(["1"]);
    const paged = parseDrill(`${base}&outcome=offered&limit=2`, "s1");
    if (!paged.ok) throw new Error("refused");
    expect(paged.target.single).toBe(false);
    expect(limits(pagePath(paged.target, "c", false))).toEqual(["2"]);
  });

  it("names the figure a link lists", () => {
    const fig = (q: string) => drillFigure(new URLSearchParams(q));
    expect(fig("outcome=offered")).toBe("offered");
    expect(fig("")).toBe("offered");
    expect(fig("outcome=answered&within_sl=true")).toBe("answered_within_sl");
    expect(fig("outcome=answered&within_sl=false")).toBe("answered_outside_sl");
    expect(fig("outcome=abandoned&short_abandon=false")).toBe("abandoned_after_short");
    expect(fig("outcome=abandoned&short_abandon=true")).toBe("short_abandoned");
    expect(fig("outcome=callback")).toBe("callbacks");
    expect(fig("outcome=offered&sort=longest_wait&limit=1")).toBe("max_wait_s");
  });

  it("keys, links and exports a visit on the site's clock", () => {
    const v = {
      contact_id: "c 1",
      queue: "cards",
      channel: "voice",
      outcome: "abandoned",
      started_at: "2026-11-02T09:02:00+08:00",
      ended_at: "2026-11-02T09:02:05.5+08:00",
      wait_s: 5.5,
      within_sl: null,
      short_abandon: false,
      agent_id: "",
      tier: "standard",
      customer_phone: "138****5678",
      detail: "/api/v1/contacts/c%201?site=s1",
    };
    expect(visitKey(v)).toBe("c 1|2026-11-02T09:02:00+08:00");
    expect(contactHref("s1", v)).toBe(
      "/contacts/c%201?site=s1&around=2026-11-02T09%3A02%3A05.5%2B08%3A00",
    );
    expect(visitCells(v, "Asia/Shanghai")).toEqual([
      "c 1",
      "cards",
      "voice",
      "abandoned",
      "2026-11-02 09:02:00",
      "2026-11-02 09:02:05",
      5.5,
      null,
      false,
      "",
      "standard",
      "138****5678",
    ]);
  });
});
