// The council's annual wheel (årshjul, issue #17): the year as a wheel (an SVG
// picture; each kind has its own shape and ring, never colour alone) and as a
// twelve-month list, which is the page's content for everyone (screen readers,
// keyboard, print). Entries come from server/domain/year-wheel.ts and link to their pages.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { councilYear, deleteYearEvent, listYearEvents, saveYearEvent, YEAR_ENTRY_KINDS } from "../../server/domain/year-wheel";
import { can } from "../../server/domain/permissions";
import { yearEventIdSchema, yearEventSchema } from "../../server/domain/schemas";
import { domainFailure, formError, readForm, validate } from "~/utils/forms.server";
import { YearEvents } from "~/components/YearEvents";
import type { YearEntry, YearEntryKind } from "../../server/domain/year-wheel";
import { pageTitle, useT, type MessageKey } from "~/i18n";
import { notFound, requireCouncil } from "~/utils/auth.server";
import type { CouncilHandle } from "./councils.$slug";

export const handle: CouncilHandle = { crumbs: (d, base) => [{ key: "year.title", to: `${base}/year/${(d as { year: number }).year}` }] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [pageTitle(matches, "year.title")];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership, user } = await requireCouncil(request, context, params.slug, "council:view");
  const canManage = can(membership, "meeting:manage");
  if (!/^\d{4}$/.test(params.year ?? "") || Number(params.year) < 2000 || Number(params.year) > 2100) throw notFound();
  const year = Number(params.year);
  const entries = await councilYear(context.db, { councilId: council.id, year, membership, userId: user.id });
  // The legend: every kind, "revision" only in a year that has one.
  const kinds = YEAR_ENTRY_KINDS.filter((k) => k !== "revision" || entries.some((e) => e.kind === k));
  return { base: `/councils/${council.slug}`, year, entries, kinds, canManage, events: await listYearEvents(context.db, council.id) };
}

/** Leaders keep the council's own yearly events (plain forms). */
export async function action({ request, context, params }: ActionFunctionArgs) {
  const { council, user } = await requireCouncil(request, context, params.slug, "meeting:manage");
  const values = await readForm(request);
  try {
    switch (values.intent) {
      case "saveEvent": {
        const parsed = validate(yearEventSchema, values);
        if (!parsed.ok) return data({ ...parsed, intent: "saveEvent" as const, id: values.id ?? "" }, { status: 400 });
        await saveYearEvent(context.db, { councilId: council.id, actorId: user.id, ...parsed.data });
        return { ok: true as const, intent: "saveEvent" as const };
      }
      case "deleteEvent": {
        const parsed = validate(yearEventIdSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await deleteYearEvent(context.db, { councilId: council.id, actorId: user.id, id: parsed.data.id });
        return { ok: true as const, intent: "deleteEvent" as const };
      }
      default:
        return formError("error.unknownIntent");
    }
  } catch (err) {
    return domainFailure(err, values);
  }
}

const SIZE = 360;
const C = SIZE / 2;
/** Ring per kind, from the outside in: each kind also has its own shape. */
const RING: Record<YearEntryKind, number> = { meeting: 152, cancelled: 152, groupMeeting: 136, followup: 120, actionDue: 104, yearEvent: 88, adopted: 72, revision: 72 };

function Marker({ kind, x, y }: { kind: YearEntryKind; x: number; y: number }) {
  const cls = `wheel-mark wheel-mark--${kind}`;
  switch (kind) {
    case "meeting":
    case "cancelled":
      return <circle className={cls} cx={x} cy={y} r={5} />;
    case "groupMeeting":
      return <circle className={cls} cx={x} cy={y} r={4} />;
    case "followup":
      return <polygon className={cls} points={`${x},${y - 6} ${x + 5.5},${y + 4} ${x - 5.5},${y + 4}`} />;
    case "actionDue":
      return <rect className={cls} x={x - 4} y={y - 4} width={8} height={8} />;
    case "yearEvent":
      return <polygon className={cls} points={[0, 1, 2, 3, 4, 5].map((k) => `${x + 5.5 * Math.cos((k * Math.PI) / 3)},${y + 5.5 * Math.sin((k * Math.PI) / 3)}`).join(" ")} />;
    default:
      return <polygon className={cls} points={`${x},${y - 6} ${x + 6},${y} ${x},${y + 6} ${x - 6},${y}`} />;
  }
}

function Wheel({ year, entries }: { year: number; entries: YearEntry[] }) {
  const t = useT();
  // Calendar arithmetic on plain dates (UTC midnight): no time zone, no date library in the page.
  const ordinal = (y: number, m: number, d: number) => (Date.UTC(y, m - 1, d) - Date.UTC(year, 0, 1)) / 86_400_000 + 1;
  const days = ordinal(year + 1, 1, 1) - 1;
  const angle = (date: string) => ((ordinal(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))) - 0.5) / days) * 2 * Math.PI - Math.PI / 2;
  const at = (a: number, r: number) => [C + r * Math.cos(a), C + r * Math.sin(a)] as const;
  return (
    <svg className="wheel" viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-labelledby="wheel-title wheel-desc">
      <title id="wheel-title">{t("year.wheelTitle", { year })}</title>
      <desc id="wheel-desc">{t("year.wheelDesc")}</desc>
      <circle className="wheel-ring" cx={C} cy={C} r={168} />
      <circle className="wheel-hub" cx={C} cy={C} r={60} />
      <text className="wheel-year" x={C} y={C + 7} textAnchor="middle">
        {year}
      </text>
      {Array.from({ length: 12 }, (_, i) => {
        const a0 = ((ordinal(year, i + 1, 1) - 1) / days) * 2 * Math.PI - Math.PI / 2;
        const a1 = ((ordinal(year, i + 2, 1) - 1) / days) * 2 * Math.PI - Math.PI / 2;
        const [x1, y1] = at(a0, 60);
        const [x2, y2] = at(a0, 168);
        const [lx, ly] = at((a0 + a1) / 2, 160);
        return (
          <g key={i}>
            <line className="wheel-spoke" x1={x1} y1={y1} x2={x2} y2={y2} />
            <text className="wheel-month" x={lx} y={ly + 4} textAnchor="middle">
              {t(`year.monthShort.${i + 1}` as MessageKey)}
            </text>
          </g>
        );
      })}
      {entries.map((e, i) => {
        const [x, y] = at(angle(e.date), RING[e.kind]);
        return <Marker key={i} kind={e.kind} x={x} y={y} />;
      })}
    </svg>
  );
}

