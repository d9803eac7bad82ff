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
  return <StatusLabel status={status} label={t(`status.${status}`)} />;
}

/** The badge with its words given: for HTML rendered outside a page's React tree (the dashboard's fragments). */
export function StatusLabel({ status, label }: { status: ActionStatus; label: string }) {
  return (
    <span className={`status status--${status}`}>
      <span aria-hidden="true">{SYMBOL[status]} </span>
      {label}
    </span>
  );
}
