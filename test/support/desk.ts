// The desk screens (issue #14) in Debian's Chromium: open a screen signed in with a token the way a
// person does (the token in the address's fragment, kept in sessionStorage), and wait for the
// screen's own "ready" mark (ScreenRoot: data-ready="true"), never a timer.
import type { Browser, Page } from "playwright-core";

export type DeskLang = "en" | "zh-CN";

export interface OpenOptions {
  lang?: DeskLang;
  viewport?: { width: number; height: number };
  /** Wait for `[data-screen=…][data-ready=true]` of this screen (default: none). */
  ready?: string;
  timeoutMs?: number;
}

/** `path` with `lang` added to its query and `#token=` as its fragment. */
export function deskUrl(base: string, path: string, token: string, lang: DeskLang = "en"): string {
  const u = new URL(path, base);
  if (!u.searchParams.has("lang")) u.searchParams.set("lang", lang);
  return `${u.pathname}${u.search}#token=${encodeURIComponent(token)}`;
}

/** A new page (its own browser context: its own sessionStorage) at `path`, signed in with `token`. */
export async function openDesk(
  browser: Browser,
  base: string,
  path: string,
  token: string,
  opts: OpenOptions = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1600, height: 1000 },
    locale: opts.lang === "zh-CN" ? "zh-CN" : "en-US",
    baseURL: base,
  });
  const page = await context.newPage();
  await page.goto(deskUrl(base, path, token, opts.lang));
  if (opts.ready) await screenReady(page, opts.ready, opts.timeoutMs);
  return page;
}

/** Waits until the screen `name` has shown its data (ScreenRoot's data-ready). */
export async function screenReady(page: Page, name: string, timeoutMs = 30_000): Promise<void> {
  await page.waitForSelector(`[data-screen="${name}"][data-ready="true"]`, { timeout: timeoutMs });
}

/** Closes the page's whole context (its storage with it). */
export const closeDesk = (page: Page) => page.context().close();
