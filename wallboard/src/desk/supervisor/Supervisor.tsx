// The supervisor's screen (issue #14): every queue of the site with every live figure and its
// state, the alerts to take on, the follow-ups due, a queue's service-level trend, and every agent.
// Each panel reads its own API call on its own cadence (the live figures every 2 s, agents and
// alerts every 5 s, follow-ups and the trend every minute), so one slow read holds up no other.
import { LiveSnapshot } from "@floorwatch/contracts";
import { createEffect, createSignal } from "solid-js";
import { query } from "../api";
import { useDesk } from "../context";
import { ScreenRoot } from "../parts";
import { AgentsPanel } from "./AgentsPanel";
import { AlertsPanel } from "./AlertsPanel";
import { FollowupsPanel } from "./FollowupsPanel";
import { createClock, createPolled } from "./polled";
import { QueuesPanel } from "./QueuesPanel";
import { TrendPanel } from "./TrendPanel";
import "./supervisor.css";

/** The live figures: a supervisor deciding whom to move reads them within seconds. */
const LIVE_EVERY_MS = 2_000;

export default function Supervisor() {
  const desk = useDesk();
  const clock = createClock();
  const live = createPolled(
    () => desk.site() || null,
    (site, signal) => desk.api.get(`/live${query({ site })}`, LiveSnapshot, { signal }),
    { intervalMs: LIVE_EVERY_MS, timeoutMs: 8_000 },
  );
  // Ready once the queue table shows the site's first snapshot (the screen's reason to exist).
  const ready = () => live.value() !== undefined;
  // The panels below the fold draw in the frame after that one, not before it.
  const [painted, setPainted] = createSignal(false);
  createEffect(() => {
    if (ready() && !painted()) requestAnimationFrame(() => setTimeout(() => setPainted(true), 0));
  });
  return (
    <ScreenRoot name="supervisor" ready={ready()}>
      <QueuesPanel live={live} clock={clock} />
      <AlertsPanel live={live.value} />
      <FollowupsPanel live={live.value} />
      <TrendPanel live={live.value} after={painted} />
      <AgentsPanel live={live.value} clock={clock} after={painted} />
    </ScreenRoot>
  );
}
