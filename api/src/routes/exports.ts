// Monthly compliance packs (issue #15, docs/exports.md):
//   POST /api/v1/exports               {site, month, lang?, personal_data?} → 202, the export's record
//   GET  /api/v1/exports?site=…[&month=…] the site's exports, newest first (scheduled ones included)
//   GET  /api/v1/exports/:id           its record while queued or running (202) or failed; the zip,
//                                      streamed, once done (the record with Accept: application/json)
// Asking for and downloading a pack are both written to the audit log; a pack with personal data
// is downloaded only by a token granted pii, as it was made only for one.
import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import {
  ExportCreate,
  ExportListQuery,
  ExportParams,
  type ExportList,
} from "@floorwatch/contracts";
import type { ClickHouseClient } from "@floorwatch/sql";
import { Hono } from "hono";
import type { Audit } from "../auth/audit";
import { allow, principalOf } from "../auth/middleware";
import { ApiError } from "../errors";
import { loadSiteConfig } from "../metrics/config";
import { endedMonth, PackMonthError } from "../exports/pack";
import { type ExportService, zipExists } from "../exports/service";
import { requireSite } from "../sites";
import type { AppEnv } from "../types";
import { validate } from "../validate";

/** Retry-After (s) of a record not ready yet. */
const POLL_AFTER_S = 2;

export function exportRoutes(
  ch: ClickHouseClient,
  service: ExportService,
  audit: Audit,
  opts: { now: () => number },
) {
  return new Hono<AppEnv>()
    .post("/", validate("json", ExportCreate), async (c) => {
      const body = c.req.valid("json");
      allow(c, "export", body.site);
      await requireSite(c, body.site);
      const who = principalOf(c);
      const personalData = body.personal_data ?? who.pii;
      if (personalData && !who.pii)
        throw new ApiError("forbidden", "a pack with personal data needs a token granted pii", [
          { path: "personal_data", message: "this token is not granted personal data" },
        ]);
      const { tz } = await loadSiteConfig(ch, body.site);
      try {
        endedMonth(tz, body.month, opts.now());
      } catch (err) {
        if (!(err instanceof PackMonthError)) throw err;
        throw new ApiError("bad_request", `${body.month} has not ended in ${tz}`, [
          { path: "month", message: err.message },
        ]);
      }
      // Audited before the export exists: a pack made for a request the log missed would be an
      // unaudited read of a month (of personal data, perhaps).
      const id = randomUUID();
      await audit(c, "export", {
        site: body.site,
        target: id,
        detail: { month: body.month, lang: body.lang, personal_data: personalData },
      });
      const row = await service.create({
        id,
        site: body.site,
        month: body.month,
        lang: body.lang,
        personalData,
        trigger: "api",
        actor: { id: who.id, name: who.name },
      });
      c.header("Location", `/api/v1/exports/${row.export_id}`);
      c.header("Cache-Control", "no-store");
      return c.json(service.toRecord(row), 202);
    })
    .get("/", validate("query", ExportListQuery), async (c) => {
      const q = c.req.valid("query");
      allow(c, "export", q.site);
      await requireSite(c, q.site);
      const rows = await service.list(q.site, q.month);
      const body: ExportList = { site: q.site, exports: rows.map(service.toRecord) };
      c.header("Cache-Control", "no-store");
      return c.json(body);
    })
    .get("/:id", validate("param", ExportParams), async (c) => {
      const { id } = c.req.valid("param");
      const row = await service.get(id);
      if (!row) throw new ApiError("not_found", `no export ${id}`);
      allow(c, "export", row.site);
      c.header("Cache-Control", "no-store");
      const record = service.toRecord(row);
      const wantsRecord = /application\/json/.test(c.req.header("accept") ?? "");
      if (row.status === "queued" || row.status === "running") {
        c.header("Retry-After", String(POLL_AFTER_S));
        return c.json(record, 202);
      }
      // Failed, asked for as JSON, or made by the command line (its zip is where its operator put it).
      if (row.status !== "done" || wantsRecord || !row.path) return c.json(record);
      const who = principalOf(c);
      if (row.personal_data === 1 && !who.pii)
        throw new ApiError(
          "forbidden",
          "this pack holds personal data: it needs a token granted pii",
        );
      const path = service.pathOf(row);
      if (!(await zipExists(path)))
        throw new ApiError("not_found", `export ${id} is no longer kept; ask for the month again`);
      // Audited before a byte leaves: a download the log missed would be an unaudited read.
      await audit(c, "export", {
        site: row.site,
        target: row.export_id,
        detail: {
          month: row.month,
          lang: row.lang,
          personal_data: row.personal_data === 1,
          download: true,
        },
      });
      c.header("Content-Type", "application/zip");
      c.header("Content-Length", String(row.bytes));
      c.header(
        "Content-Disposition",
        `attachment; filename="${record.file_name}"; filename*=UTF-8''${encodeURIComponent(record.file_name)}`,
      );
      c.header("ETag", `"${row.sha256}"`);
      // RFC 9530: the receiver can check the bytes it got against the pack's recorded hash.
      c.header("Repr-Digest", `sha-256=:${Buffer.from(row.sha256, "hex").toString("base64")}:`);
      return c.body(Readable.toWeb(createReadStream(path)) as ReadableStream);
    });
}
