// The live document's status line (role="status"): one component for the plan,
// the minutes and statements, so every page follows the same connection and
// says "read only" where the reader cannot write.
import { useT, type MessageKey } from "~/i18n";
import { CONNECTION_KEY, type LiveDoc } from "./useLiveDoc";

/** `loading`: what the line says before the live document is there (the plan's words by default). */
export function ConnectionStatus({ live, readOnly, loading = "plan.loading" }: { live: LiveDoc | null; readOnly: boolean; loading?: MessageKey }) {
  const t = useT();
  const mode = readOnly ? "read" : "write";
  return (
    <p className={`connection connection--${live?.connection ?? "connecting"}`} role="status" data-connection={live?.connection ?? "static"} data-mode={mode}>
      {live ? t(CONNECTION_KEY[mode][live.connection]) : t(loading)}
    </p>
  );
}
