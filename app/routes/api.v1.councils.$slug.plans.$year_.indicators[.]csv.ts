import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordAudit } from "../../server/domain/audit";
import { indicatorsCsv } from "../../server/domain/indicator-csv";
import { findPlan } from "../../server/domain/plans";
import { requireApiCouncil } from "~/utils/auth.server";

/**
 * GET /api/v1/councils/:slug/plans/:year/indicators.csv — the plan's indicators and
 * their measured values up to the plan year's end, a row per value (UTF-8 with BOM,
 * `;`); imported again on the dashboard, it adds only what is new.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, user } = await requireApiCouncil(request, context, params.slug, "plan:view");
  const plan = /^\d{4}$/.test(params.year ?? "") ? await findPlan(context.db, council.id, Number(params.year)) : undefined;
  if (!plan) return Response.json({ error: "not_found", message: "No plan for that year." }, { status: 404 });
  await recordAudit(context.db, { councilId: council.id, actorId: user.id, action: "indicators.exported", subject: plan.id });
  return new Response(await indicatorsCsv(context.db, council.id, plan.id, `${plan.year}-12-31`), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="indikatorer-${council.slug}-${plan.year}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
