import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getAgendaTemplate, listAgendaTemplates } from "../../server/domain/agenda-templates";
import { createMeeting, listMeetings } from "../../server/domain/meetings";
import { can, canOnMeeting } from "../../server/domain/permissions";
import { groupNames, groupRolesOf } from "../../server/domain/groups";
import { meetingIdsWithPolls } from "../../server/domain/polls";
import { createMeetingSeries } from "../../server/domain/meeting-series";
import { MeetingForm } from "~/components/MeetingForm";
import { MonthCalendar } from "~/components/MonthCalendar";
import { stockholmToday } from "../../server/domain/time";
import { MeetingTime } from "~/components/MeetingTime";
import { useCouncilLive } from "~/components/useCouncilLive";
import { pageTitle, useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";
import { domainFailure, readForm } from "~/utils/forms.server";
import { parseNewMeeting } from "~/utils/meeting-form.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.meetings", { council: data.council.name }) : pageTitle(matches)];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership, user } = await requireCouncil(request, context, params.slug, "meeting:view");
  const canManage = can(membership, "meeting:manage");
  const templates = canManage ? (await listAgendaTemplates(context.db, council.id)).map((tpl) => ({ id: tpl.id, name: tpl.name })) : [];
  const withPolls = await meetingIdsWithPolls(context.db, council.id);
  // Working groups' meetings are listed too, with the group's name; their conveners see their drafts.
  const [roles, groups] = await Promise.all([groupRolesOf(context.db, council.id, user.id), groupNames(context.db, council.id)]);
  const manages = (m: { group_id: string | null }) => canOnMeeting(membership, "meeting:manage", m, m.group_id ? (roles.get(m.group_id) ?? null) : null);
  const answers = (m: { group_id: string | null }) => canOnMeeting(membership, "meeting:respond", m, m.group_id ? (roles.get(m.group_id) ?? null) : null);
  // Drafts are for those who manage them; a draft with a time poll is shown so it can be answered
  // (a council meeting's to everyone, a group meeting's to those who may answer it).
  const meetings = (await listMeetings(context.db, council.id, { includeDrafts: true })).filter(
    (m) => m.status !== "draft" || manages(m) || (withPolls.has(m.id) && (!m.group_id || answers(m))),
  );
  const now = new Date().toISOString();
  const view = (m: (typeof meetings)[number]) => ({
    id: m.id,
    title: m.title,
    startsAt: m.starts_at,
    endsAt: m.ends_at,
    status: m.status,
    location: m.location,
    group: m.group_id ? (groups.get(m.group_id) ?? null) : null,
  });
  const asked = new URL(request.url).searchParams.get("month") ?? "";
  const month = /^\d{4}-(0[1-9]|1[0-2])$/.test(asked) ? asked : stockholmToday().slice(0, 7);
  return {
    council: { id: council.id, slug: council.slug, name: council.name },
    month,
    // A draft whose time a poll will decide is on no day yet.
    calendar: meetings.flatMap((m) => (m.starts_at ? [{ id: m.id, title: m.title, startsAt: m.starts_at, status: m.status }] : [])),
    canManage,
    templates,
    hasDrafts: canManage || meetings.some((m) => m.status === "draft" && manages(m)),
    drafts: meetings.filter((m) => m.status === "draft" && manages(m)).map(view),
    polling: meetings.filter((m) => m.status === "draft" && withPolls.has(m.id)).map(view),
    upcoming: meetings.filter((m) => m.status !== "draft" && m.ends_at && m.ends_at >= now).map(view),
    // A meeting cancelled before a time poll gave it a time is over too.
    past: meetings.filter((m) => m.status !== "draft" && (!m.ends_at || m.ends_at < now)).reverse().map(view),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { council, user } = await requireCouncil(request, context, params.slug, "meeting:manage");
  const values = await readForm(request);
  // "Find a time with a time poll": the meeting is created without one (decision 027);
  // date and times typed before switching are hidden and ignored. "Upprepa": a series (decision 042).
  const parsed = parseNewMeeting(values, { offerPoll: true });
  if (!parsed.ok) return data(parsed, { status: 400 });
  // The agenda may start from one of the council's templates (a copy of its items, for each meeting of a series).
  const template = values.template ? await getAgendaTemplate(context.db, council.id, values.template) : undefined;
  if (values.template && !template) return data({ ok: false as const, errors: { template: "error.templateNotFound" as const }, values, intent: "create" }, { status: 400 });
  const deps = { db: context.db, events: context.events };
  if (parsed.series) {
    try {
      const { meetings } = await createMeetingSeries(deps, { ...parsed.fields, councilId: council.id, actorId: user.id, agenda: template?.items, rule: parsed.series.rule, convene: parsed.series.convene });
      throw redirect(`/councils/${council.slug}/meetings/${meetings[0].id}`);
    } catch (err) {
      if (err instanceof Response) throw err;
      return domainFailure(err, values);
    }
  }
  const meeting = await createMeeting(deps, { ...parsed.fields, councilId: council.id, actorId: user.id, agenda: template?.items });
  throw redirect(`/councils/${council.slug}/meetings/${meeting.id}${parsed.byPoll ? "#newpoll-h" : ""}`);
}

