// Opening a notification marks it read and goes to the thing it is about.
// Another person's id is simply not found.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { openNotification } from "../../server/domain/notifications";
import { notFound, requireUser } from "~/utils/auth.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const link = await openNotification(context.db, user.id, params.id ?? "");
  if (!link) throw notFound();
  throw redirect(link);
}

// A UI route (not a resource route), so an unknown id renders the 404 page
// instead of a logged error.
export default function OpenNotification() {
  return null;
}
