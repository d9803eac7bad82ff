// The council's decision register (beslutsregister, issue #15): every decision
// recorded at its meetings, by year, with the meeting, its date and the paragraph
// (§) of the minutes it stands under. Who sees what follows the one published rule
// (listRecordedDecisions, publication.ts): observers see decisions once the minutes
// are approved.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listRecordedDecisions } from "../../server/domain/agenda";
import { actionRefs } from "../../server/domain/plans";
import { formatDate, pageTitle, useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";
import { stockholmToday } from "../../server/domain/time";
import type { CouncilHandle } from "./councils.$slug";

export const handle: CouncilHandle = { crumbs: (_d, base) => [{ key: "decisions.title", to: `${base}/decisions` }] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "decisions.title") : pageTitle(matches)];

/** The Stockholm year of an instant. */
const yearOf = (iso: string) => Number(new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Stockholm", year: "numeric" }).format(new Date(iso)));

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership } = await requireCouncil(request, context, params.slug, "meeting:view");
  const all = await listRecordedDecisions(context.db, council.id, membership);
  const years = [...new Set(all.map((d) => yearOf(d.startsAt)))].sort((a, b) => b - a);
  const asked = Number(new URL(request.url).searchParams.get("year"));
  const year = years.includes(asked) ? asked : (years[0] ?? Number(stockholmToday().slice(0, 4)));
  // Newest meeting first; within a meeting, in the order of its paragraphs.
  const meetings: { id: string; title: string; startsAt: string; decisions: { id: string; paragraph: number; title: string; decision: string; action: { title: string; path: string } | null }[] }[] = [];
  const shown = all.filter((x) => yearOf(x.startsAt) === year);
  // The plan action a decision is about, as that year's plan has it.
  const actions = await actionRefs(context.db, council.id, shown.flatMap((d) => (d.planActionId ? [{ id: d.planActionId, year }] : [])));
  for (const d of shown) {
    let m = meetings.at(-1);
    if (m?.id !== d.meetingId) meetings.push((m = { id: d.meetingId, title: d.meetingTitle, startsAt: d.startsAt, decisions: [] }));
    const a = d.planActionId ? actions.get(`${d.planActionId}|${year}`) : undefined;
    m.decisions.push({ id: d.id, paragraph: d.paragraph, title: d.title, decision: d.decision, action: a ? { title: a.title, path: `plans/${a.year}/actions/${d.planActionId}` } : null });
  }
  return { council: { slug: council.slug }, years, year, meetings };
}

export default function DecisionRegister() {
  const { council, years, year, meetings } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="page">
      <h1>{t("decisions.title")}</h1>
      <p>{t("decisions.intro")}</p>
      {years.length > 1 ? (
        <Form method="get" className="row-form">
          <label htmlFor="year">{t("decisions.year")}</label>
          <select id="year" name="year" defaultValue={year}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
          <button type="submit">{t("decisions.show")}</button>
        </Form>
      ) : null}
      {meetings.length === 0 ? <p>{t("decisions.none")}</p> : null}
      {meetings.map((m) => (
        <section key={m.id} aria-labelledby={`d-${m.id}`} className="card">
          <h2 id={`d-${m.id}`}>
            <Link to={`/councils/${council.slug}/meetings/${m.id}/minutes`}>{m.title}</Link>
          </h2>
          <p className="muted">
            {formatDate(t.locale, m.startsAt)}
          </p>
          <dl className="decision-list">
            {m.decisions.map((d) => (
              <div key={d.id}>
                <dt>
                  {t("decisions.paragraph", { n: d.paragraph })} {d.title}
                </dt>
                <dd>
                  {d.decision}
                  {d.action ? (
                    <>
                      <br />
                      <Link to={`/councils/${council.slug}/${d.action.path}`}>{t("decisions.action", { title: d.action.title || t("plan.untitled") })}</Link>
                    </>
                  ) : null}
                </dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </div>
  );
}
