import type { LoaderFunctionArgs } from "@remix-run/node";
import { lastFollowupByAction } from "../../server/domain/followups";
import { planIndicators } from "../../server/domain/indicators";
import { findPlan, planDocName, readProjection } from "../../server/domain/plans";
import { getAdoption } from "../../server/domain/revisions";
import { requireApiCouncil } from "~/utils/auth.server";

/**
 * GET /api/v1/councils/:slug/plans/:year → the plan as JSON from its relational
 * projection (kept current from the live document, debounced):
 * {year, status, title, docName, updatedAt, areas: [{id, title, description, goals: [{id, title, actions: [...]}]}]};
 * each action's `indicators: [{id, name, unit, baseline, baselineDate, target, targetDate,
 * direction, values: [{date, value, comment}]}]`, values oldest first (all measured up
 * to now, also those reported in other plan years of a carried-over action).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council } = await requireApiCouncil(request, context, params.slug, "plan:view");
  const year = Number(params.year);
  if (!/^\d{4}$/.test(params.year ?? "") || !Number.isInteger(year)) {
    return Response.json({ error: "bad_request", message: "The year must be four digits." }, { status: 400 });
  }
  const plan = await findPlan(context.db, council.id, year);
  if (!plan) return Response.json({ error: "not_found", message: "No plan for that year." }, { status: 404 });
  const lastBy = await lastFollowupByAction(context.db, plan.id);
  const adoption = await getAdoption(context.db, plan.id);
  const measured = await planIndicators(context.db, council.id, plan.id);
  const areas = (await readProjection(context.db, plan.id)).map((a) => ({
    ...a,
    goals: a.goals.map((g) => ({
      ...g,
      actions: g.actions.map((x) => ({
        ...x,
        indicators: (measured.get(x.id) ?? []).map(({ standing: _standing, values, ...i }) => ({ ...i, values: values.map((v) => ({ date: v.date, value: v.value, comment: v.comment })) })),
        lastFollowup: lastBy.get(x.id) ?? null,
      })),
    })),
  }));
  return Response.json({
    year: plan.year,
    status: plan.status,
    title: plan.title,
    docName: planDocName(plan.id),
    updatedAt: plan.projected_at,
    adoption: adoption ? { adoptedAt: adoption.adoptedAt, adoptedBy: adoption.adoptedBy, decision: adoption.decision } : null,
    areas,
  });
}
