// The TV route (`/`): read the address once, keep the screen's display token (localStorage: a TV
// is set up once, then left running), set the document's language, show the wallboard.
import { App } from "./App";
import { makeTranslator } from "./i18n";
import { readParams, readToken, SESSION_KEY } from "./params";
import { readStored, storageOf } from "./storage";

export function Tv() {
  const params = readParams(location.search, navigator.language);
  // A TV's own token (storage disabled: the fragment's works until the next reload); else a person
  // signed in at a desk screen who opened the TV from there.
  const token =
    readToken(location.hash, storageOf("localStorage")) ??
    readStored("sessionStorage", SESSION_KEY);
  if (location.hash.includes("token="))
    history.replaceState(null, "", location.pathname + location.search);
  document.documentElement.lang = params.lang;
  document.title = `${params.site} · ${makeTranslator(params.lang)("product")}`;
  return <App site={params.site} lang={params.lang} token={token} layout={params.layout} />;
}
