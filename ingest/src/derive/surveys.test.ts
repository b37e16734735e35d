// Hand-computed expectations for deriveSurveyFact: one fact per survey_id, the latest response by
// occurred_at (ties: the greater event_id), and -1 for a question the response did not answer.
import { describe, expect, it } from "vitest";
import { deriveSurveyFact, type SurveyEventInput } from "./surveys";

const SITE = "sh-pudong";
/** 2026-11-22 09:21:00 Shanghai time (the survey of events.md). */
const T0 = Date.parse("2026-11-22T09:21:00+08:00");

function ev(
  event_id: string,
  occurred_ms: number,
  answers: Pick<SurveyEventInput, "csat" | "nps" | "resolved">,
): SurveyEventInput {
  return {
    event_id,
    occurred_ms,
    survey_id: "s-31",
    contact_id: "c-881",
    channel: "voice",
    queue: "credit_card",
    agent_id: "a-07",
    ...answers,
  };
}

describe("survey facts", () => {
  it("a single response becomes the fact, counted at its occurred_at", () => {
    expect(deriveSurveyFact(SITE, [ev("e-5", T0, { csat: 5, nps: 9, resolved: 1 })])).toEqual({
      site: SITE,
      anchor_ms: T0,
      survey_id: "s-31",
      contact_id: "c-881",
      queue: "credit_card",
      channel: "voice",
      agent_id: "a-07",
      csat: 5,
      nps: 9,
      resolved: 1,
      event_id: "e-5",
    });
  });

  it("questions without an answer become -1 while a resolved of false stays 0", () => {
    expect(
      deriveSurveyFact(SITE, [ev("e-5", T0, { csat: 5, nps: null, resolved: null })]),
    ).toMatchObject({ csat: 5, nps: -1, resolved: -1 });
    expect(
      deriveSurveyFact(SITE, [ev("e-5", T0, { csat: null, nps: 0, resolved: 0 })]),
    ).toMatchObject({ csat: -1, nps: 0, resolved: 0 });
  });

  it("the latest response by occurred_at wins whatever the input order and event ids", () => {
    // "e-9" > "e-10" as strings, but "e-9" is older: time decides before the id
    const first = ev("e-9", T0, { csat: 2, nps: 3, resolved: 0 });
    const resent = ev("e-10", T0 + 60_000, { csat: 4, nps: null, resolved: 1 });
    const expected = { anchor_ms: T0 + 60_000, csat: 4, nps: -1, resolved: 1, event_id: "e-10" };
    expect(deriveSurveyFact(SITE, [first, resent])).toMatchObject(expected);
    expect(deriveSurveyFact(SITE, [resent, first])).toMatchObject(expected);
    expect(deriveSurveyFact(SITE, [resent, first, resent, first])).toMatchObject(expected);
  });

  it("responses of the same instant are decided by the greater event_id", () => {
    const a = ev("e-a", T0, { csat: 1, nps: null, resolved: null });
    const b = ev("e-b", T0, { csat: 3, nps: 7, resolved: null });
    const expected = { anchor_ms: T0, csat: 3, nps: 7, resolved: -1, event_id: "e-b" };
    expect(deriveSurveyFact(SITE, [a, b])).toMatchObject(expected);
    expect(deriveSurveyFact(SITE, [b, a])).toMatchObject(expected);
  });

  it("no events give no fact", () => {
    expect(deriveSurveyFact(SITE, [])).toBeNull();
  });
});
