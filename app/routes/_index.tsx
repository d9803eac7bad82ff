import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listCouncilsForUser } from "../../server/domain/councils";
import { stockholmToday } from "../../server/domain/time";
import { RoleBadge } from "~/components/RoleBadge";
import { useT } from "~/i18n";
import { requireUser } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Mina råd – Samsyn" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const today = stockholmToday();
  const councils = await listCouncilsForUser(context.db, user.id, today);
  return { councils, today };
}

export default function Home() {
  const { councils, today } = useLoaderData<typeof loader>();
  const t = useT();
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
    </div>
  );
}
