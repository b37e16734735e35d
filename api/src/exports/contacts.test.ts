import { formatLocal, maskPhone } from "@floorwatch/contracts";
import { PackContactRow } from "@floorwatch/sql";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CONTACTS_COLUMNS,
  contactCells,
  localTimeOf,
  maskedPhone,
  openVisitsAsOf,
} from "./contacts";
import { localTime } from "./format";

const ZONES = [
  "Asia/Shanghai",
  "America/New_York",
  "Europe/London",
  "Asia/Kathmandu",
  "Australia/Lord_Howe",
  "America/St_Johns",
  "Pacific/Chatham",
  "Asia/Jerusalem",
];

describe("contacts.csv's local times", () => {
  it("are localTime's text for any instant, in order or not, in zones with and without daylight saving", () => {
    for (const tz of ZONES) {
      const local = localTimeOf(tz);
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 4_102_444_800_000 }), (ms) => {
          expect(local(ms)).toBe(localTime(tz, ms));
        }),
        { numRuns: 500 },
      );
    }
  });

  it("follow the clock through a daylight-saving change, instant by instant", () => {
    // New York: 2026-03-08 02:00 EST becomes 03:00 EDT; 2026-11-01 02:00 EDT becomes 01:00 EST.
    const tz = "America/New_York";
    const local = localTimeOf(tz);
    for (const start of [Date.parse("2026-03-08T06:30:00Z"), Date.parse("2026-11-01T05:30:00Z")])
      for (let ms = start; ms < start + 2 * 3_600_000; ms += 61_001)
        expect(local(ms)).toBe(formatLocal(tz, ms));
    expect(local(Date.parse("2026-03-08T07:00:00Z"))).toBe("2026-03-08T03:00:00-04:00");
    expect(local(Date.parse("2026-11-01T06:00:00.5Z"))).toBe("2026-11-01T01:00:00.500-05:00");
  });

  it("leave 0 (no such event) empty", () => {
    expect(localTimeOf("Asia/Shanghai")(0)).toBeNull();
  });
});

describe("a masked phone", () => {
  it("is maskPhone's text, digits only or not", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 1, maxLength: 20 }),
          fc.string({ unit: fc.constantFrom(..."0123456789 +-()x"), minLength: 1, maxLength: 20 }),
        ),
        (phone) => {
          expect(maskedPhone(phone)).toBe(maskPhone(phone));
        },
      ),
      { numRuns: 2_000 },
    );
    expect(maskedPhone("13812345678")).toBe("138****5678");
    expect(maskedPhone("1234567")).toBe("*******");
  });
});

describe("a contact's row", () => {
  const row: PackContactRow = [
    "c-1",
    "voice",
    "inbound",
    String(Date.parse("2026-10-31T15:59:00Z")),
    "0",
    "cu-1",
    "vip",
    "13812345678",
    "2",
    "cards;loans",
    "flowed_out;answered",
    "40;12.5",
    ";a-2",
    "a-2",
    "1",
    "300.25",
    "resolved",
    "credit_card",
    "0",
    "1",
    "2",
    "",
    "false",
    '太慢了, "really"',
    ".",
  ];
  const local = localTimeOf("Asia/Shanghai");

  it("has one cell per column, the phone masked and the comment left out without personal data", () => {
    expect(PackContactRow.parse(row)).toEqual(row);
    const cells = contactCells(local, false, row);
    expect(cells).toHaveLength(CONTACTS_COLUMNS.length);
    expect(cells[3]).toBe("2026-10-31T23:59:00+08:00");
    expect(cells[4]).toBeNull();
    expect(cells[7]).toBe("138****5678");
    expect(cells[23]).toBeNull();
  });

  it("keeps the phone and comment in a pack with personal data", () => {
    const cells = contactCells(local, true, row);
    expect(cells[7]).toBe("13812345678");
    expect(cells[23]).toBe('太慢了, "really"');
  });

  it("names every column once, in both languages", () => {
    expect(new Set(CONTACTS_COLUMNS.map((c) => c.en)).size).toBe(CONTACTS_COLUMNS.length);
    expect(new Set(CONTACTS_COLUMNS.map((c) => c.zh)).size).toBe(CONTACTS_COLUMNS.length);
    for (const c of CONTACTS_COLUMNS) expect(c.about_en && c.about_zh).toBeTruthy();
  });
});

describe("open visits", () => {
  it("are judged at the pack's clock, never past the month's end + 12 h", () => {
    const to_ms = Date.parse("2026-11-01T00:00:00+08:00");
    expect(openVisitsAsOf({ nowMs: to_ms + 3_600_000, to_ms })).toBe(to_ms + 3_600_000);
    expect(openVisitsAsOf({ nowMs: to_ms + 30 * 86_400_000, to_ms })).toBe(to_ms + 43_200_000);
  });
});
