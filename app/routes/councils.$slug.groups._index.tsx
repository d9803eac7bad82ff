// The council's working groups (arbetsgrupper); the process leader creates them here.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { areaOptions, createGroup, eligibleMembers, groupRolesOf, listGroups } from "../../server/domain/groups";
import { can } from "../../server/domain/permissions";
import { groupSchema } from "../../server/domain/schemas";
import { GroupForm } from "~/components/GroupForm";
import { useCouncilLive } from "~/components/useCouncilLive";
import { pageTitle, useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";
import { domainFailure, readForm, validate } from "~/utils/forms.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.groups", { council: data.council.name }) : pageTitle(matches)];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // Everyone in the council sees the groups, observers included (they read what is published).
  const { council, membership, user } = await requireCouncil(request, context, params.slug, "council:view");
  const canCreate = can(membership, "groups:manage");
  const mine = await groupRolesOf(context.db, council.id, user.id);
  return {
    council: { id: council.id, slug: council.slug, name: council.name },
    groups: (await listGroups(context.db, council.id)).map((g) => ({ ...g, myRole: mine.get(g.id) ?? null })),
    canCreate,
    options: canCreate
      ? { areas: await areaOptions(context.db, council.id), people: await eligibleMembers(context.db, council.id) }
      : { areas: [], people: [] },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { council, user } = await requireCouncil(request, context, params.slug, "groups:manage");
  const values = await readForm(request);
  const parsed = validate(groupSchema, values);
  if (!parsed.ok) return data(parsed, { status: 400 });
  let groupId: string;
  try {
    groupId = (await createGroup({ db: context.db, events: context.events }, { ...parsed.data, councilId: council.id, actorId: user.id })).id;
  } catch (err) {
    return domainFailure(err, values);
  }
  throw redirect(`/councils/${council.slug}/groups/${groupId}?created=1`);
}

export default function GroupsPage() {
  const { council, groups, canCreate, options } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  useCouncilLive(council.id);
  const failed = result && !result.ok ? result : undefined;
  return (
    <div className="page">
      <h1>{t("groups.title")}</h1>
      <p className="lede">{t("groups.intro")}</p>
      {groups.length === 0 ? (
        <p>{t("groups.none")}</p>
      ) : (
        <ul className="meeting-list">
          {groups.map((g) => (
            <li key={g.id} className="card">
              <h2>
                <Link to={`/councils/${council.slug}/groups/${g.id}`}>{g.name}</Link>
              </h2>
              {g.description ? <p>{g.description}</p> : null}
              <p className="muted">
                {g.convener ? t("groups.convenerIs", { name: g.convener }) : t("groups.noConvener")} · {t("groups.memberCount", { count: g.memberCount })}
              </p>
              <p className="muted">
                {t("groups.areas")}: {g.areas.join(", ")}
              </p>
              {g.myRole ? <p>{g.myRole === "convener" ? t("groups.youConvene") : t("groups.youAreMember")}</p> : null}
            </li>
          ))}
        </ul>
      )}
      {canCreate ? (
        <section aria-labelledby="new-group-h">
          <h2 id="new-group-h">{t("groups.new")}</h2>
          <GroupForm intent="create" submit={t("groups.create")} errors={failed?.errors} values={failed?.values ?? {}} options={options} />
        </section>
      ) : null}
    </div>
  );
}
