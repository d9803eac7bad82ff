import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { applyImport, MAX_IMPORT_BYTES, previewImport } from "../../server/domain/followup-import";
import { DomainError } from "../../server/domain/errors";
import { can } from "../../server/domain/permissions";
import { dashboard, listFollowups } from "../../server/domain/followups";
import { ACTION_STATUSES } from "../../server/domain/plan-doc";
import { StatusBadge } from "~/components/StatusBadge";
import { useCouncilLive } from "~/components/useCouncilLive";
import { useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";
import { requirePlan } from "~/utils/plan.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Uppföljning ${data.year} – ${data.council.name} – Samsyn` : "Samsyn" }];

const PAGE_SIZE = 100;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership } = await requireCouncil(request, context, params.slug, "plan:view");
  const plan = await requirePlan(context, council.id, params.year);
  const url = new URL(request.url);
  const filter = { area: url.searchParams.get("area") ?? "", status: url.searchParams.get("status") ?? "", org: url.searchParams.get("org") ?? "" };
  const all = await dashboard(context.db, plan.id);
  const matching = all.filter(
    (r) => (!filter.area || r.areaId === filter.area) && (!filter.status || r.status === filter.status) && (!filter.org || r.responsibleOrg === filter.org),
  );
  // A large plan is shown a page at a time (the CSV has every row).
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Number(url.searchParams.get("page")) || 1));
  const rows = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  // "Changed since the last meeting": follow-ups after the latest meeting that has started.
  const lastMeeting = await context.db
    .selectFrom("meetings")
    .select(["starts_at", "title"])
    .where("council_id", "=", council.id)
    .where("status", "=", "convened")
    .where("group_id", "is", null) // the council's own meetings, not working groups'
    .where("starts_at", "<", new Date().toISOString())
    .orderBy("starts_at", "desc")
    .executeTakeFirst();
  // Only what the page shows: reports since the last meeting, newest 50.
  const since = lastMeeting ? await listFollowups(context.db, plan.id, undefined, { since: lastMeeting.starts_at, limit: 50 }) : [];
  const titles = new Map(all.map((r) => [r.actionId, r.title]));
  // A priority area's progress rolls up from all its actions (not cancelled), whatever the filter.
  const areaProgress = [...new Map(all.map((r) => [r.areaId, r.areaTitle])).entries()].map(([id, title]) => {
    const xs = all.filter((r) => r.areaId === id && r.status !== "cancelled");
    return { id, title, progress: xs.length ? Math.round(xs.reduce((sum, r) => sum + r.progress, 0) / xs.length) : 0, count: xs.length };
  });
  return {
    council: { id: council.id, slug: council.slug, name: council.name },
    year: plan.year,
    canImport: can(membership, "members:manage"),
    areaProgress,
    filter,
    rows,
    areas: [...new Map(all.map((r) => [r.areaId, r.areaTitle])).entries()].map(([id, title]) => ({ id, title })),
    orgs: [...new Set(all.map((r) => r.responsibleOrg).filter(Boolean))].sort(),
    overdue: matching.filter((r) => r.overdue).slice(0, 50),
    overdueCount: matching.filter((r) => r.overdue).length,
    page,
    pages,
    lastMeeting: lastMeeting ?? null,
    changed: since.slice(0, 50).map((h) => ({ ...h, title: titles.get(h.actionId) ?? "" })),
  };
}

