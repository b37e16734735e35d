// One contact's story (`/contacts/:id?site=…&around=…`, where a breach's evidence, a follow-up and
// a report's drill lead): the customer, the contact's visits to queues, its handling, its survey
// responses and every event in order on the site's clock. Personal data is masked; a token granted
// it may show it, which asks the API again with unmask=true (the API writes that read into the
// audit log, and the page says so).
import { ContactDetail } from "@floorwatch/contracts";
import { useNavigate, useParams, useSearchParams } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import { NO_VALUE } from "../figures";
import { queueNameIn } from "../names";
import { query } from "./api";
import { siteTimeZone, useDesk } from "./context";
import { formatDateTime, formatDuration } from "./format";
import { common, useT } from "./i18n";
import { ErrorPanel, ScreenRoot, Table } from "./parts";
import { timelineOf } from "./qa/contact";
import { createLoad, createQueueList } from "./qa/load";
import { valueWord } from "./qa/present";
import { contactWords } from "./qa/words";
import "./qa/qa.css";

export default function Contact() {
  const desk = useDesk();
  const t = useT(contactWords);
  const c = useT(common);
  const params = useParams<{ id: string }>();
  const [search] = useSearchParams<{ around?: string }>();
  const navigate = useNavigate();
  const tz = () => siteTimeZone(desk.siteInfo());
  const site = () => desk.site();
  // Never from the address: a shared link opens masked, and each unmasked read is a person's act.
  const [unmask, setUnmask] = createSignal(false);
  const pii = () => desk.me()?.pii ?? false;

  const detail = createLoad(
    () =>
      site() && params.id
        ? `/contacts/${encodeURIComponent(params.id)}${query({
            site: site(),
            around: typeof search.around === "string" ? search.around : undefined,
            unmask: unmask() && pii() ? "true" : undefined,
          })}`
        : null,
    (p, signal) => desk.api.get(p, ContactDetail, { signal }),
  );
  const queues = createQueueList(site, desk.api);
  const d = () => detail.state().data;
  const at = (iso: string | null | undefined) => formatDateTime(iso, tz());
  const q = (id: string) => (id ? queueNameIn(queues.list(), id, desk.lang()) : "");
  const word = (v: string) => valueWord(desk.lang(), v);
  /** A detail of the timeline in words: its name, and its value (a queue's name, yes/no…). */
  const detailText = (key: string, value: string) => {
    const name =
      key === "csat" || key === "nps" || key === "resolved" || key === "comment"
        ? t(key)
        : word(key);
    const shown =
      key === "to_queue"
        ? q(value)
        : key === "resolved"
          ? t(value === "yes" ? "yes" : "no")
          : key === "customer_phone" || key === "to_agent_id" || key === "category"
            ? value
            : word(value);
    return [name, shown] as const;
  };
  // Back where the person came from; opened from a link in a new tab, to a screen they may open.
  const back = () => {
    if (history.length > 1) return navigate(-1);
    const screen = desk.opens("qa") ? "/qa" : desk.opens("reports") ? "/reports" : "/signin";
    navigate(`${screen}${query({ site: site() })}`);
  };

  return (
    <ScreenRoot name="contact" ready={detail.state().status === "ready"}>
      <header class="qa-title">
        <button type="button" data-testid="back" onClick={back}>
          ← {c("back")}
        </button>
        <h1>{t("title", { id: params.id })}</h1>
      </header>
      <Show when={detail.state().status === "error"}>
        <ErrorPanel error={detail.state().error} retry={detail.reload} />
      </Show>
      <Show when={d()}>
        {(x) => (
          <>
            <section class="desk-panel qa-section" data-testid="customer">
              <div class="qa-list-head">
                <h2>{t("customer")}</h2>
                <span class="desk-spacer" />
                <Show when={pii()}>
                  <button
                    type="button"
                    data-testid="unmask"
                    aria-pressed={unmask()}
                    disabled={detail.state().status === "loading"}
                    onClick={() => setUnmask(!unmask())}
                  >
                    {unmask() ? t("mask") : t("unmask")}
                  </button>
                </Show>
              </div>
              <dl class="qa-facts">
                <div>
                  <dt>{t("customerId")}</dt>
                  <dd data-testid="customer-id">{x().customer.id ?? NO_VALUE}</dd>
                </div>
                <div>
                  <dt>{t("tier")}</dt>
                  <dd data-testid="customer-tier">
                    {x().customer.tier ? word(x().customer.tier ?? "") : NO_VALUE}
                  </dd>
                </div>
                <div>
                  <dt>{t("phone")}</dt>
                  <dd data-testid="customer-phone" data-unmasked={x().unmasked ? "true" : "false"}>
                    {x().customer.phone ?? NO_VALUE}
                  </dd>
                </div>
              </dl>
              <Show
                when={x().unmasked}
                fallback={
                  <p class="muted" data-testid="masked-note">
                    {t("maskedNote")}
                  </p>
                }
              >
                <p class="qa-notice" role="status" data-testid="unmasked-notice">
                  {t("unmaskedNotice")}
                </p>
              </Show>
            </section>

            <section class="qa-section">
              <h2>{t("timeline")}</h2>
              <ol class="qa-timeline" data-testid="timeline">
                <For each={timelineOf(x())}>
                  {(item) => (
                    <li data-key={item.key} data-kind={item.kind} data-type={item.type}>
                      <time dateTime={item.at}>{at(item.at)}</time>
                      <span class="qa-event">{word(item.type)}</span>
                      <span>{q(item.queue)}</span>
                      <span>{item.agent_id}</span>
                      <span class="qa-details">
                        <For each={item.detail}>
                          {([k, v]) => {
                            const [name, shown] = detailText(k, v);
                            return (
                              <span data-detail={k}>
                                {name} <b>{shown}</b>
                              </span>
                            );
                          }}
                        </For>
                      </span>
                    </li>
                  )}
                </For>
              </ol>
            </section>

            <div class="qa-grid">
              <section class="qa-section">
                <h2>{t("visits")}</h2>
                <Table
                  testid="visits"
                  columns={[
                    { id: "queue", label: t("queue"), value: (v) => q(v.queue) },
                    { id: "outcome", label: t("outcome"), value: (v) => word(v.outcome) },
                    {
                      id: "started",
                      label: t("started"),
                      value: (v) => Date.parse(v.started_at),
                      render: (v) => at(v.started_at),
                    },
                    {
                      id: "ended",
                      label: t("ended"),
                      value: (v) => Date.parse(v.ended_at),
                      render: (v) => at(v.ended_at),
                    },
                    {
                      id: "wait",
                      label: t("wait"),
                      value: (v) => v.wait_s,
                      render: (v) => formatDuration(v.wait_s),
                      align: "end",
                    },
                  ]}
                  rows={x().visits}
                  key={(v) => `${v.queue}@${v.started_at}`}
                />
              </section>
              <section class="qa-section">
                <h2>{t("handling")}</h2>
                <Table
                  testid="handling"
                  columns={[
                    { id: "queue", label: t("queue"), value: (h) => q(h.queue) },
                    { id: "agent", label: t("agent"), value: (h) => h.agent_id },
                    {
                      id: "answered",
                      label: t("answeredAt"),
                      value: (h) => (h.answered_at ? Date.parse(h.answered_at) : null),
                      render: (h) => at(h.answered_at),
                    },
                    {
                      id: "wrapped_up",
                      label: t("wrappedUpAt"),
                      value: (h) => Date.parse(h.wrapped_up_at),
                      render: (h) => at(h.wrapped_up_at),
                    },
                    {
                      id: "handle",
                      label: t("handle"),
                      value: (h) => h.handle_s,
                      render: (h) => formatDuration(h.handle_s),
                      align: "end",
                    },
                    {
                      id: "disposition",
                      label: t("disposition"),
                      value: (h) => (h.disposition ? word(h.disposition) : ""),
                    },
                    { id: "category", label: t("category"), value: (h) => h.category },
                  ]}
                  rows={x().handling}
                  key={(h) => `${h.queue}@${h.wrapped_up_at}`}
                />
              </section>
              <section class="qa-section">
                <h2>{t("surveys")}</h2>
                <Table
                  testid="contact-surveys"
                  columns={[
                    {
                      id: "at",
                      label: t("at"),
                      value: (s) => Date.parse(s.at),
                      render: (s) => at(s.at),
                    },
                    { id: "agent", label: t("agent"), value: (s) => s.agent_id },
                    { id: "csat", label: t("csat"), value: (s) => s.csat, align: "end" },
                    { id: "nps", label: t("nps"), value: (s) => s.nps, align: "end" },
                    {
                      id: "resolved",
                      label: t("resolved"),
                      value: (s) => (s.resolved === null ? null : t(s.resolved ? "yes" : "no")),
                    },
                    {
                      id: "comment",
                      label: t("comment"),
                      value: (s) => s.comment ?? (x().unmasked ? "" : NO_VALUE),
                    },
                  ]}
                  rows={x().surveys}
                  key={(s) => s.survey_id}
                />
              </section>
            </div>
          </>
        )}
      </Show>
    </ScreenRoot>
  );
}
