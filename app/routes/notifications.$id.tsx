// Opening a notification marks it read and goes to the thing it is about.
// Another person's id is simply not found.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { markRead } from "../../server/domain/notifications";
import { notFound, requireUser } from "~/utils/auth.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const row = await context.db
    .selectFrom("notifications")
    .select(["id", "link"])
    .where("id", "=", params.id ?? "")
    .where("user_id", "=", user.id)
    .executeTakeFirst();
  if (!row) throw notFound();
  await markRead(context.db, user.id, row.id);
  // Links are always written by the server as /councils/...; never follow anything else.
  throw redirect(row.link.startsWith("/") && !row.link.startsWith("//") ? row.link : "/notifications");
}

// A UI route (not a resource route), so an unknown id renders the 404 page
// instead of a logged error.
export default function OpenNotification() {
  return null;
}
