// The replay mapping of metrics.md ("Reference data: the Anonymous Bank replay mapping"), record by
// record. Expected instants are worked out by hand: Jerusalem is +02:00 in winter, +03:00 from
// 1999-04-02 02:00 (when clocks jumped to 03:00) to 1999-09-03.
import { describe, expect, it } from "vitest";
import {
  bankEvents,
  BankFormatError,
  parseBankFile,
  queueStart,
  type BankRecord,
} from "./anonymous-bank";

const HEADER =
  "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver";
const row = (fields: string) => parseBankFile(`${HEADER}\n${fields}\n`)[0]!;
const at = (e: { occurred_at: string }) => e.occurred_at;

describe("the Anonymous Bank replay mapping", () => {
  it("turns an answered call into queued, answered, ended and wrapped-up events at the recorded times", () => {
    // From the January file: queued 06:55:26 local (+02:00) = 04:55:26Z, waited 17 s, served 54 s.
    const r = row(
      "AA0101\t33118\t27997683\t2\tPS\t990101\t6:55:20\t6:55:26\t6\t6:55:26\t6:55:43\t17\tAGENT\t6:55:43\t6:56:37\t54\tMICHAL",
    );
    const events = bankEvents(r);
    expect(events.map((e) => e.type)).toEqual([
      "contact.queued",
      "contact.answered",
      "contact.ended",
      "contact.wrapped_up",
    ]);
    expect(events.map(at)).toEqual([
      "1999-01-01T04:55:26.000Z",
      "1999-01-01T04:55:43.000Z",
      "1999-01-01T04:56:37.000Z",
      "1999-01-01T04:56:37.000Z",
    ]);
    expect(events[0]).toMatchObject({
      site: "anonymous-bank",
      contact_id: "AA0101-33118-990101",
      queue: "PS",
      channel: "voice",
      customer: { tier: "priority", id: "27997683" },
    });
    expect(events[1]).toMatchObject({ agent_id: "MICHAL" });
    expect(events[3]).toMatchObject({ disposition: "resolved", agent_id: "MICHAL" });
  });

  it("turns a hang-up in the queue into queued and abandoned", () => {
    // 0:00:36 local = 1998-12-31T22:00:36Z; abandoned 153 s later.
    const events = bankEvents(
      row(
        "AA0101\t33116\t9664491\t2\tPS\t990101\t0:00:31\t0:00:36\t5\t0:00:36\t0:03:09\t153\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
      ),
    );
    expect(events.map((e) => [e.type, at(e)])).toEqual([
      ["contact.queued", "1998-12-31T22:00:36.000Z"],
      ["contact.abandoned", "1998-12-31T22:03:09.000Z"],
    ]);
  });

  it("skips phantom calls and hang-ups that never reached a queue", () => {
    expect(
      bankEvents(
        row(
          "AA0101\t33117\t0\t0\tPS\t990101\t0:34:12\t0:34:23\t11\t0:00:00\t0:00:00\t0\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
        ),
      ),
    ).toEqual([]);
    expect(
      bankEvents(
        row(
          "AA0101\t33200\t0\t0\tPS\t990101\t9:00:00\t9:00:05\t5\t9:00:05\t9:00:10\t5\tPHANTOM\t0:00:00\t0:00:00\t0\tNO_SERVER",
        ),
      ),
    ).toEqual([]);
  });

  it("starts a call answered straight from the voice menu at vru_exit, with a wait of 0 s", () => {
    // q_start 0:00:00 on an AGENT call: start = vru_exit 7:41:26 local = 05:41:26Z; standard tier, no customer id.
    const events = bankEvents(
      row(
        "AA0101\t33119\t0\t0\tPS\t990101\t7:41:16\t7:41:26\t10\t0:00:00\t0:00:00\t0\tAGENT\t7:41:25\t7:44:53\t208\tBASCH",
      ),
    );
    expect(events.slice(0, 2).map(at)).toEqual([
      "1999-01-01T05:41:26.000Z",
      "1999-01-01T05:41:26.000Z",
    ]);
    expect(events[0]).toMatchObject({ customer: { tier: "standard" } });
    expect((events[0] as { customer: object }).customer).not.toHaveProperty("id");
  });

  it("puts a start more than an hour before vru_entry on the next day, and a smaller difference on the same day", () => {
    // Entered 23:59:30 on 1 Jan, queued 0:00:10: the next day, 1999-01-02T00:00:10+02:00.
    const crossed = row(
      "AA0101\t1\t0\t0\tPS\t990101\t23:59:30\t0:00:10\t40\t0:00:10\t0:00:20\t10\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
    );
    expect(queueStart(crossed)).toBe(Date.parse("1999-01-02T00:00:10+02:00"));
    // vru_exit 5 s before vru_entry: a recording error, the same day.
    const glitch = row(
      "AA0101\t2\t0\t0\tPS\t990101\t10:00:05\t10:00:00\t-5\t0:00:00\t0:00:00\t0\tAGENT\t10:00:00\t10:01:00\t60\tMICHAL",
    );
    expect(queueStart(glitch)).toBe(Date.parse("1999-01-01T10:00:00+02:00"));
  });

  it("reads recorded times as Jerusalem wall-clock time across the spring-forward change", () => {
    // 1999-04-02: 01:30 is still +02:00; 03:30 is already +03:00.
    expect(
      queueStart(
        row(
          "AA0101\t3\t0\t0\tPS\t990402\t1:30:00\t1:30:00\t0\t1:30:00\t1:30:10\t10\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
        ),
      ),
    ).toBe(Date.parse("1999-04-01T23:30:00Z"));
    expect(
      queueStart(
        row(
          "AA0101\t4\t0\t0\tPS\t990402\t3:30:00\t3:30:00\t0\t3:30:00\t3:30:10\t10\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER",
        ),
      ),
    ).toBe(Date.parse("1999-04-02T00:30:00Z"));
  });

  it("derives event ids from the record, so a replay run twice stores nothing twice", () => {
    const text =
      "AA0101\t33118\t27997683\t2\tPS\t990101\t6:55:20\t6:55:26\t6\t6:55:26\t6:55:43\t17\tAGENT\t6:55:43\t6:56:37\t54\tMICHAL";
    const ids = (r: BankRecord, shift = 0) => bankEvents(r, shift).map((e) => e.event_id);
    expect(ids(row(text))).toEqual(ids(row(text)));
    expect(new Set(ids(row(text))).size).toBe(4);
    expect(ids(row(text), 1000)).not.toEqual(ids(row(text)));
  });

  it("reads CRLF files and names the queue without the stray space some records carry", () => {
    const records = parseBankFile(
      `${HEADER}\r\nAA0101\t5\t0\t0\t TT\t990101\t9:00:00\t9:00:05\t5\t9:00:05\t9:00:10\t5\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER\r\n`,
    );
    expect(records).toHaveLength(1);
    expect(records[0]!.type).toBe("TT");
  });

  it("refuses a file that is not an Anonymous Bank file, naming what is wrong", () => {
    expect(() => parseBankFile("a\tb\n1\t2\n")).toThrow(BankFormatError);
    expect(() => parseBankFile(`${HEADER}\nAA0101\t1\t0\n`)).toThrow(/3 fields/);
    expect(() =>
      parseBankFile(
        `${HEADER}\nAA0101\t1\t0\t0\tPS\t990101\t9:00:00\t9:00:05\t5\t9:00:05\t9:00:10\tx\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER\n`,
      ),
    ).toThrow(/q_time/);
  });
});
