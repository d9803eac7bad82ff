// The audit log as a table: when, who, what, about what, before → after. Every
// cell is in the reader's words: actions and codes through the dictionary, times
// in Stockholm, ids as the names of what they point to (server/domain/audit.ts).
import type { AuditDetail, AuditValue, AuditView } from "../../server/domain/audit";
import { ScrollTable } from "~/components/ScrollTable";
import { useT } from "~/i18n";

type T = ReturnType<typeof useT>;

function show(t: T, v: AuditValue): string {
  switch (v.kind) {
    case "text":
      return v.text;
    case "number":
      return String(v.value);
    case "yesNo":
      return t(v.value ? "audit.yes" : "audit.no");
    case "key":
      return t(v.key);
    case "date":
      return t.date(v.date);
    case "instant":
      return t.dateTime(v.iso);
    case "ref":
      return v.name === null ? t("audit.removedItem") : v.person ? t.person(v.name) : v.name;
    case "plan":
      return t("audit.planOf", { year: v.year });
    case "list":
      return v.items.length ? v.items.map((x) => show(t, x)).join(", ") : "–";
    case "none":
      return "–";
  }
}

function Details({ t, label, rows }: { t: T; label: string; rows: AuditDetail[] }) {
  return (
    <>
      <span className="muted">{label}: </span>
      {rows.map((d, i) => (
        <span key={i}>
          {i ? "; " : ""}
          {t(d.label)}: {show(t, d.value)}
        </span>
      ))}
    </>
  );
}

export function AuditTable({ rows, showCouncil }: { rows: AuditView[]; showCouncil: boolean }) {
  const t = useT();
  if (!rows.length) return <p>{t("audit.empty")}</p>;
  return (
    <ScrollTable label={t("audit.title")} hint={t("scrollTable.hint")}>
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
              <td>{r.actorName ? t.person(r.actorName) : t("audit.system")}</td>
              <td>{t(r.action)}</td>
              <td>{show(t, r.subject)}</td>
              <td>
                {r.before?.length ? (
                  <>
                    <Details t={t} label={t("audit.before")} rows={r.before} />
                    <br />
                  </>
                ) : null}
                {r.after?.length ? <Details t={t} label={t("audit.after")} rows={r.after} /> : null}
                {r.redacted ? <p className="muted">{t("audit.redacted")}</p> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}
