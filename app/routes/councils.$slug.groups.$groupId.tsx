// A working group's page: members, priority areas with the current plan's actions,
// and the group's meetings. The process leader changes the group here; the
// convener (and the leader) create the group's meetings here.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import type { WorkingGroup } from "../../db/schema";
import {
  areaOptions,
  deleteGroup,
  eligibleMembers,
  getGroup,
  groupAreas,
  groupRoleOf,
  listGroupMeetings,
  listGroupMembers,
  updateGroup,
} from "../../server/domain/groups";
import { createMeeting } from "../../server/domain/meetings";
import { createMeetingSeries } from "../../server/domain/meeting-series";
import { can, canOnMeeting } from "../../server/domain/permissions";
import type { ActionStatus } from "../../server/domain/plan-doc";
import { meetingIdsWithPolls } from "../../server/domain/polls";
import { groupSchema } from "../../server/domain/schemas";
import { ErrorSummary } from "~/components/forms";
import { GroupForm } from "~/components/GroupForm";
import { MeetingForm } from "~/components/MeetingForm";
import { MeetingTime } from "~/components/MeetingTime";
import { RoleBadge } from "~/components/RoleBadge";
import { StatusBadge } from "~/components/StatusBadge";
import { useCouncilLive } from "~/components/useCouncilLive";
import { pageTitle, useT } from "~/i18n";
import { forbidden, notFound, requireCouncil } from "~/utils/auth.server";
import { domainFailure, formError, readForm, validate } from "~/utils/forms.server";
import { parseNewMeeting } from "~/utils/meeting-form.server";
import { useActionResult } from "~/components/useActionResult";
import type { CouncilHandle } from "./councils.$slug";

