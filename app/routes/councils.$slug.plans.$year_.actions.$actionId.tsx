import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { canReportOn, listEarlierFollowups, listFollowups, reportFollowup } from "../../server/domain/followups";
import { planIndicators, reportIndicatorValues, suggestedStatus, type NewIndicatorValue } from "../../server/domain/indicators";
import { ACTION_STATUSES, type ActionStatus } from "../../server/domain/plan-doc";
import { findPlanAction } from "../../server/domain/plans";
import { actionTimeline } from "../../server/domain/action-timeline";
import { ActionTimeline } from "~/components/ActionTimeline";
import { followupSchema, indicatorValuesSchema } from "../../server/domain/schemas";
import { stockholmToday } from "../../server/domain/time";
import { IndicatorFacts, IndicatorValueFields } from "~/components/Indicators";
import { ErrorSummary, Field } from "~/components/forms";
import { StatusBadge } from "~/components/StatusBadge";
import { useCouncilLive } from "~/components/useCouncilLive";
import { pageTitle, statusKey, useT } from "~/i18n";
import { notFound, requireCouncil } from "~/utils/auth.server";
import { domainFailure, readForm, validate } from "~/utils/forms.server";
import { requirePlan } from "~/utils/plan.server";
import { useActionResult } from "~/components/useActionResult";
import type { CouncilHandle } from "./councils.$slug";

export const handle: CouncilHandle = {
  crumbs: (d) => {
    const title = (d as { action: { title: string } }).action.title;
    return [title ? { text: title } : { key: "plan.untitled" }];
  },
};

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.action", { action: data.action.title }) : pageTitle(matches)];

async function loadAction(context: LoaderFunctionArgs["context"], planId: string, actionId: string | undefined) {
  if (!actionId || !/^[A-Za-z0-9-]{1,64}$/.test(actionId)) throw notFound();
  const row = await findPlanAction(context.db, planId, actionId);
  if (!row) throw notFound();
  return row;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership, user } = await requireCouncil(request, context, params.slug, "plan:view");
  const plan = await requirePlan(context, council.id, params.year);
  const action = await loadAction(context, plan.id, params.actionId);
  const indicators = (await planIndicators(context.db, council.id, plan.id, { actionId: action.id })).get(action.id) ?? [];
  return {
    council: { id: council.id, slug: council.slug, name: council.name },
    year: plan.year,
    action: {
      id: action.id,
      title: action.title,
      description: action.description,
      status: action.status as ActionStatus,
      progress: action.progress,
      responsibleOrg: action.responsible_org,
      ownerName: action.ownerName ?? null,
      dueDate: action.due_date,
    },
    indicators,
    suggestion: suggestedStatus(indicators.map((i) => i.standing)),
    today: stockholmToday(),
    // Follow-up goes on all year, adopted plan or not: it changes status and progress,
    // never the frozen revision.
    canReport: canReportOn(membership, action.responsible_user_id),
    // This year's history; a carried-over action's earlier years apart, labelled by year.
    history: await listFollowups(context.db, plan.id, action.id),
    earlier: await listEarlierFollowups(context.db, plan.id, action.id),
    timeline: await actionTimeline(context.db, { councilId: council.id, actionId: action.id, viewer: membership, userId: user.id, untilYear: plan.year }),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { council, membership, user } = await requireCouncil(request, context, params.slug, "followup:report");
  const plan = await requirePlan(context, council.id, params.year);
  const row = await loadAction(context, plan.id, params.actionId);
  if (!canReportOn(membership, row.responsible_user_id)) {
    throw data({ messageKey: "followup.notYours" }, { status: 403 });
  }
  const values = await readForm(request);
  const intent = values.intent === "values" ? "values" : "report";
  // The indicator values typed with the report (or alone): one date, a value per indicator.
  const indicatorIds = ((await planIndicators(context.db, council.id, plan.id, { actionId: row.id })).get(row.id) ?? []).map((i) => i.id);
  // A report need not carry values; when it carries one, its date counts too.
  const anyValue = indicatorIds.some((id) => (values[`value-${id}`] ?? "").trim() !== "");
  const measured = intent === "values" || anyValue ? validate(indicatorValuesSchema(indicatorIds), values) : null;
  const report = intent === "report" ? validate(followupSchema, values) : null;
  if ((measured && !measured.ok) || (report && !report.ok)) {
    const errors = { ...(report && !report.ok ? report.errors : {}), ...(measured && !measured.ok ? measured.errors : {}) };
    return data({ ok: false as const, errors, values, intent }, { status: 400 });
  }
  const comment = report?.ok ? report.data.comment : measured?.ok ? measured.data.valueComment : "";
  const typed: NewIndicatorValue[] = [];
  if (measured?.ok) {
    for (const id of indicatorIds) {
      const v = measured.data[`value-${id}`];
      if (typeof v === "number") typed.push({ indicatorId: id, date: measured.data.measuredOn, value: v, comment });
    }
  }
  try {
    if (report?.ok) {
      const { status, progress } = report.data;
      await reportFollowup({ db: context.db, events: context.events }, context.collab, {
        councilId: council.id,
        plan: { id: plan.id, year: plan.year },
        action: { id: row.id, title: row.title },
        by: user.id,
        status,
        progress,
        comment,
        values: typed,
      });
    } else {
      await reportIndicatorValues({ db: context.db, events: context.events }, { councilId: council.id, plan: { id: plan.id, year: plan.year }, action: { id: row.id, title: row.title }, by: user.id, values: typed });
    }
  } catch (err) {
    return domainFailure(err, values);
  }
  return { ok: true as const, intent };
}

