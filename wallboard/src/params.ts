// What the page is asked to show, from its address: `?site=` and `?lang=`; and the screen's access
// token, from `#token=` (a fragment never reaches a server, a proxy or an access log).
import { pickLang, type Lang } from "./i18n";

export interface PageParams {
  site: string;
  lang: Lang;
  /** `?layout=`: which layout to show, honoured for admin and supervisor tokens only. */
  layout: string | null;
}

export function readParams(search: string, browserLanguage: string | undefined): PageParams {
  const q = new URLSearchParams(search);
  return {
    site: q.get("site")?.trim() || "demo",
    lang: pickLang(q.get("lang"), browserLanguage),
    layout: q.get("layout")?.trim() || null,
  };
}

/** Where a screen keeps its token between reloads (a TV is set up once, then left running). */
export const TOKEN_KEY = "floorwatch.token";

/** Where a signed-in person's token is kept for the browser session only (desk/session.ts). */
export const SESSION_KEY = "floorwatch.session";

/**
 * The token of `#token=…` (remembered in `storage`), else the one remembered. The caller removes
 * the fragment from the address bar afterwards, so the token is not on screen or in a photo of it.
 */
export function readToken(
  hash: string,
  storage: Pick<Storage, "getItem" | "setItem"> | null,
  key = TOKEN_KEY,
): string | null {
  const fromHash = new URLSearchParams(hash.replace(/^#/, "")).get("token")?.trim();
  if (fromHash) {
    try {
      storage?.setItem(key, fromHash);
    } catch {
      // Storage full or disabled (a kiosk profile): the token still works until the next reload.
    }
    return fromHash;
  }
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}
