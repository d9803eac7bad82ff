import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { listNotifications } from "../../server/domain/notifications";
import { requireApiUser } from "~/utils/auth.server";
import { getLocale } from "~/utils/locale.server";

const query = z.object({
  unread: z.enum(["0", "1"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/**
 * GET /api/v1/me/notifications → the person's notifications, newest first:
 * [{id, kind, text, link, created, read}]. `?unread=1` for unread only, `?limit=` (≤ 500).
 * Text is in the language of the `samsyn_lang` cookie (Swedish by default).
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireApiUser(request, context);
  const parsed = query.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.json({ error: "bad_request", message: "unread must be 0 or 1; limit 1–500" }, { status: 400 });
  const items = await listNotifications(context.db, user.id, getLocale(request), {
    unreadOnly: parsed.data.unread === "1",
    limit: parsed.data.limit ?? 100,
  });
  return Response.json(items.map(({ councilId: _c, ...n }) => n));
}