export default function ActionFollowup() {
  const d = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  useCouncilLive(d.council.id);
  const failed = result && !result.ok ? result : undefined;
  const errors = failed && failed.intent !== "values" ? failed.errors : undefined;
  const valueErrors = failed && failed.intent === "values" ? failed.errors : undefined;
  const valueLabels = Object.fromEntries([["measuredOn", t("indicator.measuredOn")], ...d.indicators.map((i) => [`value-${i.id}`, i.name || t("indicator.untitled")])]);
  return (
    <div className="page">
      <h1>{d.action.title || t("plan.untitled")}</h1>
      <p>
        <StatusBadge status={d.action.status} /> {d.action.progress} %
      </p>
      <dl className="plan-facts">
        <dt>{t("plan.responsibleOrg")}</dt>
        <dd>{d.action.responsibleOrg || "–"}</dd>
        <dt>{t("plan.responsibleUser")}</dt>
        <dd>{d.action.ownerName ? t.person(d.action.ownerName) : "–"}</dd>
        <dt>{t("plan.dueDate")}</dt>
        <dd>{d.action.dueDate ? t.date(d.action.dueDate) : "–"}</dd>
      </dl>
      {d.action.description ? <p className="plan-text--multi">{d.action.description}</p> : null}
      {result?.ok ? (
        <p className="notice" role="status">
          {t(result.intent === "values" ? "indicator.saved" : "followup.saved")}
        </p>
      ) : null}
      {d.indicators.length ? <IndicatorFacts indicators={d.indicators} suggestion={d.suggestion} status={d.action.status} /> : null}
      {d.canReport ? (
        <section aria-labelledby="report-h">
          <h2 id="report-h">{t("followup.report")}</h2>
          <ErrorSummary errors={errors} labels={{ status: t("plan.status"), progress: t("plan.progress"), comment: t("followup.comment"), ...valueLabels }} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="report" />
            <Field name="status" label={t("plan.status")} errors={errors}>
              {(a) => (
                <select {...a} defaultValue={d.action.status}>
                  {ACTION_STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {t(`status.${s}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field name="progress" label={t("plan.progress")} errors={errors}>
              {(a) => <input {...a} type="number" min={0} max={100} step={5} defaultValue={d.action.progress} />}
            </Field>
            <Field name="comment" label={t("followup.comment")} errors={errors} optional>
              {(a) => <textarea {...a} />}
            </Field>
            {d.indicators.length ? <IndicatorValueFields indicators={d.indicators} errors={errors} today={d.today} values={failed?.intent === "report" ? failed.values : undefined} /> : null}
            <button type="submit">{t("followup.submit")}</button>
          </Form>
        </section>
      ) : null}
      {d.canReport && d.indicators.length ? (
        <section aria-labelledby="values-h">
          <h2 id="values-h">{t("indicator.reportAlone")}</h2>
          <ErrorSummary errors={valueErrors} labels={{ ...valueLabels, valueComment: t("indicator.valueComment") }} idPrefix="alone-" />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="values" />
            <IndicatorValueFields indicators={d.indicators} errors={valueErrors} today={d.today} idPrefix="alone-" values={failed?.intent === "values" ? failed.values : undefined} />
            <Field name="valueComment" idPrefix="alone-" label={t("indicator.valueComment")} errors={valueErrors} optional>
              {(a) => <textarea {...a} />}
            </Field>
            <button type="submit">{t("indicator.reportAloneSubmit")}</button>
          </Form>
        </section>
      ) : null}
      <section aria-labelledby="history-h">
        <h2 id="history-h">{t("followup.history")}</h2>
        {d.history.length === 0 ? <p>{t("followup.noHistory")}</p> : <HistoryList entries={d.history} />}
      </section>
      {d.earlier.length ? (
        <section aria-labelledby="earlier-h">
          <h2 id="earlier-h">{t("followup.earlierYears")}</h2>
          {d.earlier.map((y) => (
            <section key={y.year} aria-labelledby={`earlier-${y.year}`}>
              <h3 id={`earlier-${y.year}`}>{t("followup.historyOfYear", { year: y.year })}</h3>
              <HistoryList entries={y.entries} />
            </section>
          ))}
        </section>
      ) : null}
      <ActionTimeline steps={d.timeline} base={`/councils/${d.council.slug}`} />
    </div>
  );
}

type HistoryEntry = ReturnType<typeof useLoaderData<typeof loader>>["history"][number];

function HistoryList({ entries }: { entries: HistoryEntry[] }) {
  const t = useT();
  return (
    <ol className="history" reversed>
      {entries.map((h) => (
        <li key={h.id}>
          <strong>{t.date(h.reportedAt)}</strong>
          {h.by ? `, ${t.person(h.by)}` : ""} ({t(`followup.source.${h.source}`)}): {h.oldStatus ? `${t(statusKey(h.oldStatus))} → ` : ""}
          {t(statusKey(h.newStatus))}, {h.oldProgress !== null ? `${h.oldProgress} % → ` : ""}
          {h.newProgress} %{h.comment ? ` – ”${h.comment}”` : ""}
        </li>
      ))}
    </ol>
  );
}
