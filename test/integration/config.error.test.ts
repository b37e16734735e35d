// Configuration, asked wrongly: every problem named, nothing half-written.
import { ErrorEnvelope, QueueList } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { asAdmin, issuePaths, useApi } from "../support/api";

describe("configuration errors", () => {
  const api = useApi("config_error");

  const put = async (path: string, body: unknown, status: number) => {
    const res = await api.app.request(path, {
      method: "PUT",
      body: JSON.stringify(body),
      headers: { ...asAdmin.headers, "content-type": "application/json" },
    });
    expect(res.status, JSON.stringify(body)).toBe(status);
    return ErrorEnvelope.parse(await res.json()).error;
  };
  const paths = (e: { issues?: { path: string }[] }) => issuePaths(e).sort();

  it("names a bad time zone, name or site", async () => {
    expect(paths(await put("/api/v1/sites/s1", { name: "", tz: "Mars/Olympus" }, 400))).toEqual([
      "name",
      "tz",
    ]);
    expect(paths(await put("/api/v1/sites/Bad%20Site", { name: "x", tz: "UTC" }, 400))).toEqual([
      "site",
    ]);
    expect(paths(await put("/api/v1/sites/s1", { name: "x", tz: "UTC", extra: 1 }, 400))).toEqual([
      "(root)",
    ]);
  });

  it("names bad parameters and refuses an empty change", async () => {
    expect(
      paths(
        await put(
          "/api/v1/sites/s1/queues/q",
          { sl_threshold_s: 0, short_abandon_s: -1, sl_target: 1.5, channel: "fax" },
          400,
        ),
      ),
    ).toEqual(["channel", "short_abandon_s", "sl_target", "sl_threshold_s"]);
    expect((await put("/api/v1/sites/s1/queues/q", {}, 400)).message).toContain(
      "nothing to change",
    );
  });

  it("refuses a version that does not start on a quarter hour or starts before the current one", async () => {
    expect(
      paths(
        await put(
          "/api/v1/sites/s2/queues/q",
          { sl_threshold_s: 30, valid_from: "2026-11-02T10:07:00+08:00" },
          400,
        ),
      ),
    ).toEqual(["valid_from"]);
    const ok = await api.app.request("/api/v1/sites/s2/queues/q", {
      method: "PUT",
      body: JSON.stringify({ sl_threshold_s: 25 }),
      headers: { ...asAdmin.headers, "content-type": "application/json" },
    });
    expect(ok.status).toBe(201);
    const v2 = await api.app.request("/api/v1/sites/s2/queues/q", {
      method: "PUT",
      body: JSON.stringify({ sl_threshold_s: 30, valid_from: "2026-11-02T10:00:00+08:00" }),
      headers: { ...asAdmin.headers, "content-type": "application/json" },
    });
    expect(v2.status).toBe(201);
    expect(
      paths(
        await put(
          "/api/v1/sites/s2/queues/q",
          { sl_threshold_s: 40, valid_from: "2026-11-02T09:45:00+08:00" },
          400,
        ),
      ),
    ).toEqual(["valid_from"]);
    // Nothing was half-written by the refusals.
    const list = QueueList.parse(
      await (await api.app.request("/api/v1/sites/s2/queues", asAdmin)).json(),
    );
    expect(list.queues[0]!.versions.map((v) => v.sl_threshold_s)).toEqual([25, 30]);
  });

  it("names bad business hours: a bad time, a close before its open, overlapping periods, an unknown day", async () => {
    expect(
      paths(
        await put(
          "/api/v1/sites/s3/hours",
          { weekly: [{ day: 1, open: "8:30", close: "20:00" }] },
          400,
        ),
      ),
    ).toEqual(["weekly.0.open"]);
    expect(
      paths(
        await put(
          "/api/v1/sites/s3/hours",
          { weekly: [{ day: 1, open: "20:00", close: "08:00" }] },
          400,
        ),
      ),
    ).toEqual(["weekly.0.close"]);
    expect(
      paths(
        await put(
          "/api/v1/sites/s3/hours",
          {
            weekly: [
              { day: 2, open: "08:00", close: "13:00" },
              { day: 2, open: "12:00", close: "18:00" },
            ],
          },
          400,
        ),
      ),
    ).toEqual(["weekly"]);
    expect(
      paths(
        await put(
          "/api/v1/sites/s3/hours",
          { weekly: [{ day: 8, open: "08:00", close: "18:00" }] },
          400,
        ),
      ),
    ).toEqual(["weekly.0.day"]);
    expect(
      paths(
        await put(
          "/api/v1/sites/s3/hours",
          { weekly: [], valid_from: "2026-11-02T10:05:00+08:00" },
          400,
        ),
      ),
    ).toEqual(["valid_from"]);
  });
});
