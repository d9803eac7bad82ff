import type { LoaderFunctionArgs } from "@remix-run/node";
import { listCouncilsForUser } from "../../server/domain/councils";
import { requireApiUser } from "~/utils/auth.server";

/** GET /api/v1/me: the signed-in person and their active councils; 401 JSON without a session. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireApiUser(request, context);
  const councils = (await listCouncilsForUser(context.db, user.id)).filter((c) => c.active);
  return Response.json({
    id: user.id,
    name: user.name,
    email: user.email,
    isSiteAdmin: user.is_site_admin === 1,
    councils: councils.map((c) => ({ slug: c.slug, name: c.name, role: c.role })),
  });
}
