// The monthly compliance pack (issue #15; docs/exports.md): what is asked for, what a pack's
// record says, and the manifest inside every pack.
import { z } from "zod";
import { SiteId } from "./primitives";

/** A calendar month of the site, YYYY-MM. */
export const Month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, "must be a month as YYYY-MM")
  .refine((m) => {
    const y = Number(m.slice(0, 4));
    return y >= 1970 && y <= 2105;
  }, "must be a month between 1970-01 and 2105-12");
export type Month = z.infer<typeof Month>;

/** The language of a pack's CSV headers and words; summary.html always carries both. */
export const ExportLang = z.enum(["en", "zh-CN"]);
export type ExportLang = z.infer<typeof ExportLang>;

/** POST /api/v1/exports */
export const ExportCreate = z
  .object({
    site: SiteId,
    month: Month,
    lang: ExportLang.default("en"),
    /**
     * Phone numbers unmasked and comments included. Defaults to the token's personal-data grant; a
     * token without it asking for true is refused (403). false makes a masked pack whatever the grant.
     */
    personal_data: z.boolean().optional(),
  })
  .strict();
export type ExportCreate = z.input<typeof ExportCreate>;

export const ExportStatus = z.enum(["queued", "running", "done", "failed"]);
export type ExportStatus = z.infer<typeof ExportStatus>;

export const ExportTrigger = z.enum(["api", "schedule", "cli"]);
export type ExportTrigger = z.infer<typeof ExportTrigger>;

/** One file of a pack, as its manifest lists it. */
export const PackFileEntry = z.object({
  name: z.string(),
  /** Data rows (CSV: without the header); summary.html and manifest.json: null. */
  rows: z.number().int().nonnegative().nullable(),
  bytes: z.number().int().nonnegative(),
  /** SHA-256 of the file's bytes, lowercase hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PackFileEntry = z.infer<typeof PackFileEntry>;

/** A definition version in force during the month (metrics.md parameters), per queue. */
export const ManifestDefinition = z.object({
  queue: z.string(),
  channel: z.string(),
  version: z.number().int(),
  valid_from: z.string(),
  sl_threshold_s: z.number(),
  short_abandon_s: z.number(),
  sl_target: z.number(),
});

/** An alert rule version in force during some of the month, with its whole condition. */
export const ManifestRule = z.object({
  rule_id: z.string(),
  version: z.number().int(),
  /** When this version took effect (RFC 3339, UTC); the shipped defaults: 1970-01-01. */
  valid_from: z.string(),
  /** The rule as it read in this version (RuleDraft); null: the version that deleted it. */
  rule: z.record(z.string(), z.unknown()).nullable(),
});

export const PACK_FORMAT = "floorwatch.compliance-pack";
export const PACK_FORMAT_VERSION = 1;

export const PackManifest = z.object({
  format: z.literal(PACK_FORMAT),
  format_version: z.literal(PACK_FORMAT_VERSION),
  site: SiteId,
  month: Month,
  tz: z.string(),
  /** The month's first and last instants as local RFC 3339 ([from, to)). */
  from: z.string(),
  to: z.string(),
  lang: ExportLang,
  personal_data: z.boolean(),
  definition_set: z.string(),
  definitions: z.array(ManifestDefinition),
  rules: z.array(ManifestRule),
  generator: z.object({ name: z.string(), version: z.string() }),
  /** The only field that differs between two packs of unchanged data. */
  generated_at: z.string(),
  files: z.array(PackFileEntry),
  /**
   * Set when an earlier pack of the same site, month and language had other data files: the month
   * was restated since. Names the earlier pack and its files' hashes.
   */
  restated: z
    .object({
      earlier_id: z.string(),
      earlier_generated_at: z.string(),
      earlier_files: z.array(PackFileEntry),
      changed: z.array(z.string()),
    })
    .nullable(),
});
export type PackManifest = z.infer<typeof PackManifest>;

/** GET /api/v1/exports/:id (JSON, before the pack is ready or when asked with Accept: application/json). */
export const ExportRecord = z.object({
  id: z.string(),
  site: SiteId,
  month: Month,
  lang: ExportLang,
  personal_data: z.boolean(),
  status: ExportStatus,
  trigger: ExportTrigger,
  requested_by: z.string(),
  requested_at: z.string(),
  finished_at: z.string().nullable(),
  /** Why it failed, when it did. */
  error: z.string().nullable(),
  /** The zip's size and SHA-256 once done. */
  bytes: z.number().int().nonnegative().nullable(),
  sha256: z.string().nullable(),
  /** The month was restated since an earlier pack (manifest.restated). */
  restated: z.boolean(),
  /** Where the zip is downloaded (this record's own address), once done. */
  download: z.string().nullable(),
  file_name: z.string(),
});
export type ExportRecord = z.infer<typeof ExportRecord>;

export const ExportList = z.object({ site: SiteId, exports: z.array(ExportRecord) });
export type ExportList = z.infer<typeof ExportList>;

export const ExportListQuery = z.object({ site: SiteId, month: Month.optional() }).strict();
export const ExportParams = z.object({
  id: z.string().regex(/^[0-9a-f-]{36}$/, "must be an export id"),
});
