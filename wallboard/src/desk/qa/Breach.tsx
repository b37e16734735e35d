// A breach's page (`/qa/breaches/:id?site=…`, where a notification's link leads): the figure, its
// condition, the rule and definition versions it was judged by, when it held, its peak (and the
// peak as the data stored now gives it, marked when late events restated it), who took it on, and
// exactly the contacts behind the figure (GET /breaches/:id/evidence), each opening its story.
import { BreachDetail, BreachEvidence } from "@floorwatch/contracts";
import { A, useNavigate, useParams } from "@solidjs/router";
import { createMemo, type JSX, Show } from "solid-js";
import { SEVERITY_KEY } from "../../banner";
import { queueNameIn, ruleName } from "../../names";
import { query } from "../api";
import { siteTimeZone, useDesk } from "../context";
import { formatDateTime, formatDuration } from "../format";
import { contactPage } from "../links";
import { useT } from "../i18n";
import { ErrorPanel, ScreenRoot, Table } from "../parts";
import { createLoad, createQueueList } from "./load";
import {
  breachFigureLabel,
  breachValue,
  conditionText,
  type EvidenceRow,
  evidenceRows,
  SEVERITY_ICON,
  scopeText,
  transitionsInOrder,
  valueWord,
} from "./present";
import { breachWords } from "./words";
import "./qa.css";

const TRANSITION_KEY = {
  pending: "pending",
  firing: "firingKind",
  resolved: "resolvedKind",
  cancelled: "cancelled",
} as const;

