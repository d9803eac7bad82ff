import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordAudit } from "../../server/domain/audit";
import { exportPersonalData } from "../../server/domain/personal-data";
import { requireApiUser } from "~/utils/auth.server";

/**
 * GET /api/v1/me/export → everything Samsyn holds about the person, as a JSON download (GDPR art. 15/20).
 * A signed-in session only: an API token gets 403 (docs/decisions/045-api-tokens.md).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireApiUser(request, context, { sessionOnly: true });
  const data = await exportPersonalData(context.db, user.id);
  await recordAudit(context.db, { councilId: null, actorId: user.id, action: "personal_data.exported", subject: user.id });
  const day = data.exportedAt.slice(0, 10);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="samsyn-mina-uppgifter-${day}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
