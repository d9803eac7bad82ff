import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordAudit } from "../../server/domain/audit";
import { cachedDashboardCsv } from "../../server/domain/followups";
import { findPlan } from "../../server/domain/plans";
import { requireApiCouncil } from "~/utils/auth.server";

/** GET /api/v1/councils/:slug/plans/:year/followups.csv — the follow-up table as CSV (UTF-8 with BOM). */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, user } = await requireApiCouncil(request, context, params.slug, "plan:view");
  const plan = /^\d{4}$/.test(params.year ?? "") ? await findPlan(context.db, council.id, Number(params.year)) : undefined;
  if (!plan) return Response.json({ error: "not_found", message: "No plan for that year." }, { status: 404 });
  await recordAudit(context.db, { councilId: council.id, actorId: user.id, action: "followups.exported", subject: plan.id });
  return new Response(await cachedDashboardCsv(context.db, plan.id), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="uppfoljning-${council.slug}-${plan.year}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
