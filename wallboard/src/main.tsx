// Entry point: read the address once, set the document language (it picks the right CJK glyphs
// and the screen reader voice), mount the wallboard.
// First: before any schema is built (the page's CSP allows no eval; see that module).
import "@floorwatch/contracts/no-eval";
import { render } from "solid-js/web";
import { App } from "./App";
import { makeTranslator } from "./i18n";
import { readParams, readToken } from "./params";
import "./styles.css";

const params = readParams(location.search, navigator.language);
const storage = (() => {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: the fragment's token works until the next reload
  }
})();
const token = readToken(location.hash, storage);
if (location.hash.includes("token="))
  history.replaceState(null, "", location.pathname + location.search);
document.documentElement.lang = params.lang;
document.title = `${params.site} · ${makeTranslator(params.lang)("product")}`;

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
render(
  () => <App site={params.site} lang={params.lang} token={token} layout={params.layout} />,
  root,
);
