import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { applyImport, MAX_IMPORT_BYTES, previewImport } from "../../server/domain/followup-import";
import { DomainError } from "../../server/domain/errors";
import { can } from "../../server/domain/permissions";
import { cachedDashboard, type ActionIndicators, type DashboardRow } from "../../server/domain/followups";
import { lastCouncilMeeting } from "../../server/domain/meetings";
import { ACTION_STATUSES } from "../../server/domain/plan-doc";
import { ServerHtml } from "~/components/ServerHtml";
import { useCouncilLive } from "~/components/useCouncilLive";
import { formatTime, pageTitle, statusKey, useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";
import type { ActionTable } from "~/components/DashboardBody";
import { dashboardFragments, displayChanged, displayOverdue, displayRows, renderChanges, renderSummaries } from "~/utils/dashboard.server";
import { readCsvForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/locale.server";
import { requirePlan } from "~/utils/plan.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.dashboard", { year: data.year, council: data.council.name }) : pageTitle(matches)];

/** The action table shows this many rows a page (the CSV, and `?all=1` for printing, have every row). */
const PAGE_SIZE = 100;
/** A plan with at most this many actions shows its whole action table at once; a larger one by area or filter. */
const SMALL_PLAN = 50;
/** The overdue list shows the actions longest past their due date; the rest are a link away. */
const OVERDUE_SHOWN = 10;
/** A plan with at most this many indicators shows them all; a larger one those of the chosen area. */
const INDICATORS_SHOWN = 60;

function indicatorsShown(all: ActionIndicators[], area: string | null | undefined): { items: ActionIndicators[]; hidden: number } {
  if (area) return { items: all.filter((a) => a.areaId === area), hidden: 0 };
  const count = all.reduce((n, a) => n + a.indicators.length, 0);
  return count <= INDICATORS_SHOWN ? { items: all, hidden: 0 } : { items: [], hidden: count };
}

/** Newest reports listed under "changed since the last meeting"; `?changes=all` lists up to CHANGED_ALL. */
const CHANGED_SHOWN = 20;
const CHANGED_ALL = 500;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership } = await requireCouncil(request, context, params.slug, "plan:view");
  const plan = await requirePlan(context, council.id, params.year);
  const locale = getLocale(request);
  const q = new URL(request.url).searchParams;
  const filter = { area: q.get("area") ?? "", status: q.get("status") ?? "", org: q.get("org") ?? "", overdue: q.get("overdue") === "1" };
  const showAll = q.get("all") === "1";
  const allChanges = q.get("changes") === "all";
  // "Changed since the last meeting": follow-ups after the latest meeting that has started.
  const lastMeeting = await lastCouncilMeeting(context.db, council.id);
  // Computed once per plan version and shared by every request until something changes
  // (docs/decisions/010-dashboard-cache.md); the filters work on the cached rows.
  const changedLimit = allChanges ? CHANGED_ALL : CHANGED_SHOWN + 1;
  const { data: d, changed } = await cachedDashboard(context.db, plan.id, { since: lastMeeting?.starts_at, sinceLimit: changedLimit });
  const base = `/councils/${council.slug}/plans/${plan.year}`;
  // The summaries are rendered once per plan version and view, then reused as HTML
  // (docs/decisions/013-dashboard-fragments.md).
  const view = JSON.stringify([locale, base, filter, showAll, allChanges, q.get("page") ?? "", lastMeeting?.starts_at ?? "", lastMeeting?.title ?? ""]);
  const html = dashboardFragments(d, view, () => {
    const filtered = !!(filter.area || filter.status || filter.org || filter.overdue);
    const keep = (r: DashboardRow) =>
      (!filter.area || r.areaId === filter.area) && (!filter.status || r.status === filter.status) && (!filter.org || r.responsibleOrg === filter.org) && (!filter.overdue || r.overdue);
    const overdue = filtered ? d.overdue.filter(keep) : d.overdue;
    // A large plan opens on its summaries; its actions are shown by area, by filter, or all at once on request.
    let table: ActionTable | null = null;
    if (filtered || showAll || d.rows.length <= SMALL_PLAN) {
      const matching = filtered ? d.rows.filter(keep) : d.rows;
      const pages = showAll ? 1 : Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
      const page = Math.min(pages, Math.max(1, Math.floor(Number(q.get("page"))) || 1));
      const from = (page - 1) * PAGE_SIZE;
      table = { rows: displayRows(d, showAll ? matching : matching.slice(from, from + PAGE_SIZE), locale), page, pages, from, count: matching.length };
    }
    const changes = displayChanged(changed, locale);
    return {
      summaries: renderSummaries({
        locale,
        base,
        filter,
        // A priority area's roll-up counts all its actions, whatever the filter.
        total: d.total,
        areas: d.areas.map((a) => ({ id: a.id, title: a.title, actions: a.actions, counts: ACTION_STATUSES.map((s) => a.counts[s]), overdue: a.overdue, progress: a.progress })),
        overdue: displayOverdue(d, overdue.slice(0, OVERDUE_SHOWN), locale),
        overdueCount: overdue.length,
        table,
        months: d.months,
        indicators: indicatorsShown(d.indicators, filter.area),
      }),
      changes: renderChanges({
        locale,
        here: `${base}/dashboard`,
        filter,
        lastMeeting: lastMeeting ?? null,
        changed: allChanges ? changes : changes.slice(0, CHANGED_SHOWN),
        moreChanges: !allChanges && changes.length > CHANGED_SHOWN,
      }),
    };
  });
  return {
    council: { id: council.id, slug: council.slug, name: council.name },
    year: plan.year,
    canImport: can(membership, "members:manage"),
    filter,
    total: { actions: d.total.actions, progress: d.total.progress, overdue: d.total.overdue },
    areas: d.areas.map((a) => ({ id: a.id, title: a.title })),
    orgs: d.orgs,
    // A page request gets the HTML through the server render only (ServerHtml).
    html: context.documentRequest ? (Object.assign(context.serverHtml, html), null) : html,
  };
}

