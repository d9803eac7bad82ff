import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listMembers } from "../../server/domain/councils";
import { canWritePlan, findPlan, planDocName, readProjection } from "../../server/domain/plans";
import { PlanEditor } from "~/components/plan/PlanEditor";
import { StatusBadge } from "~/components/StatusBadge";
import { useLiveDoc, type Connection } from "~/collab/useLiveDoc";
import { useT } from "~/i18n";
import { notFound, requireCouncil } from "~/utils/auth.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.plan.title} – ${data.council.name} – Samsyn` : "Samsyn" },
];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership, user } = await requireCouncil(request, context, params.slug, "plan:view");
  if (!/^\d{4}$/.test(params.year ?? "")) throw notFound();
  const plan = await findPlan(context.db, council.id, Number(params.year));
  if (!plan) throw notFound();
  const members = (await listMembers(context.db, council.id))
    .filter((m) => m.active)
    .map((m) => ({ id: m.userId, name: m.name, organisation: m.organisation }));
  return {
    council: { slug: council.slug, name: council.name },
    plan: { year: plan.year, title: plan.title, status: plan.status, docName: planDocName(plan.id) },
    canEdit: canWritePlan({ plan, membership }),
    me: { id: user.id, name: user.name },
    members,
    // Rendered on the server (and without JavaScript) until the live document has synced.
    areas: await readProjection(context.db, plan.id),
  };
}

const CONNECTION_KEY: Record<Connection, string> = {
  connecting: "plan.connection.connecting",
  connected: "plan.connection.connected",
  reconnecting: "plan.connection.reconnecting",
  offline: "plan.connection.offline",
  denied: "plan.connection.denied",
};

export default function PlanPage() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const live = useLiveDoc(data.plan.docName);
  const ready = live?.synced;
  return (
    <div className="page page--wide">
      <p>
        <Link to={`/councils/${data.council.slug}`}>← {data.council.name}</Link>
      </p>
      <h1>{t("plan.title", { year: data.plan.year })}</h1>
      <p>
        <Link to={`/councils/${data.council.slug}/plans/${data.plan.year}/dashboard`}>{t("followup.link")}</Link>
      </p>
      <p className={`connection connection--${live?.connection ?? "connecting"}`} role="status" data-connection={live?.connection ?? "static"}>
        {live ? t(CONNECTION_KEY[live.connection]) : t("plan.loading")}
      </p>
      {ready && live ? <PlanEditor live={live} canEdit={data.canEdit} members={data.members} me={data.me} /> : <StaticPlan />}
    </div>
  );
}

/** The plan as last projected: what a reader without JavaScript sees. */
function StaticPlan() {
  const { areas, members } = useLoaderData<typeof loader>();
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
