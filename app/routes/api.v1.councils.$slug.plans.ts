import type { LoaderFunctionArgs } from "@remix-run/node";
import { listPlans } from "../../server/domain/plans";
import { requireApiCouncil } from "~/utils/auth.server";

/** GET /api/v1/councils/:slug/plans → [{year, status, title, docName, areaCount, actionCount, updatedAt}] */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council } = await requireApiCouncil(request, context, params.slug, "plan:view");
  const plans = await listPlans(context.db, council.id);
  return Response.json(plans.map(({ id: _id, ...p }) => p));
}
