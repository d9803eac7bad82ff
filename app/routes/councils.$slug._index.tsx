import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { groupByPerspective, listMembers } from "../../server/domain/councils";
import { listActivity } from "../../server/domain/activity";
import { can } from "../../server/domain/permissions";
import { listPlans } from "../../server/domain/plans";
import { listGroups } from "../../server/domain/groups";
import { ActivityList } from "~/components/ActivityList";
import { RoleBadge } from "~/components/RoleBadge";
import { LiveStatus } from "~/components/LiveStatus";
import { useCouncilLive } from "~/components/useCouncilLive";
import { pageTitle, useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.council", { council: data.council.name }) : pageTitle(matches)];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership } = await requireCouncil(request, context, params.slug, "council:view");
  const showContact = can(membership, "members:view-contact");
  const members = (await listMembers(context.db, council.id))
    .filter((m) => m.active)
    .map((m) => ({
      id: m.membershipId,
      name: m.name,
      email: showContact ? m.email : null,
      role: m.role,
      organisation: m.organisation,
      perspective: m.perspective,
      validTo: m.validTo,
    }));
  return {
    council: { id: council.id, slug: council.slug, name: council.name, subRegion: council.sub_region, mandate: council.mandate },
    myRole: membership.role,
    canManage: can(membership, "members:manage"),
    memberCount: members.length,
    plans: (await listPlans(context.db, council.id)).map((p) => ({ year: p.year, status: p.status, actionCount: p.actionCount })),
    groups: groupByPerspective(members),
    workingGroups: (await listGroups(context.db, council.id)).map((g) => ({ id: g.id, name: g.name, areas: g.areas })),
    activity: await listActivity(context.db, council.id, membership.role, { limit: 8 }),
    canAudit: can(membership, "audit:view"),
  };
}

export default function CouncilPage() {
  const { council, myRole, canManage, canAudit, groups, memberCount, plans, activity, workingGroups } = useLoaderData<typeof loader>();
  const t = useT();
  useCouncilLive(council.id);
  return (
    <div className="page">
      <h1>{council.name}</h1>
      <p className="lede">
        {t("council.subRegion", { name: council.subRegion })} · {t("home.yourRole", { role: t(`role.${myRole}`) })}
      </p>
      {canManage ? (
        <p>
          <Link to={`/councils/${council.slug}/members`} className="button">
            {t("council.manageMembers")}
          </Link>
        </p>
      ) : null}

      <section aria-labelledby="plans-h">
        <h2 id="plans-h">{t("plan.plans")}</h2>
        {plans.length === 0 ? (
          <p>{t("plan.noPlan")}</p>
        ) : (
          <ul>
            {plans.map((p) => (
              <li key={p.year}>
                <Link to={`/councils/${council.slug}/plans/${p.year}`}>{t("plan.link", { year: p.year })}</Link>{" "}
                <span className="muted">({t("plan.actionsCount", { count: p.actionCount })})</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="working-groups-h">
        <h2 id="working-groups-h">{t("groups.title")}</h2>
        {workingGroups.length === 0 ? (
          <p>{t("groups.none")}</p>
        ) : (
          <ul>
            {workingGroups.map((g) => (
              <li key={g.id}>
                <Link to={`/councils/${council.slug}/groups/${g.id}`}>{g.name}</Link>{" "}
                <span className="muted">({g.areas.join(", ")})</span>
              </li>
            ))}
          </ul>
        )}
        <p>
          <Link to={`/councils/${council.slug}/groups`}>{t("groups.all")}</Link>
        </p>
      </section>

      <section aria-labelledby="activity-h">
        <h2 id="activity-h">{t("activity.title")}</h2>
        <ActivityList items={activity} councilSlug={council.slug} />
        <p>
          <Link to={`/councils/${council.slug}/activity`}>{t("activity.all")}</Link>
          {canAudit ? (
            <>
              {" · "}
              <Link to={`/councils/${council.slug}/audit`}>{t("audit.title")}</Link>
            </>
          ) : null}
        </p>
      </section>

      <section aria-labelledby="mandate-h">
        <h2 id="mandate-h">{t("council.mandate")}</h2>
        <div className="prose">
          {council.mandate.trim() ? (
            council.mandate.split(/\n\s*\n/).map((para, i) => <p key={i}>{para}</p>)
          ) : (
            <p className="muted">{t("council.noMandate")}</p>
          )}
        </div>
      </section>

      <section aria-labelledby="composition-h">
        <h2 id="composition-h">{t("council.composition")}</h2>
        <p>
          {t("council.compositionIntro", { count: memberCount })}{" "}
          <LiveStatus />
        </p>
        {groups.map((g) => (
          <div key={g.perspective} className="perspective-group">
            <h3>
              {t(`perspective.${g.perspective}`)} ({g.members.length})
            </h3>
            <ul>
              {g.members.map((m) => (
                <li key={m.id}>
                  <strong>{m.name}</strong>, {m.organisation} <RoleBadge role={m.role} />
                  {m.role === "adjunct" && m.validTo ? ` (${t("council.adjunctUntil", { date: t.date(m.validTo) })})` : null}
                  {m.email ? (
                    <>
                      {" · "}
                      <a href={`mailto:${m.email}`}>{m.email}</a>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>
    </div>
  );
}