export default function YearPage() {
  const { base, year, entries, kinds, canManage, events } = useLoaderData<typeof loader>();
  const t = useT();
  const months = Array.from({ length: 12 }, (_, i) => ({ month: i + 1, entries: entries.filter((e) => Number(e.date.slice(5, 7)) === i + 1) }));
  return (
    <div className="page">
      <h1>{t("year.heading", { year })}</h1>
      <nav aria-label={t("year.otherYears")} className="year-nav">
        <Link to={`${base}/year/${year - 1}`}>← {year - 1}</Link> <Link to={`${base}/year/${year + 1}`}>{year + 1} →</Link>
      </nav>
      <p className="lede">{t("year.intro")}</p>
      <div className="wheel-wrap">
        <Wheel year={year} entries={entries} />
        <ul className="wheel-legend" aria-label={t("year.legend")}>
          {kinds.map((k) => (
            <li key={k}>
              <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
                <Marker kind={k} x={8} y={8} />
              </svg>{" "}
              {t(`year.kind.${k}` as MessageKey)}
            </li>
          ))}
        </ul>
      </div>
      {entries.length === 0 ? <p>{t("year.empty")}</p> : null}
      {months
        .filter((m) => m.entries.length)
        .map((m) => (
          <section key={m.month} aria-labelledby={`month-${m.month}`} className="year-month">
            <h2 id={`month-${m.month}`}>{t(`year.month.${m.month}` as MessageKey)}</h2>
            <ul className="year-entries">
              {m.entries.map((e, i) => (
                <li key={i}>
                  <span className="year-entries__date">{t.date(e.date)}</span> <span className="year-entries__kind">{t(`year.kind.${e.kind}` as MessageKey)}:</span>{" "}
                  <Link to={`${base}/${e.path}`}>{e.kind === "followup" ? t("year.followupBefore", { title: e.title }) : e.kind === "adopted" || e.kind === "revision" ? t(`year.planOf`, { year: e.title }) : e.title}</Link>
                  {e.group ? <span className="muted"> ({e.group})</span> : null}
                </li>
              ))}
            </ul>
          </section>
        ))}
      {canManage || events.length ? <YearEvents events={events} canManage={canManage} /> : null}
    </div>
  );
}
