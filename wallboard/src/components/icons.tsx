// Shape carries the meaning as well as colour: a triangle warns, an octagon alarms, a crossed
// circle says the numbers are not live (for readers who cannot tell amber from red).

export function WarnIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M12 2.5 23 21.5H1Z" fill="currentColor" />
      <path
        d="M12 9v6M12 17.2v1.6"
        stroke="var(--icon-ink, #000)"
        stroke-width="2.6"
        stroke-linecap="round"
      />
    </svg>
  );
}

export function AlertIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
      <path d="M7.6 1.5h8.8l6.1 6.1v8.8l-6.1 6.1H7.6l-6.1-6.1V7.6Z" fill="currentColor" />
      <path
        d="M12 6.5v7M12 16.6v1.6"
        stroke="var(--icon-ink, #fff)"
        stroke-width="2.8"
        stroke-linecap="round"
      />
    </svg>
  );
}

export function OfflineIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
      <circle cx="12" cy="12" r="9.5" fill="none" stroke="currentColor" stroke-width="3" />
      <path d="M5.5 5.5 18.5 18.5" stroke="currentColor" stroke-width="3" stroke-linecap="round" />
    </svg>
  );
}

export function InfoIcon() {
  return (
    <svg class="icon" viewBox="0 0 24 24" aria-hidden="true">
      <circle cx="12" cy="12" r="10.5" fill="currentColor" />
      <path
        d="M12 10.5v7M12 6.4v1.6"
        stroke="var(--icon-ink, #000)"
        stroke-width="2.8"
        stroke-linecap="round"
      />
    </svg>
  );
}

/** The icon of a figure's or an alert's state: nothing for ok, a triangle warns, an octagon alarms. */
export function StateIcon(props: { state: "ok" | "warning" | "breach" | "info" | "critical" }) {
  return (
    <>
      {props.state === "warning" ? (
        <WarnIcon />
      ) : props.state === "breach" || props.state === "critical" ? (
        <AlertIcon />
      ) : props.state === "info" ? (
        <InfoIcon />
      ) : null}
    </>
  );
}
