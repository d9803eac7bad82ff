// The audit log as a table: when, who, what, about what, before → after.
import type { AuditView } from "../../server/domain/audit";
import { useT } from "~/i18n";

export function AuditTable({ rows, showCouncil }: { rows: AuditView[]; showCouncil: boolean }) {
  const t = useT();
  if (!rows.length) return <p>{t("audit.empty")}</p>;
  return (
    <div className="table-wrap">
      <table className="audit-table">
        <caption className="visually-hidden">{t("audit.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("audit.when")}</th>
            {showCouncil ? <th scope="col">{t("audit.council")}</th> : null}
            <th scope="col">{t("audit.who")}</th>
            <th scope="col">{t("audit.what")}</th>
            <th scope="col">{t("audit.subject")}</th>
            <th scope="col">{t("audit.change")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id}>
              <td>{t.dateTime(r.at)}</td>
              {showCouncil ? <td>{r.councilName ?? "–"}</td> : null}
              <td>{r.actorName ?? t("audit.system")}</td>
              <td>{t(`audit.action.${r.action}`) === `audit.action.${r.action}` ? r.action : t(`audit.action.${r.action}`)}</td>
              <td>{r.subject ?? "–"}</td>
              <td>
                {r.before ? (
                  <>
                    <span className="muted">{t("audit.before")}: </span>
                    <code>{r.before}</code>
                    <br />
                  </>
                ) : null}
                {r.after ? (
                  <>
                    <span className="muted">{t("audit.after")}: </span>
                    <code>{r.after}</code>
                  </>
                ) : null}
                {r.redacted ? <p className="muted">{t("audit.redacted")}</p> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
