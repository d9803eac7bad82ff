import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { findRecordedDecision, listRecordedDecisions } from "../../server/domain/agenda";
import { can } from "../../server/domain/permissions";
import { adoptPlan, getAdoption, openRevision } from "../../server/domain/revisions";
import { useEffect, useRef } from "react";
import { z } from "zod";
import { domainFailure, formError, readForm, validate } from "~/utils/forms.server";
import { ErrorSummary } from "~/components/forms";
import { listMembers } from "../../server/domain/councils";
import { canReportOn } from "../../server/domain/followups";
import { adoptionCheck, canWritePlan, findPlan, planDocName, readProjection } from "../../server/domain/plans";
import { ADOPT_DIALOG, AdoptPlan } from "~/components/plan/AdoptDialog";
import { PlanEditor } from "~/components/plan/PlanEditor";
import { StatusBadge } from "~/components/StatusBadge";
import { ConnectionStatus } from "~/collab/ConnectionStatus";
import { useLiveDoc } from "~/collab/useLiveDoc";
import { pageTitle, useT } from "~/i18n";
import { notFound, requireCouncil } from "~/utils/auth.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.plan", { plan: data.plan.title, council: data.council.name }) : pageTitle(matches)];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership, user } = await requireCouncil(request, context, params.slug, "plan:view");
  if (!/^\d{4}$/.test(params.year ?? "")) throw notFound();
  const plan = await findPlan(context.db, council.id, Number(params.year));
  if (!plan) throw notFound();
  const members = (await listMembers(context.db, council.id))
    .filter((m) => m.active)
    .map((m) => ({ id: m.userId, name: m.name, organisation: m.organisation }));
  const canAdopt = can(membership, "members:manage") && plan.status !== "adopted";
  // Only the leader adopting the plan needs the council's decisions; they read unpublished minutes.
  const decisions = canAdopt ? await listRecordedDecisions(context.db, council.id, membership) : [];
  const nextExists = !!(await findPlan(context.db, council.id, plan.year + 1));
  // Follow-up goes on after adoption too (it changes status, never the frozen revision).
  const reportAll = canReportOn(membership, null);
  const reportOwn = canReportOn(membership, membership.user_id);
  return {
    council: { slug: council.slug, name: council.name },
    plan: { year: plan.year, title: plan.title, status: plan.status, docName: planDocName(plan.id) },
    adoption: await getAdoption(context.db, plan.id),
    canAdopt,
    // What adoption would freeze and what looks unfinished, for the confirmation.
    adoptCheck: canAdopt ? await adoptionCheck(context.collab, plan.id) : null,
    // The no-JavaScript path to the adoption dialog (DisclosureDialog: ?dialog=adopt).
    adoptOpen: canAdopt && new URL(request.url).searchParams.get("dialog") === ADOPT_DIALOG,
    report: { all: reportAll, own: reportOwn },
    canOpenRevision: can(membership, "members:manage") && !nextExists,
    decisions: decisions.map((d) => ({ id: d.id, label: `${d.meetingTitle}: ${d.title} – ${d.decision}`.slice(0, 200), meetingId: d.meetingId, decision: d.decision })),
    canEdit: canWritePlan({ plan, membership }),
    me: { id: user.id, name: user.name },
    members,
    // Rendered on the server (and without JavaScript) until the live document has synced.
    areas: await readProjection(context.db, plan.id),
  };
}

const adoptSchema = z.object({ decisionItemId: z.union([z.literal(""), z.string().uuid({ error: "error.unknown" })]).optional() });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { council, user } = await requireCouncil(request, context, params.slug, "members:manage");
  if (!/^\d{4}$/.test(params.year ?? "")) throw notFound();
  const year = Number(params.year);
  const values = await readForm(request);
  const deps = { db: context.db, events: context.events };
  try {
    if (values.intent === "openRevision") {
      const plan = await openRevision(deps, context.collab, { councilId: council.id, fromYear: year, actorId: user.id });
      throw redirect(`/councils/${council.slug}/plans/${plan.year}`);
    }
    if (values.intent === "adopt") {
      const parsed = validate(adoptSchema, values);
      if (!parsed.ok) return data(parsed, { status: 400 });
      let decision: string | null = null;
      let meetingId: string | null = null;
      if (parsed.data.decisionItemId) {
        const item = await findRecordedDecision(context.db, council.id, parsed.data.decisionItemId);
        if (!item) return formError("error.unknown", "adopt");
        decision = item.decision;
        meetingId = item.meetingId;
      }
      await adoptPlan(deps, context.collab, { councilId: council.id, year, actorId: user.id, decision, meetingId });
      return { ok: true as const, intent: "adopt" };
    }
    return formError("error.unknownIntent", values.intent);
  } catch (err) {
    return domainFailure(err, values);
  }
}


