// Entry point: one page app. The TV wallboard at `/` is in the first bundle; the desk screens
// (sign-in, supervisor, QA, reports, monthly packs) load only when opened, so a TV never downloads them.
// First: before any schema is built (the page's CSP allows no eval; see that module).
import "@floorwatch/contracts/no-eval";
import { Route, Router } from "@solidjs/router";
import { lazy } from "solid-js";
import { render } from "solid-js/web";
import { takeToken } from "./desk/session";
import { Tv } from "./Tv";
import "./styles.css";

const Shell = lazy(() => import("./desk/Shell"));
const SignIn = lazy(() => import("./desk/SignIn"));
const Supervisor = lazy(() => import("./desk/supervisor/Supervisor"));
const Qa = lazy(() => import("./desk/qa/Qa"));
const Breach = lazy(() => import("./desk/qa/Breach"));
const Contact = lazy(() => import("./desk/Contact"));
const Reports = lazy(() => import("./desk/reports/Reports"));
const Contacts = lazy(() => import("./desk/Contacts"));
const Exports = lazy(() => import("./desk/exports/Exports"));

// A desk screen's `#token=` is kept and removed from the address before the router reads it:
// taken later, the router's own copy of the address would carry it on into every navigation.
if (location.pathname !== "/") takeToken();

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root");
render(
  () => (
    <Router>
      <Route path="/" component={Tv} />
      <Route component={Shell}>
        <Route path="/signin" component={SignIn} />
        <Route path="/supervisor" component={Supervisor} />
        <Route path="/qa" component={Qa} />
        <Route path="/qa/breaches/:id" component={Breach} />
        <Route path="/reports" component={Reports} />
        <Route path="/exports" component={Exports} />
        <Route path="/contacts" component={Contacts} />
        <Route path="/contacts/:id" component={Contact} />
        <Route path="*" component={lazy(() => import("./desk/NotFound"))} />
      </Route>
    </Router>
  ),
  root,
);
