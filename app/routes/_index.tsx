import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listCouncilsForUser } from "../../server/domain/councils";
import { stockholmToday } from "../../server/domain/time";
import { todoFor, type TodoItem } from "../../server/domain/todo";
import { MeetingTime } from "~/components/MeetingTime";
import { RoleBadge } from "~/components/RoleBadge";
import { useCouncilLive } from "~/components/useCouncilLive";
import todoStyles from "~/components/todo.css?url";
import { pageTitle, useT } from "~/i18n";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.home")];

export const links: LinksFunction = () => [{ rel: "stylesheet", href: todoStyles }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const now = new Date();
  const today = stockholmToday(now);
  const [councils, todo] = await Promise.all([listCouncilsForUser(context.db, user.id, today), todoFor(context.db, user.id, now)]);
  return { councils, today, todo };
}

/** The few facts people scan for on one row: the council, and when (or how late). */
function TodoFacts({ item }: { item: TodoItem }) {
  const t = useT();
  let fact: React.ReactNode = null;
  switch (item.kind) {
    case "poll":
      fact = item.at ? t("todo.pollDeadline", { when: t.dateTime(item.at) }) : null;
      break;
    case "rsvp":
      fact = item.at ? t("todo.meetingAt", { when: t.dateTime(item.at) }) : null;
      break;
    case "minutes":
      fact = item.at ? t("todo.minutesOf", { date: t.date(item.at) }) : null;
      break;
    case "followup":
      fact = item.overdue ? (
        <>
          <span className="todo-overdue">{t("todo.overdue")}</span>
          {item.at ? ` · ${t("todo.dueDate", { date: t.date(item.at) })}` : ""}
        </>
      ) : (
        [t("todo.beforeMeeting"), item.at ? t("todo.dueDate", { date: t.date(item.at) }) : null].filter(Boolean).join(" · ")
      );
      break;
    case "vote":
      fact = item.at ? t("todo.voteCloses", { when: t.dateTime(item.at) }) : null;
      break;
    case "proposals":
      fact = item.at ? t("todo.proposalsWaiting", { count: item.count ?? 0, when: t.dateTime(item.at) }) : t("todo.proposalsWaitingNoTime", { count: item.count ?? 0 });
      break;
  }
  return (
    <p className="todo-facts muted">
      {item.councilName}
      {fact ? <> · {fact}</> : null}
    </p>
  );
}

export default function Home() {
  const { councils, today, todo } = useLoaderData<typeof loader>();
  const t = useT();
  // A meeting convened, moved or cancelled in any of the person's councils shows at once.
  useCouncilLive("*");
  return (
    <div className="page">
      <h1>{t("todo.title")}</h1>
      {todo.total === 0 ? (
        <p data-testid="todo-empty">{t("todo.empty")}</p>
      ) : (
        todo.groups.map((g) => (
          <section key={g.kind} className="todo-section" aria-labelledby={`todo-${g.kind}`} data-kind={g.kind}>
            <h2 id={`todo-${g.kind}`}>
              {t(`todo.kind.${g.kind}`)} <span className="todo-count">{t("todo.count", { count: g.items.length })}</span>
            </h2>
            <ul className="todo-list">
              {g.items.map((i) => (
                <li key={i.link}>
                  <Link className="todo-link" to={i.link}>
                    {i.title}
                  </Link>
                  <TodoFacts item={i} />
                </li>
              ))}
            </ul>
          </section>
        ))
      )}

      <h2>{t("meetings.upcoming")}</h2>
      {todo.upcoming.length === 0 ? (
        <p>{t("meetings.none")}</p>
      ) : (
        <ul className="meeting-list">
          {todo.upcoming.map((m) => (
            <li key={m.id} className="card">
              <h3>
                <Link to={m.link}>{m.title}</Link>
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

      <h2>{t("home.title")}</h2>
      {councils.length === 0 ? (
        <p>{t("home.empty")}</p>
      ) : (
        <ul className="card-list">
          {councils.map((c) => (
            <li key={c.id} className="card">
              <h3>{c.active ? <Link to={`/councils/${c.slug}`}>{c.name}</Link> : c.name}</h3>
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
    </div>
  );
}