export default function PlanPage() {
  const data = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  const live = useLiveDoc(data.plan.docName);
  const ready = live?.synced;
  const planPath = `/councils/${data.council.slug}/plans/${data.plan.year}`;
  return (
    <div className="page page--wide">
      <h1>{t("plan.title", { year: data.plan.year })}</h1>
      <p>
        <strong>{t(`planStatus.${data.plan.status}`)}</strong>
        {data.adoption ? ` – ${t("revision.adoptedOn", { date: t.date(data.adoption.adoptedAt), by: data.adoption.adoptedBy ?? "" })}` : ""}
        {data.adoption?.decision ? ` (${t("agenda.decision")}: ${data.adoption.decision})` : ""}
      </p>
      <p>
        <Link to={`/councils/${data.council.slug}/plans/${data.plan.year}/dashboard`}>{t("followup.link")}</Link>
        {" · "}
        <Link to={`/councils/${data.council.slug}/plans/compare?from=${data.plan.year - 1}&to=${data.plan.year}`}>{t("revision.compare")}</Link>
      </p>
      {result?.ok ? <AdoptedNotice /> : null}
      <ErrorSummary errors={result && !result.ok ? result.errors : undefined} labels={{}} />
      {data.canOpenRevision || data.adoptCheck ? (
        <section className="plan-tools" aria-label={t("revision.tools")}>
          {data.adoptCheck ? (
            <AdoptPlan
              year={data.plan.year}
              check={data.adoptCheck}
              decisions={data.decisions}
              live={live}
              open={data.adoptOpen}
            />
          ) : null}
          {data.canOpenRevision ? (
            <Form method="post" className="plan-tools__revision">
              <input type="hidden" name="intent" value="openRevision" />
              <button type="submit" className="button--secondary" aria-describedby="open-revision-intro">
                {t("revision.open", { year: data.plan.year + 1 })}
              </button>
              <p id="open-revision-intro" className="muted">
                {t("revision.openIntro", { year: data.plan.year + 1 })}
              </p>
            </Form>
          ) : null}
        </section>
      ) : null}
      <ConnectionStatus live={live} readOnly={!data.canEdit} />
      {ready && live ? <PlanEditor live={live} canEdit={data.canEdit} members={data.members} me={data.me} actionPath={`${planPath}/actions/`} report={data.report} /> : <StaticPlan />}
    </div>
  );
}

/** The plan as last projected: what a reader without JavaScript sees. */
function StaticPlan() {
  const { areas, members, report, me, council, plan } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="plan-static">
      {areas.map((a, i) => (
        <section key={a.id} className="plan-area" aria-labelledby={`s-area-${a.id}`}>
          <h2 id={`s-area-${a.id}`}>
            <span className="plan-kind">{t("plan.area")} {i + 1}: </span>
            {a.title || t("plan.untitled")}
          </h2>
          {a.description ? <p className="plan-text">{a.description}</p> : null}
          {a.goals.map((g) => (
            <div key={g.id} className="plan-goal">
              <h3>
                <span className="plan-kind">{t("plan.goal")}: </span>
                {g.title || t("plan.untitled")}
              </h3>
              <ul className="plan-actions">
                {g.actions.map((x) => {
                  const owner = members.find((m) => m.id === x.responsibleUserId);
                  return (
                    <li key={x.id} className="plan-action">
                      <span className="plan-action__title">{x.title || t("plan.untitled")}</span> <StatusBadge status={x.status} />{" "}
                      <span className="muted">
                        {x.progress} %{owner ? ` · ${t("plan.owner", { name: owner.name })}` : ""}
                        {x.dueDate ? ` · ${t("plan.due", { date: t.date(x.dueDate) })}` : ""}
                      </span>
                      {report.all || (report.own && x.responsibleUserId === me.id) ? (
                        <Link to={`/councils/${council.slug}/plans/${plan.year}/actions/${x.id}#report-h`} className="plan-action__report">
                          {t("planEditor.report")}
                          <span className="visually-hidden"> {t("planEditor.reportFor", { title: x.title || t("plan.untitled") })}</span>
                        </Link>
                      ) : null}
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
        </section>
      ))}
    </div>
  );
}

/** Says the plan is adopted and takes focus: the dialog that had it is gone. */
function AdoptedNotice() {
  const t = useT();
  const ref = useRef<HTMLParagraphElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <p className="notice" role="status" tabIndex={-1} ref={ref}>
      {t("revision.adopted")}
    </p>
  );
}