type MeetingView = Awaited<ReturnType<typeof loader>>["upcoming"][number];

export default function MeetingsPage() {
  const { council, canManage, templates, hasDrafts, drafts, polling, upcoming, past, month, calendar } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  useCouncilLive(council.id);
  const list = (items: MeetingView[]) =>
    items.length === 0 ? (
      <p>{t("meetings.none")}</p>
    ) : (
      <ul className="meeting-list">
        {items.map((m) => (
          <li key={m.id} className="card">
            <h3>
              <Link to={`/councils/${council.slug}/meetings/${m.id}`}>{m.title}</Link>
            </h3>
            <p>
              <MeetingTime startsAt={m.startsAt} endsAt={m.endsAt} />
            </p>
            <p className="muted">
              {t(`meetings.status.${m.status}`)}
              {m.location ? ` · ${m.location}` : ""}
              {m.group ? ` · ${m.group}` : ""}
            </p>
          </li>
        ))}
      </ul>
    );
  return (
    <div className="page">
      <h1>{t("meetings.title")}</h1>
      <p>
        <Link to={`/councils/${council.slug}/decisions`}>{t("meetings.decisionRegister")}</Link>
      </p>
      <section aria-labelledby="month-h">
        <h2 id="month-h">{t("calendar.month")}</h2>
        <MonthCalendar month={month} meetings={calendar} basePath={`/councils/${council.slug}/meetings`} />
      </section>
      {hasDrafts ? (
        <section aria-labelledby="drafts-h">
          <h2 id="drafts-h">{t("meetings.drafts")}</h2>
          {list(drafts)}
        </section>
      ) : null}
      {polling.length ? (
        <section aria-labelledby="polling-h">
          <h2 id="polling-h">{t("poll.title")}</h2>
          {list(polling)}
        </section>
      ) : null}
      <section aria-labelledby="upcoming-h">
        <h2 id="upcoming-h">{t("meetings.upcoming")}</h2>
        {list(upcoming)}
      </section>
      <section aria-labelledby="past-h">
        <h2 id="past-h">{t("meetings.past")}</h2>
        {list(past)}
      </section>
      {canManage ? (
        <section aria-labelledby="new-h">
          <h2 id="new-h">{t("meetings.new")}</h2>
          <p>
            <Link to={`/councils/${council.slug}/agenda-templates`}>{t("templates.manage")}</Link>
            {" · "}
            <Link to={`/councils/${council.slug}/settings`}>{t("councilSettings.link")}</Link>
          </p>
          <MeetingForm
            intent="create"
            submit={t("meetings.create")}
            offerPoll
            templates={templates}
            seriesPreview={`/councils/${council.slug}/meetings/series-preview`}
            errors={result && !result.ok ? result.errors : undefined}
            values={result && !result.ok ? result.values : {}}
          />
        </section>
      ) : null}
    </div>
  );
}
