// What each role may do. Checked on the server for every request (middleware.ts `allow`); the
// wallboard hides what a role cannot use, but hiding is not the control.
import type { AppScreen, Role } from "@floorwatch/contracts";

export type Capability =
  | "live" // live snapshot and stream
  | "reports" // interval reports
  | "drill" // the contacts behind a number
  | "agents" // agents' current states
  | "config.read"
  | "config.write"
  | "tokens"
  | "audit"
  | "alerts.live" // the alerts pending and firing now (a TV shows them)
  | "alerts" // breaches, follow-ups: the record of what broke
  | "alerts.ack" // acknowledging an alert
  | "rules" // alert rules: read, write, backtest
  | "export"
  | "webhooks" // notification subscriptions and their delivery logs
  | "metrics"; // the service's own counters (GET /metrics), for whoever runs it

const CAN: Record<Role, readonly Capability[]> = {
  admin: [
    "live",
    "reports",
    "drill",
    "agents",
    "config.read",
    "config.write",
    "tokens",
    "audit",
    "alerts.live",
    "alerts",
    "alerts.ack",
    "rules",
    "export",
    "webhooks",
    "metrics",
  ],
  // A supervisor opens the numbers they watch (drill) and sees their agents.
  // A supervisor sets their floor's alert rules and takes on (acknowledges) its alerts.
  supervisor: [
    "live",
    "reports",
    "drill",
    "agents",
    "config.read",
    "alerts.live",
    "alerts",
    "alerts.ack",
    "rules",
  ],
  qa: ["reports", "drill", "export", "config.read", "alerts.live", "alerts"],
  // A TV shows the alerts firing on its floor, nothing of their records.
  display: ["live", "alerts.live"],
  // Integrations read alerts and breaches, never the contacts behind them (no "drill").
  // They also keep their own notification subscriptions (webhooks) for their sites.
  integration: ["alerts.live", "alerts", "config.read", "webhooks"],
};

export interface Principal {
  /** Token id (never the secret). */
  id: string;
  name: string;
  role: Role;
  sites: readonly string[] | "all";
  /** Granted personal data (unmasked phone numbers, survey comments). */
  pii: boolean;
  layout: string;
  /** 0: never. */
  expiresMs: number;
}

export const can = (p: Principal, capability: Capability) => CAN[p.role].includes(capability);

export const capabilitiesOf = (role: Role): readonly Capability[] => CAN[role];

/**
 * The wallboard screens each role opens (GET /api/v1/me). Only what the app offers: each screen's
 * calls are still checked one by one against CAN above.
 */
const SCREENS: Record<Role, readonly AppScreen[]> = {
  admin: ["supervisor", "qa", "reports", "exports", "tv"],
  supervisor: ["supervisor", "reports", "tv"],
  // The compliance packs' screen: the roles that may export (CAN's "export").
  qa: ["qa", "reports", "exports"],
  display: ["tv"],
  integration: [],
};

export const screensOf = (role: Role): readonly AppScreen[] => SCREENS[role];

export const seesSite = (p: Principal, site: string) => p.sites === "all" || p.sites.includes(site);
