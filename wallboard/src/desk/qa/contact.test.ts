import type { ContactDetail } from "@floorwatch/contracts";
import { describe, expect, it } from "vitest";
import { timelineOf } from "./contact";

const detail: ContactDetail = {
  site: "sh-01",
  contact_id: "c1",
  customer: { id: "cu1", tier: "vip", phone: "138****5678" },
  events: [
    {
      event_id: "e1",
      type: "contact.queued",
      at: "2026-11-07T10:00:00+08:00",
      queue: "cards",
      agent_id: "",
      detail: { customer_phone: "138****5678", channel: "voice", customer_tier: "vip" },
    },
    {
      event_id: "e2",
      type: "contact.answered",
      at: "2026-11-07T10:01:00+08:00",
      queue: "cards",
      agent_id: "a-7",
      detail: {},
    },
    {
      event_id: "e0",
      type: "contact.transferred",
      at: "2026-11-07T10:01:00+08:00",
      queue: "cards",
      agent_id: "a-7",
      detail: { to_queue: "loans", zeta: "z", alpha: "" },
    },
  ],
  visits: [],
  handling: [],
  surveys: [
    {
      survey_id: "s1",
      at: "2026-11-07T02:00:30Z",
      agent_id: "a-7",
      csat: 1,
      nps: null,
      resolved: false,
      comment: null,
    },
    {
      survey_id: "s0",
      at: "2026-11-07T10:01:00+08:00",
      agent_id: "a-7",
      csat: null,
      nps: 9,
      resolved: null,
      comment: "很好",
    },
  ],
  unmasked: false,
};

describe("a contact's timeline", () => {
  it("puts events and surveys in the order they happened, whatever the offsets", () => {
    // s1 at 02:00:30 UTC is 10:00:30 in Shanghai: between the queued and the answer.
    expect(timelineOf(detail).map((i) => i.key)).toEqual([
      "e1",
      "survey:s1",
      "e2",
      "e0",
      "survey:s0",
    ]);
  });

  it("keeps the API's order of events at one instant, and events before surveys", () => {
    const sameInstant = timelineOf(detail).filter((i) => i.at.endsWith("10:01:00+08:00"));
    expect(sameInstant.map((i) => i.key)).toEqual(["e2", "e0", "survey:s0"]);
  });

  it("lists an event's details in a fixed order, empty ones left out", () => {
    const items = timelineOf(detail);
    const queued = items.find((i) => i.key === "e1");
    const transferred = items.find((i) => i.key === "e0");
    expect(queued?.detail).toEqual([
      ["channel", "voice"],
      ["customer_tier", "vip"],
      ["customer_phone", "138****5678"],
    ]);
    expect(transferred?.detail).toEqual([
      ["to_queue", "loans"],
      ["zeta", "z"],
    ]);
  });

  it("gives a survey its scores, resolution and comment, leaving out what it did not answer", () => {
    const items = timelineOf(detail);
    expect(items.find((i) => i.key === "survey:s1")).toMatchObject({
      kind: "survey",
      type: "survey.completed",
      agent_id: "a-7",
      detail: [
        ["csat", "1"],
        ["resolved", "no"],
      ],
    });
    expect(items.find((i) => i.key === "survey:s0")?.detail).toEqual([
      ["nps", "9"],
      ["comment", "很好"],
    ]);
  });
});