export const handle: CouncilHandle = { crumbs: (d) => [{ text: (d as { group: { name: string } }).group.name }] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.group", { group: data.group.name, council: data.council.name }) : pageTitle(matches)];

const UUID = /^[0-9a-f-]{36}$/i;

async function findGroup(context: LoaderFunctionArgs["context"], councilId: string, id: string | undefined): Promise<WorkingGroup> {
  const group = UUID.test(id ?? "") ? await getGroup(context.db, councilId, id!) : undefined;
  if (!group) throw notFound();
  return group;
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // Everyone in the council sees a group's page, observers included (docs/decisions/011-working-groups.md).
  const { council, membership, user } = await requireCouncil(request, context, params.slug, "council:view");
  const group = await findGroup(context, council.id, params.groupId);
  const myRole = await groupRoleOf(context.db, group.id, user.id);
  const canEdit = can(membership, "groups:manage");
  const canMeet = canOnMeeting(membership, "meeting:manage", { group_id: group.id }, myRole);
  const canAnswer = canOnMeeting(membership, "meeting:respond", { group_id: group.id }, myRole);
  const members = await listGroupMembers(context.db, council.id, group.id);
  const { year, areas } = await groupAreas(context.db, council.id, group.id);
  const withPolls = await meetingIdsWithPolls(context.db, council.id);
  // Drafts are for those who manage the group's meetings, and (with a time poll) for those who answer it.
  const meetings = (await listGroupMeetings(context.db, group.id, { includeDrafts: true }))
    .filter((m) => m.status !== "draft" || canMeet || (withPolls.has(m.id) && canAnswer))
    .map((m) => ({ id: m.id, title: m.title, startsAt: m.starts_at, endsAt: m.ends_at, status: m.status, location: m.location }));
  const formValues: Record<string, string> = {
    name: group.name,
    description: group.description,
    convenerId: members.find((m) => m.role === "convener")?.userId ?? "",
    ...Object.fromEntries(areas.map((a) => [`area-${a.id}`, "on"])),
    ...Object.fromEntries(members.filter((m) => m.role === "member").map((m) => [`member-${m.userId}`, "on"])),
  };
  // An area the current plan no longer has stays choosable while the group keeps it.
  const planAreas = canEdit ? await areaOptions(context.db, council.id) : [];
  const kept = areas.filter((a) => !planAreas.some((p) => p.id === a.id)).map((a) => ({ id: a.id, title: a.title }));
  return {
    council: { id: council.id, slug: council.slug, name: council.name },
    group: { id: group.id, name: group.name, description: group.description },
    myRole,
    members,
    year,
    areas,
    meetings,
    canEdit,
    canMeet,
    formValues: canEdit ? formValues : {},
    options: canEdit ? { areas: [...planAreas, ...kept], people: await eligibleMembers(context.db, council.id) } : { areas: [], people: [] },
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { council, membership, user } = await requireCouncil(request, context, params.slug, "council:view");
  const values = await readForm(request);
  const deps = { db: context.db, events: context.events };
  // Changing the group is the leader's; without that right, say so before saying whether the group exists.
  if ((values.intent === "update" || values.intent === "delete") && !can(membership, "groups:manage")) throw forbidden();
  const group = await findGroup(context, council.id, params.groupId);
  try {
    switch (values.intent) {
      case "update": {
        const parsed = validate(groupSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await updateGroup(deps, { ...parsed.data, councilId: council.id, groupId: group.id, actorId: user.id });
        return { ok: true as const, intent: "update" };
      }
      case "delete": {
        await deleteGroup(deps, { councilId: council.id, groupId: group.id, actorId: user.id });
        throw redirect(`/councils/${council.slug}/groups`);
      }
      case "createMeeting": {
        // The convener and the leaders call the group's meetings.
        if (!canOnMeeting(membership, "meeting:manage", { group_id: group.id }, await groupRoleOf(context.db, group.id, user.id))) throw forbidden();
        const parsed = parseNewMeeting(values, { offerPoll: false });
        if (!parsed.ok) return data(parsed, { status: 400 });
        // "Upprepa": the group's meetings as a series (decision 042).
        const meeting = parsed.series
          ? (await createMeetingSeries(deps, { ...parsed.fields, councilId: council.id, actorId: user.id, groupId: group.id, rule: parsed.series.rule, convene: parsed.series.convene })).meetings[0]
          : await createMeeting(deps, { ...parsed.fields, councilId: council.id, actorId: user.id, groupId: group.id });
        throw redirect(`/councils/${council.slug}/meetings/${meeting.id}`);
      }
      default:
        return formError("error.unknownIntent", values.intent);
    }
  } catch (err) {
    if (err instanceof Response) throw err;
    return domainFailure(err, values);
  }
}

export default function GroupPage() {
  const { council, group, myRole, members, year, areas, meetings, canEdit, canMeet, formValues, options } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const [search] = useSearchParams();
  const t = useT();
  useCouncilLive(council.id);
  const failed = result && !result.ok ? result : undefined;
  const done = result && result.ok ? result.intent : search.get("created") ? "created" : undefined;
  const base = `/councils/${council.slug}`;
  return (
    <div className="page">
      <h1>{group.name}</h1>
      <div aria-live="polite">
        {done === "created" ? <p className="notice">{t("groups.created")}</p> : null}
        {done === "update" ? <p className="notice">{t("groups.saved")}</p> : null}
      </div>
      {failed && failed.intent !== "update" && failed.intent !== "createMeeting" ? <ErrorSummary errors={failed.errors} labels={{}} /> : null}
      {group.description ? <p className="lede plan-text--multi">{group.description}</p> : null}
      {myRole ? <p>{myRole === "convener" ? t("groups.youConvene") : t("groups.youAreMember")}</p> : null}

      <section aria-labelledby="members-h">
        <h2 id="members-h">{t("groups.members")}</h2>
        <ul>
          {members.map((m) => (
            <li key={m.userId}>
              <strong>{m.name}</strong>, {m.organisation}
              {m.role === "convener" ? ` (${t("groups.roleConvener")})` : ""}
              {m.councilRole === "adjunct" ? (
                <>
                  {" "}
                  <RoleBadge role="adjunct" />
                </>
              ) : null}
              {!m.active ? ` – ${t("groups.noAccess")}` : null}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="areas-h">
        <h2 id="areas-h">{t("groups.areasTitle")}</h2>
        {year === null ? <p>{t("groups.noPlan")}</p> : <p>{t("groups.actionsIntro", { year })}</p>}
        {areas.map((a) => (
          <div key={a.id}>
            <h3 id={`area-h-${a.id}`}>{a.title}</h3>
            {!a.inPlan ? (
              <p className="muted">{t("groups.areaNotInPlan")}</p>
            ) : a.actions.length === 0 ? (
              <p>{t("groups.noActions")}</p>
            ) : (
              <div className="table-wrap">
                <table aria-labelledby={`area-h-${a.id}`}>
                  <thead>
                    <tr>
                      <th scope="col">{t("plan.action")}</th>
                      <th scope="col">{t("plan.status")}</th>
                      <th scope="col">{t("plan.progress")}</th>
                      <th scope="col">{t("plan.responsibleUser")}</th>
                      <th scope="col">{t("plan.dueDate")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {a.actions.map((x) => (
                      <tr key={x.id}>
                        <td>
                          <Link to={`${base}/plans/${year}/actions/${x.id}`}>{x.title}</Link>
                        </td>
                        <td>
                          <StatusBadge status={x.status as ActionStatus} />
                        </td>
                        <td>{x.progress} %</td>
                        <td>{[x.responsible ? t.person(x.responsible) : null, x.responsibleOrg].filter(Boolean).join(", ")}</td>
                        <td>{x.dueDate ? t.date(x.dueDate) : ""}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </div>
        ))}
      </section>

      <section aria-labelledby="group-meetings-h">
        <h2 id="group-meetings-h">{t("groups.meetings")}</h2>
        {meetings.length === 0 ? (
          <p>{t("groups.noMeetings")}</p>
        ) : (
          <ul className="meeting-list">
            {meetings.map((m) => (
              <li key={m.id} className="card">
                <h3>
                  <Link to={`${base}/meetings/${m.id}`}>{m.title}</Link>
                </h3>
                <p>
                  <MeetingTime startsAt={m.startsAt} endsAt={m.endsAt} />
                </p>
                <p className="muted">
                  {t(`meetings.status.${m.status}`)}
                  {m.location ? ` · ${m.location}` : ""}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      {canMeet ? (
        <section aria-labelledby="group-new-meeting-h">
          <h2 id="group-new-meeting-h">{t("groups.newMeeting")}</h2>
          <MeetingForm
            intent="createMeeting"
            submit={t("meetings.create")}
            seriesPreview={`/councils/${council.slug}/meetings/series-preview`}
            errors={failed?.intent === "createMeeting" ? failed.errors : undefined}
            values={failed?.intent === "createMeeting" ? failed.values : {}}
          />
        </section>
      ) : null}

      {canEdit ? (
        <>
          <section aria-labelledby="group-edit-h">
            <h2 id="group-edit-h">{t("groups.edit")}</h2>
            <GroupForm
              intent="update"
              submit={t("groups.save")}
              errors={failed?.intent === "update" ? failed.errors : undefined}
              values={failed?.intent === "update" ? failed.values : formValues}
              options={options}
            />
          </section>
          <section aria-labelledby="group-delete-h">
            <h2 id="group-delete-h">{t("groups.delete")}</h2>
            <p className="hint">{t("groups.deleteHint")}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="delete" />
              <button type="submit" className="button--danger">
                {t("groups.delete")}
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  );
}
