// What every desk screen reads: the session (token, who it is), the language, the chosen site, and
// the API client bound to the session. Provided by Shell.tsx.
import { type AppScreen, DEFAULT_TIME_ZONE, type Me } from "@floorwatch/contracts";
import { createContext, useContext, type Accessor } from "solid-js";
import type { Lang } from "../i18n";
import type { Api } from "./api";

export interface SiteEntry {
  site: string;
  name: string;
  tz: string;
}

export interface Desk {
  token: Accessor<string | null>;
  /** The signed-in token as GET /api/v1/me describes it; undefined before sign-in. */
  me: Accessor<Me | undefined>;
  lang: Accessor<Lang>;
  setLang(lang: Lang): void;
  /** The site the screens show (`?site=`, else the token's first); "" before sign-in. */
  site: Accessor<string>;
  siteInfo: Accessor<SiteEntry | undefined>;
  setSite(site: string): void;
  api: Api;
  /** Keeps `token` for this browser session and asks the API who it is. */
  signIn(token: string): Promise<Me>;
  signOut(): void;
  /** The screens the token opens (the server's list; every call is still checked there). */
  opens(screen: AppScreen): boolean;
}

export const DeskContext = createContext<Desk>();

export function useDesk(): Desk {
  const desk = useContext(DeskContext);
  if (!desk) throw new Error("a desk screen rendered outside Shell");
  return desk;
}

/**
 * The zone a screen writes times in: the API answer's own `tz` when it carries one (the clock its
 * intervals and dates were worked out on), else the site's, else the default site zone. Never the
 * browser's or UTC: a centre's targets and days are kept on its own clock (four supervisor panels
 * fell back to UTC while the reports fell back to Shanghai, so one site could read two clocks).
 */
export const siteTimeZone = (site: Pick<SiteEntry, "tz"> | undefined, answerTz?: string): string =>
  answerTz ?? site?.tz ?? DEFAULT_TIME_ZONE;
