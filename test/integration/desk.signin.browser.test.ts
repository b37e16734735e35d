// Signing in to the desk screens (issue #14) in a real Chromium against the real API: a pasted
// token and one from the address's fragment, the role and sites shown, screens offered by role
// while the server stays the judge, the language switch, and sign-out clearing the token.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seenSites, storedToken } from "../support/api";
import { launchBrowser, startWallboardServer } from "../support/browser";
import { closeDesk, openDesk, screenReady } from "../support/desk";
import { createHarness, type Harness } from "../support/harness";
import type { RunningServer } from "@floorwatch/api";

describe("signing in to the desk screens", () => {
  let h: Harness;
  let server: RunningServer;
  let browser: Browser;
  const site = "desk-signin";

  beforeAll(async () => {
    h = await createHarness("desk_signin");
    await seenSites(h.ch, [site, "desk-other"]);
    server = await startWallboardServer(h);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await h?.cleanup();
  });

  it("takes a pasted token, keeps it for the session only, shows its role and sites", async () => {
    const qa = await storedToken(h.ch, "qa", { sites: [site], name: "李质检" });
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await page.goto("/signin?lang=en");
    await screenReady(page, "signin");
    await page.fill('[data-testid="token-input"]', "fw_000000000000_not-a-real-token-at-all");
    await page.click('[data-testid="sign-in"]');
    await expect.poll(() => page.textContent('[data-testid="signin-error"]')).toContain("refused");

    await page.fill('[data-testid="token-input"]', qa.token);
    await page.click('[data-testid="sign-in"]');
    await page.waitForSelector('[data-testid="identity"][data-role="qa"]');
    expect(await page.textContent('[data-testid="identity-sites"]')).toBe(site);
    expect(await page.$('[data-testid="token-input"]')).toBeNull();
    await page.click('[data-testid="identity"] [data-nav="qa"]');
    await page.waitForURL(/\/qa$/);
    expect(await page.getAttribute('[data-testid="who"]', "data-role")).toBe("qa");
    expect(await page.textContent('[data-testid="who"]')).toContain("李质检");
    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem("floorwatch.session"),
      local: localStorage.getItem("floorwatch.token"),
    }));
    expect(stored).toEqual({ session: qa.token, local: null });
    // The navigation offers what a QA token opens, nothing of the supervisor's.
    const nav = await page.$$eval(".desk-nav [data-nav]", (els) =>
      els.map((e) => e.getAttribute("data-nav")),
    );
    expect(nav).toEqual(["qa", "reports", "exports"]);
    await context.close();
  });

  it("takes the token from the fragment, removes it from the address, and names role and sites", async () => {
    const sup = await storedToken(h.ch, "supervisor", {
      sites: [site, "desk-other"],
      name: "王主管",
    });
    const page = await openDesk(browser, server.url, "/signin", sup.token, { ready: "signin" });
    await page.waitForSelector('[data-testid="identity"][data-role="supervisor"]');
    expect(page.url()).not.toContain("token=");
    expect(await page.textContent('[data-testid="identity-role"]')).toBe("Supervisor");
    expect(await page.textContent('[data-testid="identity-sites"]')).toBe(
      "desk-other、desk-signin",
    );
    const offered = await page.$$eval('[data-testid="identity"] [data-nav]', (els) =>
      els.map((e) => e.getAttribute("data-nav")),
    );
    expect(offered).toEqual(["supervisor", "reports", "tv"]);
    await closeDesk(page);
  });

  it("shows a display token no supervisor screen, and the API refuses it the same", async () => {
    const display = await storedToken(h.ch, "display", { sites: [site] });
    const page = await openDesk(browser, server.url, `/supervisor?site=${site}`, display.token);
    await page.waitForSelector('[data-testid="forbidden"]');
    expect(await page.$('[data-screen="supervisor"]')).toBeNull();
    const status = await page.evaluate(
      async ([s, t]) =>
        (await fetch(`/api/v1/agents?site=${s}`, { headers: { authorization: `Bearer ${t}` } }))
          .status,
      [site, display.token],
    );
    expect(status).toBe(403);
    await closeDesk(page);
  });

  it("sends a person without a token to sign in, and back to where they were going", async () => {
    const qa = await storedToken(h.ch, "qa", { sites: [site] });
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await page.goto(`/reports?site=${site}&lang=en`);
    await page.waitForURL(/\/signin\?next=/);
    await page.fill('[data-testid="token-input"]', qa.token);
    await page.click('[data-testid="sign-in"]');
    await page.waitForURL((u) => u.pathname === "/reports" && u.searchParams.get("site") === site);
    await context.close();
  });

  it("switches language in place and remembers the choice", async () => {
    const sup = await storedToken(h.ch, "supervisor", { sites: [site] });
    const page = await openDesk(browser, server.url, "/signin", sup.token, { ready: "signin" });
    await page.waitForSelector('[data-testid="identity"]');
    expect(await page.textContent('[data-testid="identity-role"]')).toBe("Supervisor");
    await page.click('[data-testid="lang-switch"]');
    await expect.poll(() => page.textContent('[data-testid="identity-role"]')).toBe("班组长");
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    expect(await page.textContent('[data-testid="sign-out"]')).toBe("退出登录");
    await page.goto("/signin");
    await page.waitForSelector('[data-testid="identity"]');
    expect(await page.textContent('[data-testid="identity-role"]')).toBe("班组长");
    await closeDesk(page);
  });

  it("signs out: the token is gone from storage and the screens ask for it again", async () => {
    const sup = await storedToken(h.ch, "supervisor", { sites: [site] });
    const page = await openDesk(browser, server.url, "/signin", sup.token, { ready: "signin" });
    await page.waitForSelector('[data-testid="identity"]');
    // The session's identity is remembered for quick reloads, and goes with the token.
    expect(await page.evaluate(() => sessionStorage.getItem("floorwatch.me"))).toContain(sup.id);
    await page.click('[data-testid="sign-out"]');
    await page.waitForSelector('[data-testid="token-input"]');
    expect(await page.evaluate(() => sessionStorage.getItem("floorwatch.session"))).toBeNull();
    expect(await page.evaluate(() => sessionStorage.getItem("floorwatch.me"))).toBeNull();
    await page.goto(`/supervisor?site=${site}`);
    await page.waitForURL(/\/signin\?next=/);
    await closeDesk(page);
  });

  it("asks before a link's token replaces the session open in the browser", async () => {
    const mine = await storedToken(h.ch, "supervisor", { sites: [site], name: "王主管" });
    const theirs = await storedToken(h.ch, "qa", { sites: [site], name: "someone else" });
    const page = await openDesk(browser, server.url, "/signin", mine.token, { ready: "signin" });
    await page.waitForSelector('[data-testid="identity"][data-role="supervisor"]');
    // Same tab, a link carrying another person's token.
    await page.goto(`/supervisor?site=${site}&lang=en#token=${theirs.token}`);
    await page.waitForSelector('[data-testid="switch-session"]');
    expect(page.url()).not.toContain("token=");
    expect(await page.textContent('[data-testid="switch-session"]')).toContain("someone else");
    expect(await page.evaluate(() => sessionStorage.getItem("floorwatch.session"))).toBe(
      mine.token,
    );
    // Staying: still the supervisor, back where the link pointed.
    await page.click('[data-testid="switch-cancel"]');
    await page.waitForURL((u) => u.pathname === "/supervisor");
    expect(await page.getAttribute('[data-testid="who"]', "data-role")).toBe("supervisor");

    await page.goto(`/signin?lang=en#token=${theirs.token}`);
    await page.click('[data-testid="switch-confirm"]');
    await page.waitForSelector('[data-testid="identity"][data-role="qa"]');
    expect(await page.evaluate(() => sessionStorage.getItem("floorwatch.session"))).toBe(
      theirs.token,
    );
    await closeDesk(page);
  });

  it("keeps the token out of the browser's password manager (no password field)", async () => {
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await page.goto("/signin?lang=en");
    await screenReady(page, "signin");
    expect(await page.$$eval('input[type="password"]', (els) => els.length)).toBe(0);
    expect(await page.getAttribute('[data-testid="token-input"]', "autocomplete")).toBe("off");
    await context.close();
  });

  it("names a site the token does not see instead of showing another one's figures", async () => {
    const sup = await storedToken(h.ch, "supervisor", { sites: [site] });
    const page = await openDesk(browser, server.url, "/supervisor?site=desk-other", sup.token);
    await page.waitForSelector('[data-testid="unknown-site"]');
    expect(await page.textContent('[data-testid="unknown-site"]')).toContain("desk-other");
    expect(await page.$('[data-screen="supervisor"]')).toBeNull();
    await closeDesk(page);
  });

  it("ends the session when the token is revoked while signed in", async () => {
    const sup = await storedToken(h.ch, "supervisor", { sites: [site] });
    const page = await openDesk(browser, server.url, "/signin", sup.token, { ready: "signin" });
    await page.waitForSelector('[data-testid="identity"]');
    const res = await fetch(`${server.url}/api/v1/tokens/${sup.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${(await import("../support/api")).TEST_ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    await page.goto(`/supervisor?site=${site}`);
    await page.waitForSelector('[data-testid="signin-error"]');
    expect(page.url()).toContain("reason=refused");
    expect(await page.evaluate(() => sessionStorage.getItem("floorwatch.session"))).toBeNull();
    await closeDesk(page);
  });
});
