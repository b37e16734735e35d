// A person's session: the token pasted on the sign-in screen or brought in the address's fragment
// (`#token=…`), kept in sessionStorage only (gone when the browser closes; never sent anywhere but
// the API's Authorization header), and the language they chose (kept across sessions).
import type { AppScreen } from "@floorwatch/contracts";
import { pickLang, type Lang } from "../i18n";
import { readToken, SESSION_KEY } from "../params";
import { readStored, removeStored, writeStored } from "../storage";
export const LANG_KEY = "floorwatch.lang";

/** The token stored for this browser session, if any. */
export function sessionToken(): string | null {
  return readStored("sessionStorage", SESSION_KEY);
}

/** A fragment's token that would replace another open session: the sign-in screen asks first. */
let pending: string | null = null;

/**
 * Takes `#token=…` out of the address (so it is not on screen, in the history or carried into
 * later navigation). It becomes the session's token at once when no other session is open here;
 * a different open session is not replaced silently (a link could otherwise sign a person in as
 * someone else, and their acknowledgements would carry that name): it waits in `pendingToken`.
 */
export function takeToken(): void {
  if (!location.hash.includes("token=")) return;
  const fromHash = readToken(location.hash, null);
  history.replaceState(history.state, "", location.pathname + location.search);
  if (!fromHash) return;
  const current = sessionToken();
  if (!current || current === fromHash) storeToken(fromHash);
  else pending = fromHash;
}

export const pendingToken = (): string | null => pending;

export function dropPending(): void {
  pending = null;
}

/** Keeps the session's token (storage disabled: it lives in memory until the page is reloaded). */
export function storeToken(token: string): void {
  writeStored("sessionStorage", SESSION_KEY, token);
}

/** The last GET /me answer of the session's token, so a reload paints before /me answers again. */
const ME_KEY = "floorwatch.me";

export function forgetToken(): void {
  removeStored("sessionStorage", SESSION_KEY, ME_KEY);
}

/** Keeps `token`'s /me answer for a reload (storage disabled: every load asks /me first). */
export function rememberMe(token: string, me: unknown): void {
  writeStored("sessionStorage", ME_KEY, JSON.stringify({ token, me }));
}

/** The remembered /me answer of `token` (unvalidated: the caller parses it), else null. */
export function recalledMe(token: string): unknown {
  try {
    const raw = JSON.parse(readStored("sessionStorage", ME_KEY) ?? "null") as {
      token?: unknown;
      me?: unknown;
    } | null;
    return raw && raw.token === token ? raw.me : null;
  } catch {
    return null;
  }
}

/** `?lang=` wins, then the language chosen last time, then the browser's. */
export function initialLang(search: string): Lang {
  const param = new URLSearchParams(search).get("lang");
  return pickLang(param ?? readStored("localStorage", LANG_KEY), navigator.language);
}

/** Keeps the language chosen (no storage: the choice lasts this page). */
export function rememberLang(lang: Lang): void {
  writeStored("localStorage", LANG_KEY, lang);
}

/**
 * The screen a path belongs to (the shell gates it by role): `/qa` and `/qa/…` are the QA screen's,
 * `/contacts…` the drill pages (any token that may drill); null for a path that is no screen.
 */
export function screenOf(path: string): AppScreen | "contacts" | "signin" | null {
  const first = path.split("/")[1] ?? "";
  if (first === "signin") return "signin";
  if (
    first === "supervisor" ||
    first === "qa" ||
    first === "reports" ||
    first === "exports" ||
    first === "contacts"
  )
    return first;
  return null;
}

/** A `next` that stays inside this app (never an absolute or protocol-relative address). */
export const safeNext = (next: unknown): string | null =>
  typeof next === "string" && /^\/(?![/\\])/.test(next) && !next.startsWith("/signin")
    ? next
    : null;
