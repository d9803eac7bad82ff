import type { LoaderFunctionArgs } from "@remix-run/node";
import { listCouncilsForUser } from "../../server/domain/councils";
import { requireApiUser } from "~/utils/auth.server";

/** GET /api/v1/councils: the councils the signed-in person belongs to today, with their role. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireApiUser(request, context);
  const councils = (await listCouncilsForUser(context.db, user.id)).filter((c) => c.active);
  return Response.json(
    councils.map((c) => ({ slug: c.slug, name: c.name, subRegion: c.subRegion, role: c.role, validTo: c.validTo })),
  );
}
