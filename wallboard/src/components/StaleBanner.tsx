// The one thing a floor must never get: frozen numbers that look live. Shown whenever the last
// request failed or the last good snapshot is older than 5 s.
import type { Translate } from "../i18n";
import type { LiveError } from "../live";
import { formatMinSec } from "../format";
import { OfflineIcon } from "./icons";

export interface StaleBannerProps {
  now: number;
  lastOkAt: number | null;
  error: LiveError | null;
  t: Translate;
}

export function StaleBanner(props: StaleBannerProps) {
  const reason = () => {
    const e = props.error;
    if (!e) return null;
    switch (e.kind) {
      case "network":
        return props.t("errNetwork");
      case "timeout":
        return props.t("errTimeout");
      case "http":
        return props.t("errHttp", { status: e.status });
      case "invalid":
        return props.t("errInvalid");
      case "wrong_site":
        return props.t("errWrongSite");
      case "unauthorized":
        return props.t("errUnauthorized");
    }
  };
  const age = () =>
    props.lastOkAt === null
      ? props.t("noUpdateYet")
      : props.t("lastUpdate", { age: formatMinSec((props.now - props.lastOkAt) / 1000) });

  return (
    <div class="stale-banner" data-testid="stale" role="alert">
      <OfflineIcon />
      <strong>{props.t("stale")}</strong>
      <span class="stale-detail">
        {age()}
        {reason() ? ` · ${reason()}` : ""}
      </span>
    </div>
  );
}
