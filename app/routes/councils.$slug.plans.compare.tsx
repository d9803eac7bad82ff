import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listPlans } from "../../server/domain/plans";
import { comparePlans, planJsonForYear } from "../../server/domain/revisions";
import { StatusBadge } from "~/components/StatusBadge";
import type { ActionStatus } from "../../server/domain/plan-doc";
import { useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Jämför handlingsplaner – Samsyn" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council } = await requireCouncil(request, context, params.slug, "plan:view");
  const plans = await listPlans(context.db, council.id);
  const url = new URL(request.url);
  const years = plans.map((p) => p.year).sort();
  const num = (v: string | null, fallback: number) => (v && /^\d{4}$/.test(v) ? Number(v) : fallback);
  const to = num(url.searchParams.get("to"), years.at(-1) ?? new Date().getFullYear());
  const from = num(url.searchParams.get("from"), years.at(-2) ?? to - 1);
  const [a, b] = await Promise.all([planJsonForYear(context.db, council.id, from), planJsonForYear(context.db, council.id, to)]);
  return {
    council: { slug: council.slug, name: council.name },
    years,
    from,
    to,
    missing: !a ? from : !b ? to : null,
    diff: a && b ? comparePlans(a, b) : null,
  };
}

export default function Compare() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const list = (items: { id: string; title: string; area?: string }[]) =>
    items.length ? (
      <ul>
        {items.map((x) => (
          <li key={x.id}>
            {x.title || t("plan.untitled")}
            {x.area ? <span className="muted"> ({x.area})</span> : null}
          </li>
        ))}
      </ul>
    ) : (
      <p>{t("revision.none")}</p>
    );
  const show = (v: unknown) => (v === null || v === "" || v === undefined ? "–" : String(v));
  return (
    <div className="page page--wide">
      <p>
        <Link to={`/councils/${d.council.slug}`}>← {d.council.name}</Link>
      </p>
      <h1>{t("revision.title")}</h1>
      <Form method="get" className="row-form">
        {(["from", "to"] as const).map((f) => (
          <span key={f}>
            <label htmlFor={`cmp-${f}`}>{t(`revision.${f}`)}</label>
            <select id={`cmp-${f}`} name={f} defaultValue={String(d[f])}>
              {d.years.map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </span>
        ))}
        <button type="submit">{t("revision.show")}</button>
      </Form>
      {d.missing ? <p className="notice notice--info">{t("revision.noPlan", { year: d.missing })}</p> : null}
      {d.diff ? (
        <div className="compare">
          <h2>
            {d.from} → {d.to}
          </h2>
          <h3>{t("revision.areasAdded")}</h3>
          {list(d.diff.areas.added)}
          <h3>{t("revision.areasRemoved")}</h3>
          {list(d.diff.areas.removed)}
          <h3>{t("revision.areasChanged")}</h3>
          {d.diff.areas.changed.length ? (
            <ul>
              {d.diff.areas.changed.map((x) => (
                <li key={x.id}>
                  {x.title}:{" "}
                  {x.changes.map((c) => `${t(`revision.field.${c.field}`)}: ”${show(c.from)}” → ”${show(c.to)}”`).join("; ")}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t("revision.none")}</p>
          )}
          <h3>{t("revision.actionsAdded")}</h3>
          {list(d.diff.actions.added)}
          <h3>{t("revision.actionsRemoved")}</h3>
          {list(d.diff.actions.removed)}
          <h3>{t("revision.statusMoves")}</h3>
          {d.diff.statusMoves.length ? (
            <ul>
              {d.diff.statusMoves.map((x) => (
                <li key={x.id}>
                  {x.title}: <StatusBadge status={x.from as ActionStatus} /> → <StatusBadge status={x.to as ActionStatus} />
                </li>
              ))}
            </ul>
          ) : (
            <p>{t("revision.none")}</p>
          )}
          <h3>{t("revision.actionsChanged")}</h3>
          {d.diff.actions.changed.length ? (
            <ul>
              {d.diff.actions.changed.map((x) => (
                <li key={x.id}>
                  <strong>{x.title}</strong>:{" "}
                  {x.changes.map((c) => `${t(`revision.field.${c.field}`)}: ${show(c.from)} → ${show(c.to)}`).join("; ")}
                </li>
              ))}
            </ul>
          ) : (
            <p>{t("revision.none")}</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
