import type { ActionStatus } from "../../server/domain/plan-doc";
import { useT } from "~/i18n";

// Word + symbol + colour: status is never colour alone (WCAG 1.4.1).
const SYMBOL: Record<ActionStatus, string> = {
  not_started: "○",
  on_track: "●",
  at_risk: "▲",
  delayed: "■",
  done: "✓",
  cancelled: "✕",
};

export function StatusBadge({ status }: { status: ActionStatus }) {
  const t = useT();
  return (
    <span className={`status status--${status}`}>
      <span aria-hidden="true">{SYMBOL[status]} </span>
      {t(`status.${status}`)}
    </span>
  );
}