/** The leader's bulk update: a CSV (the export's columns) is previewed, then applied whole. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { council, user } = await requireCouncil(request, context, params.slug, "members:manage");
  const plan = await requirePlan(context, council.id, params.year);
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw data({ messageKey: "error.badForm" }, { status: 400 });
  }
  const file = form.get("file");
  const pasted = form.get("csv");
  if (file && typeof file !== "string" && file.size > MAX_IMPORT_BYTES) {
    return data({ applied: false as const, preview: { ok: false, rows: 0, errors: [{ line: 1, key: "import.tooLarge", value: "" }], changes: [] }, csv: "" }, { status: 413 });
  }
  const csv = file && typeof file !== "string" && file.size > 0 ? await file.text() : typeof pasted === "string" ? pasted : "";
  if (form.get("intent") === "apply") {
    try {
      const res = await applyImport({ db: context.db, events: context.events }, context.collab, { councilId: council.id, planId: plan.id, csv, actorId: user.id });
      return { applied: true as const, preview: res, csv: "" };
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      return data({ applied: false as const, preview: await previewImport(context.db, plan.id, csv), csv }, { status: 400 });
    }
  }
  const preview = await previewImport(context.db, plan.id, csv);
  return data({ applied: false as const, preview, csv: preview.ok ? csv : "" }, { status: preview.ok ? 200 : 400 });
}

export default function Dashboard() {
  const d = useLoaderData<typeof loader>();
  const imported = useActionData<typeof action>();
  const t = useT();
  useCouncilLive(d.council.id);
  const base = `/councils/${d.council.slug}/plans/${d.year}`;
  const areaProgress = d.areaProgress;
  return (
    <div className="page page--wide">
      <p className="no-print">
        <Link to={base}>← {t("plan.title", { year: d.year })}</Link>
      </p>
      <h1>{t("followup.title", { year: d.year })}</h1>
      <p className="no-print">
        <a href={`/api/v1/councils/${d.council.slug}/plans/${d.year}/followups.csv`} download>
          {t("followup.csv")}
        </a>{" "}
        · <span className="muted">{t("followup.print")}</span>
      </p>
      <Form method="get" className="row-form no-print" aria-label={t("followup.filter")}>
        <span>
          <label htmlFor="f-area">{t("plan.area")}</label>
          <select id="f-area" name="area" defaultValue={d.filter.area}>
            <option value="">{t("followup.all")}</option>
            {d.areas.map((a) => (
              <option key={a.id} value={a.id}>
                {a.title}
              </option>
            ))}
          </select>
        </span>
        <span>
          <label htmlFor="f-status">{t("plan.status")}</label>
          <select id="f-status" name="status" defaultValue={d.filter.status}>
            <option value="">{t("followup.all")}</option>
            {ACTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </span>
        <span>
          <label htmlFor="f-org">{t("plan.responsibleOrg")}</label>
          <select id="f-org" name="org" defaultValue={d.filter.org}>
            <option value="">{t("followup.all")}</option>
            {d.orgs.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </span>
        <button type="submit">{t("followup.apply")}</button>
      </Form>

      <h2>{t("followup.areas")}</h2>
      <ul className="area-progress">
        {areaProgress.map((a) => (
          <li key={a.id}>
            <strong>{a.title}</strong>: {a.progress} % ({t("plan.actionsCount", { count: a.count })})
            <progress max={100} value={a.progress} aria-label={`${a.title}: ${a.progress} %`} />
          </li>
        ))}
      </ul>

      <h2>{t("followup.overdue", { count: d.overdueCount })}</h2>
      {d.overdue.length ? (
        <ul>
          {d.overdue.map((r) => (
            <li key={r.actionId}>
              <Link to={`${base}/actions/${r.actionId}`}>{r.title}</Link> – {t("plan.due", { date: t.date(r.dueDate!) })}
              {r.ownerName ? ` – ${r.ownerName}` : ""}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("followup.noneOverdue")}</p>
      )}

      <h2>{t("followup.actions")}</h2>
      {d.pages > 1 ? (
        <nav aria-label={t("followup.pages")} className="row-form no-print">
          {Array.from({ length: d.pages }, (_, i) => i + 1).map((n) => {
            const q = new URLSearchParams({ ...(d.filter.area ? { area: d.filter.area } : {}), ...(d.filter.status ? { status: d.filter.status } : {}), ...(d.filter.org ? { org: d.filter.org } : {}), page: String(n) });
            return n === d.page ? (
              <span key={n} aria-current="page">
                <strong>{n}</strong>
              </span>
            ) : (
              <Link key={n} to={`?${q}`} aria-label={t("followup.page", { n })}>
                {n}
              </Link>
            );
          })}
        </nav>
      ) : null}
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t("followup.actions")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("plan.action")}</th>
              <th scope="col">{t("plan.status")}</th>
              <th scope="col">{t("plan.progress")}</th>
              <th scope="col">{t("plan.responsibleUser")}</th>
              <th scope="col">{t("plan.dueDate")}</th>
              <th scope="col">{t("followup.last")}</th>
            </tr>
          </thead>
          <tbody>
            {d.rows.map((r) => (
              <tr key={r.actionId}>
                <td>
                  <Link to={`${base}/actions/${r.actionId}`}>{r.title || t("plan.untitled")}</Link>
                  <br />
                  <span className="muted">{r.areaTitle}</span>
                </td>
                <td>
                  <StatusBadge status={r.status} />
                </td>
                <td>{r.progress} %</td>
                <td>
                  {r.ownerName ?? "–"}
                  <br />
                  <span className="muted">{r.responsibleOrg}</span>
                </td>
                <td>
                  {r.dueDate ? t.date(r.dueDate) : "–"}
                  {r.overdue ? <strong className="overdue"> {t("followup.isOverdue")}</strong> : null}
                </td>
                <td>{r.lastFollowup ? t.date(r.lastFollowup) : "–"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {d.canImport ? (
        <section aria-labelledby="import-h" className="no-print">
          <h2 id="import-h">{t("import.title")}</h2>
          <p>{t("import.intro")}</p>
          {imported?.applied ? <p className="notice">{t("import.applied", { count: imported.preview.changes.length })}</p> : null}
          {imported && !imported.applied && imported.preview.errors.length ? (
            <div className="error-summary" role="alert" tabIndex={-1}>
              <h3>{t("import.errors", { count: imported.preview.errors.length })}</h3>
              <ul>
                {imported.preview.errors.map((e, i) => (
                  <li key={i}>
                    {t("import.line", { line: e.line })}: {t(e.key, { value: e.value ?? "" })}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {imported && !imported.applied && imported.preview.ok ? (
            <div className="notice notice--info">
              <h3>{t("import.preview", { count: imported.preview.changes.length })}</h3>
              <ul>
                {imported.preview.changes.map((c) => (
                  <li key={c.actionId}>
                    {c.title}: {t(`status.${c.from.status}`)} {c.from.progress} % → {t(`status.${c.to.status}`)} {c.to.progress} %
                  </li>
                ))}
              </ul>
              {imported.preview.changes.length ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="apply" />
                  <input type="hidden" name="csv" value={imported.csv} />
                  <button type="submit">{t("import.apply", { count: imported.preview.changes.length })}</button>
                </Form>
              ) : null}
            </div>
          ) : null}
          <Form method="post" encType="multipart/form-data">
            <input type="hidden" name="intent" value="preview" />
            <label htmlFor="import-file">{t("import.file")}</label>
            <input id="import-file" name="file" type="file" accept=".csv,text/csv" />
            <button type="submit">{t("import.previewButton")}</button>
          </Form>
        </section>
      ) : null}

      <h2>{d.lastMeeting ? t("followup.changedSince", { title: d.lastMeeting.title }) : t("followup.changed")}</h2>
      {d.changed.length ? (
        <ul>
          {d.changed.map((h) => (
            <li key={h.id}>
              {t.date(h.reportedAt)}: <strong>{h.title}</strong> – {h.oldStatus ? `${t(`status.${h.oldStatus}`)} → ` : ""}
              {t(`status.${h.newStatus}`)}, {h.newProgress} %{h.by ? ` (${h.by})` : ""}
              {h.comment ? ` – ”${h.comment}”` : ""}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("followup.noChanges")}</p>
      )}
    </div>
  );
}
