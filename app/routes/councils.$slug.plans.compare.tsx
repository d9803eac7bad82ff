import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { listPlans } from "../../server/domain/plans";
import { comparePlans, planJsonForYear, type ComparedField } from "../../server/domain/revisions";
import { personNames } from "../../server/domain/users";
import { StatusBadge } from "~/components/StatusBadge";
import type { ActionStatus } from "../../server/domain/plan-doc";
import { pageTitle, statusKey, useT, type MessageKey } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";
import type { CouncilHandle } from "./councils.$slug";

export const handle: CouncilHandle = { crumbs: () => [{ key: "breadcrumbs.compare" }] };

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.compare")];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council } = await requireCouncil(request, context, params.slug, "plan:view");
  const plans = await listPlans(context.db, council.id);
  const url = new URL(request.url);
  const years = plans.map((p) => p.year).sort();
  const num = (v: string | null, fallback: number) => (v && /^\d{4}$/.test(v) ? Number(v) : fallback);
  const to = num(url.searchParams.get("to"), years.at(-1) ?? new Date().getFullYear());
  const from = num(url.searchParams.get("from"), years.at(-2) ?? to - 1);
  const [a, b] = await Promise.all([planJsonForYear(context.db, council.id, from), planJsonForYear(context.db, council.id, to)]);
  // Dates that only moved with the plan's year are the revision's, not a change (server/domain/revisions.ts).
  const diff = a && b ? comparePlans(a, b, { yearShift: to - from }) : null;
  // Who a changed "responsible person" id is, by name.
  const ids = (diff?.actions.changed ?? []).flatMap((x) => x.changes.filter((c) => c.field === "responsibleUserId").flatMap((c) => [c.from, c.to]));
  return {
    council: { slug: council.slug, name: council.name },
    years,
    from,
    to,
    missing: !a ? from : !b ? to : null,
    yearShift: to - from,
    diff,
    people: await personNames(context.db, ids.filter((v): v is string => typeof v === "string")),
  };
}

const FIELD_KEY = {
  title: "revision.field.title",
  description: "revision.field.description",
  responsibleOrg: "revision.field.responsibleOrg",
  responsibleUserId: "revision.field.responsibleUserId",
  startDate: "revision.field.startDate",
  dueDate: "revision.field.dueDate",
  status: "revision.field.status",
  progress: "revision.field.progress",
  indicators: "revision.field.indicators",
} as const satisfies Record<ComparedField, MessageKey>;

export default function Compare() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const list = (items: { id: string; title: string; area?: string; status?: string }[]) =>
    items.length ? (
      <ul>
        {items.map((x) => (
          <li key={x.id}>
            {x.title || t("plan.untitled")}
            {x.area ? <span className="muted"> ({x.area})</span> : null}
            {x.status ? (
              <>
                {" – "}
                <StatusBadge status={x.status as ActionStatus} />
              </>
            ) : null}
          </li>
        ))}
      </ul>
    ) : (
      <p>{t("revision.none")}</p>
    );
  // A changed value in the reader's words: a status by name, a date in Stockholm, a person by name, a text quoted.
  const show = (field: ComparedField, v: unknown): string => {
    if (v === null || v === "" || v === undefined) return "–";
    const s = String(v);
    switch (field) {
      case "title":
      case "description":
      case "responsibleOrg":
      case "indicators":
        return `”${s}”`;
      case "status":
        return t(statusKey(s));
      case "responsibleUserId":
        return Object.hasOwn(d.people, s) ? t.person(d.people[s]) : t("audit.removedItem");
      case "startDate":
      case "dueDate":
        return t.date(s);
      case "progress":
        return t("revision.progress", { progress: s });
      default:
        return s;
    }
  };
  // One change as a sentence: "Slutdatum ändrades från 31 maj 2025 till 30 juni 2026."
  const sentence = (c: { field: ComparedField; from: unknown; to: unknown }) => {
    const field = t(FIELD_KEY[c.field]);
    const vars = { field: field.charAt(0).toLocaleUpperCase(t.locale) + field.slice(1), from: show(c.field, c.from), to: show(c.field, c.to) };
    const empty = (v: unknown) => v === null || v === undefined || v === "";
    return t(empty(c.from) ? "revision.changeSet" : empty(c.to) ? "revision.changeCleared" : "revision.changeLine", vars);
  };
  const changes = (items: { id: string; title: string; area?: string; changes: { field: ComparedField; from: unknown; to: unknown }[] }[]) =>
    items.length ? (
      <ul className="compare__changes">
        {items.map((x) => (
          <li key={x.id}>
            <strong>{x.title || t("plan.untitled")}</strong>
            {x.area ? <span className="muted"> ({x.area})</span> : null}
            <ul>
              {x.changes.map((c) => (
                <li key={c.field}>{sentence(c)}</li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    ) : (
      <p>{t("revision.none")}</p>
    );
  return (
    <div className="page page--wide">
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
          {changes(d.diff.areas.changed)}
          <h3>{t("revision.actionsAdded")}</h3>
          {list(d.diff.actions.added)}
          <h3>{t("revision.actionsClosed")}</h3>
          <p className="muted">{t("revision.actionsClosedIntro", { from: d.from, to: d.to })}</p>
          {list(d.diff.actions.closed)}
          <h3>{t("revision.actionsRemoved")}</h3>
          <p className="muted">{t("revision.actionsRemovedIntro", { from: d.from, to: d.to })}</p>
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
          {d.yearShift ? <p className="muted">{t("revision.yearShiftNote")}</p> : null}
          {changes(d.diff.actions.changed)}
        </div>
      ) : null}
    </div>
  );
}