export default function Breach() {
  const desk = useDesk();
  const t = useT(breachWords);
  const params = useParams<{ id: string }>();
  const navigate = useNavigate();
  const tz = () => siteTimeZone(desk.siteInfo());
  const site = () => desk.site();
  const base = () => (site() && params.id ? `/breaches/${encodeURIComponent(params.id)}` : null);

  const detail = createLoad(
    () => (base() ? `${base()}${query({ site: site() })}` : null),
    (p, signal) => desk.api.get(p, BreachDetail, { signal }),
  );
  // Asked at once beside the breach (not after it): the page's two reads in parallel.
  const evidence = createLoad(
    () => (base() ? `${base()}/evidence${query({ site: site() })}` : null),
    (p, signal) => desk.api.get(p, BreachEvidence, { signal }),
  );
  const queueList = createQueueList(site, desk.api).list;
  const b = () => detail.state().data;
  const e = () => evidence.state().data;
  const rows = createMemo(() => {
    const ev = e();
    return ev ? evidenceRows(ev) : [];
  });
  const at = (iso: string | null | undefined) => formatDateTime(iso, tz());

  const fact = (label: string, testid: string, value: JSX.Element) => (
    <div>
      <dt>{label}</dt>
      <dd data-testid={testid}>{value}</dd>
    </div>
  );

  const ready = () => detail.state().status === "ready" && evidence.state().status === "ready";

  return (
    <ScreenRoot name="breach" ready={ready()}>
      <Show when={desk.opens("qa")}>
        <A href={`/qa${query({ site: site() })}`} class="qa-back" data-testid="back-to-list">
          ← {t("backToList")}
        </A>
      </Show>
      <Show when={detail.state().status === "error"}>
        <ErrorPanel error={detail.state().error} retry={detail.reload} />
      </Show>
      <Show when={b()}>
        {(br) => (
          <>
            <header class="qa-title">
              <h1 data-testid="breach-rule-name">{ruleName(br(), desk.lang())}</h1>
              <span
                class={`qa-badge sev-${br().severity}`}
                data-testid="breach-severity"
                data-severity={br().severity}
              >
                <span aria-hidden="true">{SEVERITY_ICON[br().severity]} </span>
                {t(SEVERITY_KEY[br().severity])}
              </span>
              <span
                class={`qa-badge ${br().ended_at === null ? "state-breach" : "muted"}`}
                data-testid="breach-state"
                data-state={br().ended_at === null ? "firing" : "ended"}
              >
                {br().ended_at === null ? t("firing") : t("resolved")}
              </span>
            </header>
            <dl class="qa-facts desk-panel" data-testid="breach-facts">
              {fact(t("figure"), "breach-figure", breachFigureLabel(br(), desk.lang(), t))}
              {fact(t("condition"), "breach-condition", conditionText(br(), desk.lang(), t))}
              {fact(t("recovery"), "breach-recovery", breachValue(br(), br().recovery_threshold))}
              {fact(t("scope"), "breach-scope", scopeText(br().scope, queueList(), desk.lang(), t))}
              {fact(
                t("rule"),
                "breach-rule",
                <>
                  {ruleName(br(), desk.lang())} <span class="muted">({br().rule_id})</span>
                </>,
              )}
              {fact(t("ruleVersion"), "breach-rule-version", String(br().rule_version))}
              {fact(
                t("definitionVersion"),
                "breach-definition-version",
                br().definition_version === null ? "–" : String(br().definition_version),
              )}
              {fact(t("pendingSince"), "breach-pending-since", at(br().pending_since))}
              {fact(t("started"), "breach-started", at(br().started_at))}
              {fact(
                t("ended"),
                "breach-ended",
                br().ended_at === null ? t("stillFiring") : at(br().ended_at),
              )}
              {fact(
                t("duration"),
                "breach-duration",
                br().duration_s === null ? t("stillFiring") : formatDuration(br().duration_s),
              )}
              {fact(t("peak"), "breach-peak", breachValue(br(), br().peak))}
              {fact(t("peakAt"), "breach-peak-at", at(br().peak_at))}
              {fact(
                t("peakNow"),
                "breach-peak-now",
                <span
                  class={br().restated ? "qa-restated" : undefined}
                  data-restated={br().restated ? "true" : "false"}
                >
                  {breachValue(br(), br().peak_now)}
                </span>,
              )}
              {fact(
                t("acknowledged"),
                "breach-ack",
                <Show
                  when={br().acknowledged}
                  fallback={<span class="muted">{t("notAcknowledged")}</span>}
                >
                  {(a) => (
                    <span data-by={a().by}>
                      {t("ackLine", { by: a().by, at: at(a().at) })}
                      <Show when={a().note}>
                        {" — "}
                        <q data-testid="breach-ack-note">{a().note}</q>
                      </Show>
                    </span>
                  )}
                </Show>,
              )}
            </dl>
            <Show when={br().restated}>
              <p class="qa-notice qa-restated" data-testid="breach-restated">
                {t("restated")}
              </p>
            </Show>
            <section class="qa-section">
              <h2>{t("transitions")}</h2>
              <Table
                testid="transitions"
                columns={[
                  {
                    id: "kind",
                    label: t("kind"),
                    value: (x) => x.kind,
                    render: (x) =>
                      x.kind in TRANSITION_KEY
                        ? t(TRANSITION_KEY[x.kind as keyof typeof TRANSITION_KEY])
                        : x.kind,
                  },
                  {
                    id: "at",
                    label: t("at"),
                    value: (x) => Date.parse(x.at),
                    render: (x) => at(x.at),
                  },
                  {
                    id: "value",
                    label: t("value"),
                    value: (x) => x.value,
                    render: (x) => breachValue(br(), x.value),
                    align: "end",
                  },
                ]}
                rows={transitionsInOrder(br().transitions)}
                key={(x) => `${x.kind}@${x.at}`}
                rowAttrs={(x) => ({ "data-kind": x.kind })}
              />
            </section>
          </>
        )}
      </Show>

      {/* A breach that cannot be read has no evidence to show: one error, not two. */}
      <Show when={detail.state().status !== "error"}>
        <section
          class="qa-section"
          data-testid="evidence-section"
          data-status={evidence.state().status}
        >
          <h2>{t("evidence")}</h2>
          <Show when={evidence.state().status === "error"}>
            <ErrorPanel error={evidence.state().error} retry={evidence.reload} />
          </Show>
          <Show when={e()}>
            {(ev) => (
              <>
                <p class="muted" data-testid="evidence-window">
                  {ev().window === "now"
                    ? t("evidenceInstant", {
                        at: at(ev().at),
                        value: breachValue(ev(), ev().value),
                      })
                    : t("evidenceHint", {
                        from: at(ev().from),
                        to: at(ev().to),
                        value: breachValue(ev(), ev().value),
                      })}
                </p>
                <Table
                  testid="evidence"
                  columns={[
                    {
                      id: "kind",
                      label: t("kindCol"),
                      value: (r: EvidenceRow) => r.kind,
                      render: (r) =>
                        r.kind === "visit" || r.kind === "survey"
                          ? t(r.kind)
                          : valueWord(desk.lang(), r.kind),
                    },
                    {
                      id: "contact",
                      label: t("contact"),
                      value: (r) => r.contact_id,
                      render: (r) => (
                        <A
                          href={contactPage(site(), r.contact_id, r.around)}
                          data-testid="evidence-contact"
                          onClick={(ev) => ev.stopPropagation()}
                        >
                          {r.contact_id}
                        </A>
                      ),
                    },
                    {
                      id: "queue",
                      label: t("queue"),
                      value: (r) => queueNameIn(queueList(), r.queue, desk.lang()),
                    },
                    {
                      id: "time",
                      label: t("time"),
                      value: (r) => Date.parse(r.at),
                      render: (r) => at(r.at),
                    },
                    {
                      id: "seconds",
                      label: t("waitOrDuration"),
                      value: (r) => r.seconds,
                      render: (r) => formatDuration(r.seconds),
                      align: "end",
                    },
                    {
                      id: "outcome",
                      label: t("outcome"),
                      value: (r) => r.outcome,
                      render: (r) => (r.outcome ? valueWord(desk.lang(), r.outcome) : ""),
                    },
                    {
                      id: "score",
                      label: t("score"),
                      value: (r) => r.csat,
                      render: (r) => (r.csat === null ? "" : String(r.csat)),
                      align: "end",
                    },
                  ]}
                  rows={rows()}
                  key={(r) => r.key}
                  rowAttrs={(r) => ({
                    "data-contact": r.contact_id,
                    "data-kind": r.kind,
                    ...(r.survey_id ? { "data-survey": r.survey_id } : {}),
                  })}
                  onRowClick={(r) => navigate(contactPage(site(), r.contact_id, r.around))}
                  empty={t("none")}
                />
              </>
            )}
          </Show>
        </section>
      </Show>
    </ScreenRoot>
  );
}
