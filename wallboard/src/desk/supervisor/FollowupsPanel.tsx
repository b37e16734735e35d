// Low-score follow-ups to work today: the overdue ones (nobody called back within 24 h) and the
// open ones falling due today on the site's clock, each opening the surveyed contact's story.
import { FollowupList, type LiveSnapshot } from "@floorwatch/contracts";
import { A } from "@solidjs/router";
import { createMemo, Show } from "solid-js";
import { StateIcon } from "../../components/icons";
import { query } from "../api";
import { siteTimeZone, useDesk } from "../context";
import { formatDateTime, localDate } from "../format";
import { useT } from "../i18n";
import { aroundOf, contactPage } from "../links";
import { type Column, Table } from "../parts";
import { type FollowupRow, followupRows, OVERDUE_DAYS } from "./followups";
import { createPolled } from "./polled";
import { CountedHead } from "./PollState";
import { createQueueNames } from "./names";
import { words } from "./words";

/** Follow-ups fall due by the day: a minute is fresh enough. */
const FOLLOWUPS_EVERY_MS = 60_000;

export function FollowupsPanel(props: { live: () => LiveSnapshot | undefined }) {
  const desk = useDesk();
  const t = useT(words);
  const tz = createMemo(() => siteTimeZone(desk.siteInfo(), props.live()?.tz));
  const polled = createPolled(
    () => desk.site() || null,
    async (site, signal) => {
      const from = localDate(Date.now() - OVERDUE_DAYS * 86_400_000, tz());
      const [open, overdue] = await Promise.all([
        desk.api.get(`/followups${query({ site, status: "open", limit: 1000 })}`, FollowupList, {
          signal,
        }),
        desk.api.get(
          `/followups${query({ site, status: "overdue", from, limit: 1000 })}`,
          FollowupList,
          { signal },
        ),
      ]);
      return followupRows(open.followups, overdue.followups, tz(), Date.parse(open.as_of));
    },
    { intervalMs: FOLLOWUPS_EVERY_MS, timeoutMs: 20_000 },
  );
  const rows = () => polled.value() ?? [];
  const names = createQueueNames(props.live);

  const columns = createMemo((): Column<FollowupRow>[] => {
    desk.lang();
    return [
      {
        id: "status",
        label: t("colStatus"),
        value: (f) => (f.kind === "overdue" ? 1 : 0),
        render: (f) => (
          <span
            class={`sup-state ${f.kind === "overdue" ? "state-breach" : "state-warning"}`}
            data-status={f.kind}
          >
            <StateIcon state={f.kind === "overdue" ? "breach" : "warning"} />
            {f.kind === "overdue" ? t("overdue") : t("dueToday")}
          </span>
        ),
      },
      {
        id: "due_at",
        label: t("colDue"),
        value: (f) => Date.parse(f.due_at),
        render: (f) => formatDateTime(f.due_at, tz()),
      },
      {
        id: "surveyed_at",
        label: t("colSurveyed"),
        value: (f) => Date.parse(f.surveyed_at),
        render: (f) => formatDateTime(f.surveyed_at, tz()),
      },
      { id: "queue", label: t("colQueue"), value: (f) => names().get(f.queue) ?? f.queue },
      { id: "agent", label: t("colAgent"), value: (f) => f.agent_id },
      { id: "csat", label: t("colCsat"), align: "end", value: (f) => f.csat },
      {
        id: "customer",
        label: t("colCustomer"),
        value: (f) =>
          [f.customer.id, f.customer.tier, f.customer.phone].filter((x) => x).join(" · "),
      },
      {
        id: "contact",
        label: t("colContact"),
        value: (f) => f.contact_id,
        render: (f) => (
          <A
            href={contactPage(desk.site(), f.contact_id, aroundOf(f.contact))}
            data-testid="followup-contact"
          >
            {f.contact_id}
          </A>
        ),
      },
    ];
  });

  const count = (kind: FollowupRow["kind"]) => rows().filter((f) => f.kind === kind).length;

  return (
    <section class="desk-panel sup-followups" data-testid="followups-panel">
      <CountedHead
        title={t("followupsTitle")}
        polled={polled}
        countTestid="followups-count"
        count={() => t("followupsCount", { overdue: count("overdue"), due: count("due_today") })}
      />
      <Show when={polled.value()}>
        <Table
          testid="followups"
          columns={columns()}
          rows={rows()}
          key={(f) => f.survey_id}
          rowAttrs={(f) => ({ "data-status": f.kind })}
          empty={t("noFollowups")}
        />
      </Show>
    </section>
  );
}
