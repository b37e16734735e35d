// Whether an instant falls in a site's business hours (PUT /api/v1/sites/:site/hours), by the
// version of the hours in force then. A site without hours is always open: a mute must be
// configured to hold anything off.
import { OpeningTime, versionIn, wallClock } from "@floorwatch/contracts";
import { loadSiteHours, runQuery, type ClickHouseClient } from "@floorwatch/sql";

export interface HoursVersion {
  valid_from_ms: number;
  weekly: readonly OpeningTime[];
}

const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));

export function openAt(versions: readonly HoursVersion[], tz: string, ms: number): boolean {
  if (versions.length === 0 || versions[0]!.valid_from_ms > ms) return true;
  const { weekly } = versionIn(versions, ms);
  const w = wallClock(tz, ms);
  const day = new Date(Date.UTC(w.y, w.mo - 1, w.d)).getUTCDay() || 7; // ISO: Monday 1 … Sunday 7
  const now = w.h * 60 + w.mi;
  return weekly.some((o) => o.day === day && now >= minutes(o.open) && now < minutes(o.close));
}

/** The site's business-hours versions, oldest first. */
export async function loadHours(ch: ClickHouseClient, site: string): Promise<HoursVersion[]> {
  const rows = await runQuery(ch, loadSiteHours, { site });
  return rows.map((r) => ({
    valid_from_ms: r.valid_from_ms,
    weekly: OpeningTime.array().parse(JSON.parse(r.weekly)),
  }));
}
