// What every desk screen reads: the session (token, who it is), the language, the chosen site, and
// the API client bound to the session. Provided by Shell.tsx.
import type { AppScreen, Me } from "@floorwatch/contracts";
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
