// What the page is asked to show, from its address: `?site=` and `?lang=`.
import { pickLang, type Lang } from "./i18n";

export interface PageParams {
  site: string;
  lang: Lang;
}

export function readParams(search: string, browserLanguage: string | undefined): PageParams {
  const q = new URLSearchParams(search);
  return {
    site: q.get("site")?.trim() || "demo",
    lang: pickLang(q.get("lang"), browserLanguage),
  };
}
