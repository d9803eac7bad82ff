import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listCouncilsForUser } from "../../server/domain/councils";
import { listMeetingsForUser } from "../../server/domain/meetings";
import { stockholmToday } from "../../server/domain/time";
import { MeetingTime } from "~/components/MeetingTime";
import { RoleBadge } from "~/components/RoleBadge";
import { useCouncilLive } from "~/components/useCouncilLive";
import { pageTitle, useT } from "~/i18n";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.home")];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const today = stockholmToday();
  const councils = await listCouncilsForUser(context.db, user.id, today);
  const now = new Date().toISOString();
  const upcoming = (await listMeetingsForUser(context.db, user.id, today))
    .filter((m) => m.ends_at >= now)
    .slice(0, 5)
    .map((m) => ({ id: m.id, title: m.title, startsAt: m.starts_at, endsAt: m.ends_at, status: m.status, councilSlug: m.council_slug, councilName: m.council_name }));
  return { councils, today, upcoming };
}

export default function Home() {
  const { councils, today, upcoming } = useLoaderData<typeof loader>();
  const t = useT();
  // A meeting convened, moved or cancelled in any of the person's councils shows at once.
  useCouncilLive("*");
  return (
    <div className="page">
      <h1>{t("home.title")}</h1>
      {councils.length === 0 ? (
        <p>{t("home.empty")}</p>
      ) : (
        <ul className="card-list">
          {councils.map((c) => (
            <li key={c.id} className="card">
              <h2>{c.active ? <Link to={`/councils/${c.slug}`}>{c.name}</Link> : c.name}</h2>
              <p className="muted">{t("council.subRegion", { name: c.subRegion })}</p>
              <p>
                <span className="visually-hidden">{t("home.yourRole", { role: "" })}</span>
                <RoleBadge role={c.role} />
              </p>
              {!c.active && c.validTo && c.validTo < today ? <p>{t("home.ended", { date: t.date(c.validTo) })}</p> : null}
              {!c.active && c.validFrom && c.validFrom > today ? (
                <p>{t("home.notStarted", { date: t.date(c.validFrom) })}</p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <h2>{t("meetings.upcoming")}</h2>
      {upcoming.length === 0 ? (
        <p>{t("meetings.none")}</p>
      ) : (
        <ul className="meeting-list">
          {upcoming.map((m) => (
            <li key={m.id} className="card">
              <h3>
                <Link to={`/councils/${m.councilSlug}/meetings/${m.id}`}>{m.title}</Link>
              </h3>
              <p>
                <MeetingTime startsAt={m.startsAt} endsAt={m.endsAt} />
              </p>
              <p className="muted">
                {m.councilName}
                {m.status === "cancelled" ? ` · ${t("meetings.status.cancelled")}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
