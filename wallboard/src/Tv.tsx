// The TV route (`/`): read the address once, keep the screen's display token (localStorage: a TV
// is set up once, then left running), set the document's language, show the wallboard.
import { App } from "./App";
import { makeTranslator } from "./i18n";
import { readParams, readToken, SESSION_KEY } from "./params";

export function Tv() {
  const params = readParams(location.search, navigator.language);
  const storage = (() => {
    try {
      return window.localStorage;
    } catch {
      return null; // storage disabled: the fragment's token works until the next reload
    }
  })();
  // A TV's own token; else a person signed in at a desk screen who opened the TV from there.
  const token =
    readToken(location.hash, storage) ??
    (() => {
      try {
        return window.sessionStorage.getItem(SESSION_KEY);
      } catch {
        return null;
      }
    })();
  if (location.hash.includes("token="))
    history.replaceState(null, "", location.pathname + location.search);
  document.documentElement.lang = params.lang;
  document.title = `${params.site} · ${makeTranslator(params.lang)("product")}`;
  return <App site={params.site} lang={params.lang} token={token} layout={params.layout} />;
}