/** The leader's bulk update: a CSV (the export's columns) is previewed, then applied whole. */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { council, user } = await requireCouncil(request, context, params.slug, "members:manage");
  const plan = await requirePlan(context, council.id, params.year);
  const { values, csv, tooLarge } = await readCsvForm(request, MAX_IMPORT_BYTES);
  if (tooLarge) {
    return data({ applied: false as const, preview: { kind: "followups" as const, ok: false, rows: 0, errors: [{ line: 1, key: "import.tooLarge" as const, value: "" }], changes: [], values: [] }, csv: "" }, { status: 413 });
  }
  if (values.intent === "apply") {
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
  const imported = useActionResult<typeof action>();
  const t = useT();
  // A live change is announced once its new data is on the page (WCAG 4.1.3, status
  // messages): the summaries are replaced in place, and a screen reader is not told otherwise.
  const liveChange = useRef(false);
  const [liveNote, setLiveNote] = useState("");
  useCouncilLive(d.council.id, () => {
    liveChange.current = true;
  });
  useEffect(() => {
    if (!liveChange.current) return;
    liveChange.current = false;
    setLiveNote(t("followup.liveUpdated", { time: formatTime(t.locale, new Date().toISOString()) }));
    // A new render of the loader data is what this waits for; `t` is stable within it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [d]);
  const base = `/councils/${d.council.slug}/plans/${d.year}`;
  const here = `${base}/dashboard`;
  const filtered = !!(d.filter.area || d.filter.status || d.filter.org || d.filter.overdue);
  return (
    <div className="page page--wide">
      <p className="no-print">
        <Link to={base}>← {t("plan.title", { year: d.year })}</Link>
      </p>
      <h1>{t("followup.title", { year: d.year })}</h1>
      <p>{t("followup.summary", { count: d.total.actions, progress: d.total.progress, overdue: d.total.overdue })}</p>
      <p role="status" className="live-note no-print">
        {liveNote}
      </p>
      <p className="no-print">
        <a href={`/api/v1/councils/${d.council.slug}/plans/${d.year}/followups.csv`} download>
          {t("followup.csv")}
        </a>{" "}
        <a href={`/api/v1/councils/${d.council.slug}/plans/${d.year}/indicators.csv`} download>
          {t("indicator.csv")}
        </a>{" "}
        · <Link to={`${base}/report`}>{t("report.link")}</Link>{" "}
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
        <span>
          <input id="f-overdue" type="checkbox" name="overdue" value="1" defaultChecked={d.filter.overdue} />{" "}
          <label htmlFor="f-overdue">{t("followup.overdueOnly")}</label>
        </span>
        <button type="submit">{t("followup.apply")}</button>
        {filtered ? <Link to={here}>{t("followup.clear")}</Link> : null}
      </Form>

      {/* Rendered once per plan version and view on the server (app/utils/dashboard.server.tsx). */}
      <ServerHtml name="summaries" html={d.html?.summaries ?? null} />
      {d.canImport ? (
        <section aria-labelledby="import-h" className="no-print">
          <h2 id="import-h">{t("import.title")}</h2>
          <p>{t("import.intro")}</p>
          {imported?.applied ? (
            <p className="notice">{imported.preview.kind === "values" ? t("indicator.imported", { count: imported.preview.values.length }) : t("import.applied", { count: imported.preview.changes.length })}</p>
          ) : null}
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
              {imported.preview.kind === "values" ? (
                <>
                  <h3>{t("import.valuesPreview", { count: imported.preview.values.length })}</h3>
                  <ul>
                    {imported.preview.values.map((v) => (
                      <li key={v.line}>
                        {t("import.valueLine", { action: v.title || t("plan.untitled"), indicator: v.indicator || t("indicator.untitled"), value: v.unit ? `${t.number(v.value)} ${v.unit}` : t.number(v.value), date: t.date(v.date) })}
                      </li>
                    ))}
                  </ul>
                </>
              ) : (
                <>
                  <h3>{t("import.preview", { count: imported.preview.changes.length })}</h3>
                  <ul>
                    {imported.preview.changes.map((c) => (
                      <li key={c.actionId}>
                        {c.title}: {t(statusKey(c.from.status))} {c.from.progress} % → {t(statusKey(c.to.status))} {c.to.progress} %
                      </li>
                    ))}
                  </ul>
                </>
              )}
              {imported.preview.changes.length + imported.preview.values.length ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="apply" />
                  <input type="hidden" name="csv" value={imported.csv} />
                  <button type="submit">{t("import.apply", { count: imported.preview.changes.length + imported.preview.values.length })}</button>
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

      <ServerHtml name="changes" html={d.html?.changes ?? null} />
    </div>
  );
}
