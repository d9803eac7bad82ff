// The year-end report (årsrapport, issue #17) as a printable page: the plan's
// follow-up for the year, per area and action, indicators against their targets with
// their charts, the year's decisions on the plan and what is carried over; the same
// as a tagged PDF at ./report.pdf. Whoever sees the plan's dashboard sees it.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { yearReportData } from "../../server/domain/year-report";
import { ServerHtml } from "~/components/ServerHtml";
import { pageTitle, useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";
import { getLocale } from "~/utils/locale.server";
import { requirePlan } from "~/utils/plan.server";
import { renderYearReport } from "~/utils/year-report.server";
import type { CouncilHandle } from "./councils.$slug";

export const handle: CouncilHandle = { crumbs: () => [{ key: "report.link" }] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.report", { year: data.year, council: data.council.name }) : pageTitle(matches)];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership } = await requireCouncil(request, context, params.slug, "plan:view");
  const plan = await requirePlan(context, council.id, params.year);
  const data = await yearReportData(context.db, { councilName: council.name, plan, viewer: membership });
  const html = { report: renderYearReport({ locale: getLocale(request), base: `/councils/${council.slug}`, data }) };
  return {
    council: { slug: council.slug, name: council.name },
    year: plan.year,
    // A page request gets the HTML through the server render only (ServerHtml).
    html: context.documentRequest ? (Object.assign(context.serverHtml, html), null) : html,
  };
}

export default function YearReport() {
  const d = useLoaderData<typeof loader>();
  const t = useT();
  const base = `/councils/${d.council.slug}/plans/${d.year}`;
  return (
    <div className="page page--wide">
      <p className="no-print">
        <Link to={`${base}/dashboard`}>← {t("followup.title", { year: d.year })}</Link>
      </p>
      <h1>{t("report.title", { year: d.year })}</h1>
      <p>{t("report.intro")}</p>
      <p className="no-print">
        <a href={`${base}/report.pdf`}>{t("report.pdf")}</a>
      </p>
      <ServerHtml name="report" html={d.html?.report ?? null} />
    </div>
  );
}
