import { describe, expect, it } from "vitest";
import { aroundOf, contactPage, contactsHref, queuesPath } from "./links";

describe("the desk's links", () => {
  it("puts the whole API path into one query parameter of the drill page", () => {
    const path = "/api/v1/contacts?site=s&queue=a%26b&from=2026-11-02T09%3A00%3A00%2B08%3A00&to=x";
    const href = contactsHref("s 1", path);
    const url = new URL(href, "http://h");
    expect(url.pathname).toBe("/contacts");
    expect(url.searchParams.get("site")).toBe("s 1");
    expect(url.searchParams.get("drill")).toBe(path);
  });

  it("opens a contact's page around an instant, or without one", () => {
    expect(contactPage("sh-01", "c 1", "2026-11-06T01:00:00.000Z")).toBe(
      "/contacts/c%201?site=sh-01&around=2026-11-06T01%3A00%3A00.000Z",
    );
    expect(contactPage("s1", "c/1", "2026-11-02T09:02:05.5+08:00")).toBe(
      "/contacts/c%2F1?site=s1&around=2026-11-02T09%3A02%3A05.5%2B08%3A00",
    );
    expect(contactPage("sh-01", "c1", null)).toBe("/contacts/c1?site=sh-01");
  });

  it("reads the instant an API contact link is around, null without one", () => {
    expect(aroundOf("/api/v1/contacts/c%2F1?site=s&around=2026-11-27T01%3A00%3A00.000Z")).toBe(
      "2026-11-27T01:00:00.000Z",
    );
    expect(aroundOf("/api/v1/contacts/c1?site=s")).toBeNull();
  });

  it("asks a site's queues by its id, encoded", () => {
    expect(queuesPath("sh 01")).toBe("/sites/sh%2001/queues");
  });
});
