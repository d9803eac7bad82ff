// The council's activity feed: what happened, by whom, linked to the thing.
import { Link } from "@remix-run/react";
import type { ActivityView } from "../../server/domain/activity";
import { roleKey, statusKey, useT } from "~/i18n";

export function ActivityList({ items, councilSlug }: { items: ActivityView[]; councilSlug: string }) {
  const t = useT();
  if (!items.length) return <p>{t("activity.empty")}</p>;
  return (
    <ul className="activity-list">
      {items.map((a) => {
        const p = a.params;
        const vars: Record<string, string | number | null> = {
          ...p,
          actor: a.actorName ?? t("activity.someone"),
          when: typeof p.startsAt === "string" ? t.dateTime(p.startsAt) : "",
          status: typeof p.status === "string" ? t(statusKey(p.status)) : "",
          role: typeof p.role === "string" ? t(roleKey(p.role)) : "",
        };
        const text = t(`activity.${a.kind}`, vars);
        return (
          <li key={a.id}>
            {a.path ? <Link to={`/councils/${councilSlug}/${a.path}`}>{text}</Link> : text}
            <br />
            <span className="muted">{t.dateTime(a.created)}</span>
          </li>
        );
      })}
    </ul>
  );
}
