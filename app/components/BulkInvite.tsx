// The leader's bulk invitation on the members page: paste or upload a CSV, see
// every row with its errors, then send all the invitations or none
// (server/domain/bulk-invitations.ts). Plain forms: works without JavaScript.
import { Form } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { BulkPreview } from "../../server/domain/bulk-invitations";
import { ScrollTable } from "~/components/ScrollTable";
import { useT, type MessageKey } from "~/i18n";

type BulkResult = { intent: "bulkPreview"; preview: BulkPreview; csv: string } | { intent: "bulkApply"; count: number };

const EXAMPLE = "e-post;namn;organisation;perspektiv;roll;adjungerad från och med;adjungerad till och med\nanna.berg@skovde.se;Anna Berg;Skövde kommun;Kommunalförbund;Ledamot;;\nolle.ek@his.se;Olle Ek;Högskolan i Skövde;Utbildning;Adjungerad;2027-01-01;2027-06-30";

export function BulkInvite({ result, labels }: { result: BulkResult | null; labels: Record<string, string> }) {
  const t = useT();
  const summaryRef = useRef<HTMLDivElement>(null);
  const preview = result?.intent === "bulkPreview" ? result.preview : null;
  const wrongRows = preview ? preview.rows.filter((r) => r.errors.length).length : 0;
  useEffect(() => {
    if (preview) summaryRef.current?.focus();
  }, [preview]);
  const day = (v: string | null) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? t.date(v) : (v ?? ""));
  const known = (prefix: "role" | "perspective", v: string) => {
    const key = `${prefix}.${v}`;
    const text = t(key as MessageKey);
    return text === key ? v : text;
  };

  return (
    <section aria-labelledby="bulk-h">
      <h2 id="bulk-h">{t("bulk.title")}</h2>
      <p>{t("bulk.intro")}</p>
      <p>{t("bulk.example")}</p>
      <pre className="csv-example">{EXAMPLE}</pre>

      {result?.intent === "bulkApply" ? (
        <p className="notice" role="status">
          {t("bulk.sent", { count: result.count })}
        </p>
      ) : null}
      {preview && preview.fileErrors.length ? (
        <div className="error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
          <h3>{t("bulk.fileError")}</h3>
          <ul>
            {preview.fileErrors.map((e, i) => (
              <li key={i}>{t(e.key, { value: e.value ?? "" })}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {preview && preview.rows.length ? (
        <div className={preview.ok ? "notice notice--info" : "error-summary"} role={preview.ok ? "status" : "alert"} tabIndex={-1} ref={summaryRef}>
          <h3>{preview.ok ? t("bulk.preview", { count: preview.rows.length }) : t("bulk.errors", { count: wrongRows })}</h3>
          <ScrollTable label={t("bulk.caption")} hint={t("scrollTable.hint")}>
            <table>
              <caption className="visually-hidden">{t("bulk.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("bulk.line")}</th>
                  <th scope="col">{labels.email}</th>
                  <th scope="col">{labels.name}</th>
                  <th scope="col">{labels.organisation}</th>
                  <th scope="col">{labels.role}</th>
                  <th scope="col">{t("bulk.status")}</th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((r) => (
                  <tr key={r.line}>
                    <td>{r.line}</td>
                    <td>{r.email}</td>
                    <td>{r.name}</td>
                    <td>
                      {r.organisation}
                      <br />
                      <span className="muted">{known("perspective", r.perspective)}</span>
                    </td>
                    <td>
                      {known("role", r.role)}
                      {r.validFrom || r.validTo ? (
                        <>
                          <br />
                          <span className="muted">
                            {day(r.validFrom)} – {day(r.validTo)}
                          </span>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {r.errors.length ? (
                        <ul className="bulk-row-errors">
                          {r.errors.map((e, i) => (
                            <li key={i}>
                              {labels[e.field] ? `${labels[e.field]}: ` : ""}
                              {t(e.key)}
                            </li>
                          ))}
                        </ul>
                      ) : (
                        t("bulk.rowOk")
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
          {preview.ok ? (
            <Form method="post">
              <input type="hidden" name="intent" value="bulkApply" />
              <input type="hidden" name="csv" value={result?.intent === "bulkPreview" ? result.csv : ""} />
              <button type="submit">{t("bulk.apply", { count: preview.rows.length })}</button>
            </Form>
          ) : null}
        </div>
      ) : null}

      <Form method="post" encType="multipart/form-data" aria-labelledby="bulk-h">
        <input type="hidden" name="intent" value="bulkPreview" />
        <label htmlFor="bulk-csv">{t("bulk.paste")}</label>
        <textarea id="bulk-csv" name="csv" rows={6} defaultValue={preview && !preview.ok && result?.intent === "bulkPreview" ? result.csv : ""} key={result?.intent === "bulkApply" ? "done" : "open"} />
        <label htmlFor="bulk-file">{t("bulk.file")}</label>
        <input id="bulk-file" name="file" type="file" accept=".csv,text/csv,text/plain" />
        <button type="submit">{t("bulk.previewButton")}</button>
      </Form>
    </section>
  );
}
