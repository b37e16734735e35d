// pii_access.csv of the monthly pack: every read of personal data at the site in the month, from
// the audit log (api/src/auth/audit.ts): phones and comments shown unmasked through the API
// (`pii.read`), and packs exported with personal data (`export` with personal_data true). An
// audit month can be large, so it is read a page at a time and never held whole.
import { loadPersonalDataReads, runQuery } from "@floorwatch/sql";
import { localTime } from "./format";
import type { Cell, Column, PackContext, TableFile } from "./types";

/** Audit entries per statement. */
export const AUDIT_PAGE = 5_000;
/** The most entries one millisecond may hold (read whole when a page is all one instant). */
const ONE_INSTANT_MAX = 100_000;

/**
 * Rows of [from, to) ordered by `at_ms` first, `size` at a time. A full page ends at an instant
 * the limit may have cut through, so its rows at that instant are left to the next page, which
 * starts there; a page that is all one instant is read again whole, limited to that millisecond.
 */
export async function* pagedByInstant<R extends { at_ms: number }>(
  from_ms: number,
  to_ms: number,
  read: (from_ms: number, to_ms: number, limit: number) => Promise<R[]>,
  size = AUDIT_PAGE,
): AsyncGenerator<R> {
  let from = from_ms;
  while (from < to_ms) {
    const page = await read(from, to_ms, size);
    if (page.length < size) {
      yield* page;
      return;
    }
    const last = page.at(-1)!.at_ms;
    if (page[0]!.at_ms === last) {
      const all = await read(last, last + 1, ONE_INSTANT_MAX);
      if (all.length >= ONE_INSTANT_MAX)
        throw new Error(`${ONE_INSTANT_MAX} or more audit entries at one millisecond (${last})`);
      yield* all;
      from = last + 1;
      continue;
    }
    for (const r of page) if (r.at_ms < last) yield r;
    from = last;
  }
}

export const PII_ACCESS_COLUMNS: readonly Column[] = [
  {
    en: "at",
    zh: "时间",
    about_en:
      "When the personal data was read (the audit entry's time), local time of the site, RFC 3339 with its UTC offset and milliseconds when not whole. Rows are ordered by at, then request_id.",
    about_zh:
      "读取个人数据的时刻（审计记录时间），站点本地时间，RFC 3339 格式并带 UTC 偏移，非整秒时含毫秒。行按 at、再按 request_id 排序。",
  },
  {
    en: "actor_id",
    zh: "操作者 ID",
    about_en: "The id of the API token (or the command line) that read it.",
    about_zh: "读取者的 API 令牌 ID（或命令行）。",
  },
  {
    en: "actor_name",
    zh: "操作者名称",
    about_en: "The name the token was issued to.",
    about_zh: "令牌签发对象的名称。",
  },
  {
    en: "actor_role",
    zh: "操作者角色",
    about_en: "The token's role: supervisor, qa, admin, … (the codes, in both languages).",
    about_zh: "令牌的角色：supervisor、qa、admin 等（两种语言均用此代码）。",
  },
  {
    en: "action",
    zh: "操作",
    about_en:
      "pii.read (phone numbers or comments shown unmasked: a contact's page or a drill list with unmask=true) or export (a pack with personal data asked for or downloaded).",
    about_zh:
      "pii.read（未脱敏显示电话或评论：联络详情页，或 unmask=true 的明细列表）或 export（申请或下载含个人数据的数据包）。",
  },
  {
    en: "target",
    zh: "对象",
    about_en:
      "What was read, as the entry names it: contact:<contact id>, contacts:<queue> (a drill list page), or an export's id.",
    about_zh:
      "读取的对象，按审计记录填写：contact:<联络 ID>、contacts:<队列>（明细列表的一页），或导出 ID。",
  },
  {
    en: "detail",
    zh: "详情",
    about_en:
      "The entry's detail as the JSON text it was written in: the range and counts read, or an export's month, language and personal_data (with download true when the pack was downloaded rather than asked for).",
    about_zh:
      "审计记录的详情，原样保留的 JSON 文本：读取的范围与数量，或导出的月份、语言与 personal_data（下载数据包而非申请生成时另含 download: true）。",
  },
  {
    en: "request_id",
    zh: "请求 ID",
    about_en:
      "The API's id of the request that read it (its X-Request-Id answer; never one a client chose).",
    about_zh: "读取该数据的请求在 API 中的 ID（响应头 X-Request-Id；不会是客户端自定的值）。",
  },
];

export function piiAccessFile(ctx: PackContext): TableFile {
  const { ch, site } = ctx;
  const tz = ctx.config.tz;
  return {
    name: "pii_access.csv",
    columns: PII_ACCESS_COLUMNS,
    rows: {
      async *[Symbol.asyncIterator]() {
        const entries = pagedByInstant(ctx.from_ms, ctx.to_ms, (from_ms, to_ms, limit) =>
          runQuery(ch, loadPersonalDataReads, { site, from_ms, to_ms, limit }),
        );
        for await (const e of entries)
          yield [
            localTime(tz, e.at_ms),
            e.actor_id,
            e.actor_name,
            e.actor_role,
            e.action,
            e.target,
            e.detail,
            e.request_id,
          ] satisfies Cell[];
      },
    },
  };
}
