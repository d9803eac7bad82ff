// The live document's status line (role="status"): one component for the plan,
// the minutes and statements, so every page follows the same connection and
// says "read only" where the reader cannot write.
import { useT } from "~/i18n";
import { CONNECTION_KEY, type LiveDoc } from "./useLiveDoc";

export function ConnectionStatus({ live, readOnly }: { live: LiveDoc | null; readOnly: boolean }) {
  const t = useT();
  const mode = readOnly ? "read" : "write";
  return (
    <p className={`connection connection--${live?.connection ?? "connecting"}`} role="status" data-connection={live?.connection ?? "static"} data-mode={mode}>
      {live ? t(CONNECTION_KEY[mode][live.connection]) : t("plan.loading")}
    </p>
  );
}
