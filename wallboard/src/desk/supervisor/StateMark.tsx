// A state as the TV shows it: colour, icon and word, so no reader depends on telling amber from red.
import type { TvState } from "@floorwatch/contracts";
import { StateIcon } from "../../components/icons";
import { useT } from "../i18n";
import { words } from "./words";

export function StateMark(props: { state: TvState }) {
  const t = useT(words);
  return (
    <span class={`sup-state state-${props.state}`} data-state={props.state}>
      <StateIcon state={props.state} />
      {props.state === "breach"
        ? t("stateBreach")
        : props.state === "warning"
          ? t("stateWarning")
          : t("stateOk")}
    </span>
  );
}
