// The site's pending and firing alerts, the most urgent first, each acknowledged in its row with
// an optional note (POST /alerts/:id/ack); who took it on, when and why shown once done. The list
// holds still while a note is being written (no refresh moves the row from under the pen).
import { AlertList, type Alert, type LiveSnapshot } from "@floorwatch/contracts";
import { batch, createComputed, createMemo, createSignal, onMount, Show } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { SEVERITY_KEY } from "../../banner";
import { StateIcon } from "../../components/icons";
import { errorText, query } from "../api";
import { siteTimeZone, useDesk } from "../context";
import { formatDateTime } from "../format";
import { common, useT } from "../i18n";
import { type Column, Table } from "../parts";
import { ruleName } from "../../names";
import { AckAnswer, alertFigureLabel, urgency, valueText, whereOf } from "./alerts";
import { createPolled } from "./polled";
import { CountedHead } from "./PollState";
import { createQueueNames } from "./names";
import { words } from "./words";

const ALERTS_EVERY_MS = 5_000;

export function AlertsPanel(props: { live: () => LiveSnapshot | undefined }) {
  const desk = useDesk();
  const t = useT(words);
  const c = useT(common);
  /** The alert whose note is being written, if any. */
  const [acking, setAcking] = createSignal<string | null>(null);
  const [note, setNote] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [ackError, setAckError] = createSignal<string | null>(null);
  const polled = createPolled(
    () => desk.site() || null,
    (site, signal) => desk.api.get(`/alerts${query({ site })}`, AlertList, { signal }),
    { intervalMs: ALERTS_EVERY_MS, timeoutMs: 15_000, paused: () => acking() !== null },
  );
  const [alerts, setAlerts] = createStore<Alert[]>([]);
  createComputed(() => setAlerts(reconcile(polled.value()?.alerts ?? [], { key: "id" })));
  const names = createQueueNames(props.live);
  const tz = createMemo(() => siteTimeZone(desk.siteInfo(), props.live()?.tz));

  const where = (a: Alert) => {
    const w = whereOf(a);
    switch (w.kind) {
      case "queue":
        return names().get(w.queue) ?? w.queue;
      case "channel":
        return t("whereChannel", { channel: w.channel });
      case "survey":
        return t("whereSurvey", { survey: w.survey });
      case "site":
        return t("whereSite");
    }
  };

  const open = (id: string) =>
    batch(() => {
      setAcking(id);
      setNote("");
      setAckError(null);
    });
  const submit = async (a: Alert) => {
    setBusy(true);
    setAckError(null);
    try {
      const answer = await desk.api.send(
        "POST",
        `/alerts/${encodeURIComponent(a.id)}/ack`,
        { site: a.site, note: note().trim() },
        AckAnswer,
      );
      batch(() => {
        const i = alerts.findIndex((x) => x.id === a.id);
        if (i >= 0) setAlerts(i, "acknowledged", answer.acknowledged);
        setAcking(null);
      });
    } catch (e) {
      setAckError(errorText(e, c));
    } finally {
      setBusy(false);
    }
  };

  function AckForm(p: { a: Alert }) {
    let input!: HTMLInputElement;
    onMount(() => input.focus());
    return (
      <form
        class="sup-ack"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(p.a);
        }}
      >
        <input
          ref={input}
          data-testid="ack-note"
          maxLength={1000}
          placeholder={t("ackNote")}
          aria-label={t("ackNote")}
          value={note()}
          onInput={(e) => setNote(e.currentTarget.value)}
          onKeyDown={(e) => e.key === "Escape" && setAcking(null)}
        />
        <button type="submit" data-testid="ack-confirm" disabled={busy()}>
          {t("ackConfirm")}
        </button>
        <button type="button" data-testid="ack-cancel" onClick={() => setAcking(null)}>
          {t("ackCancel")}
        </button>
        <Show when={ackError()}>
          {(m) => (
            <span class="desk-error" role="alert" data-testid="ack-error">
              {t("ackFailed", { message: m() })}
            </span>
          )}
        </Show>
      </form>
    );
  }

  const AckCell = (p: { a: Alert }) => (
    <Show
      when={acking() === p.a.id}
      fallback={
        <button type="button" data-testid="ack" onClick={() => open(p.a.id)}>
          {p.a.acknowledged ? t("ackAgain") : t("ack")}
        </button>
      }
    >
      <AckForm a={p.a} />
    </Show>
  );

  const columns = createMemo((): Column<Alert>[] => {
    const lang = desk.lang();
    return [
      {
        id: "severity",
        label: t("colSeverity"),
        value: urgency,
        render: (a) => (
          <span class={`sup-sev sev-${a.severity}`} data-severity={a.severity}>
            <StateIcon state={a.severity} />
            {t(SEVERITY_KEY[a.severity])}
          </span>
        ),
      },
      {
        id: "state",
        label: t("colStatus"),
        value: (a) => a.state,
        render: (a) => (
          <span class={`sup-phase phase-${a.state}`} data-phase={a.state}>
            {a.state === "firing" ? t("firing") : t("pending")}
          </span>
        ),
      },
      { id: "rule", label: t("colRule"), value: (a) => ruleName(a, lang) },
      { id: "where", label: t("colWhere"), value: (a) => where(a) },
      { id: "figure", label: t("colFigure"), value: (a) => alertFigureLabel(a, lang) },
      { id: "value", label: t("colValue"), align: "end", value: (a) => a.value, render: valueText },
      {
        id: "since",
        label: t("colSince"),
        value: (a) => a.fired_at ?? a.since,
        render: (a) => formatDateTime(a.fired_at ?? a.since, tz()),
      },
      {
        id: "acknowledged",
        label: t("colAcknowledged"),
        value: (a) => a.acknowledged?.at ?? null,
        render: (a) => (
          <Show when={a.acknowledged}>
            {(ack) => (
              <span class="sup-acked" data-testid="acknowledged" data-by={ack().by}>
                <span>
                  ✓ {ack().by} · {formatDateTime(ack().at, tz())}
                </span>
                <Show when={ack().note}>
                  <span class="muted sup-note" data-testid="ack-shown-note">
                    {ack().note}
                  </span>
                </Show>
              </span>
            )}
          </Show>
        ),
      },
      { id: "action", label: t("colAction"), value: () => null, render: (a) => <AckCell a={a} /> },
    ];
  });

  const count = (phase: Alert["state"]) => alerts.filter((a) => a.state === phase).length;

  return (
    <section class="desk-panel sup-alerts" data-testid="alerts-panel">
      <CountedHead
        title={t("alertsTitle")}
        polled={polled}
        countTestid="alerts-count"
        count={() => t("alertsCount", { firing: count("firing"), pending: count("pending") })}
      />
      <Show when={polled.value()}>
        <Table
          testid="alerts"
          columns={columns()}
          rows={alerts}
          key={(a) => a.id}
          initialSort={{ id: "severity", dir: "desc" }}
          rowAttrs={(a) => ({
            "data-severity": a.severity,
            "data-phase": a.state,
            "data-acknowledged": a.acknowledged ? "true" : "false",
          })}
          empty={t("noAlerts")}
        />
      </Show>
    </section>
  );
}
