import type { LoaderFunctionArgs } from "@remix-run/node";
import { MAX_QUERY_LENGTH, searchCouncil } from "../../server/domain/search";
import { requireApiCouncil } from "~/utils/auth.server";
import { absoluteUrl } from "~/utils/urls.server";

/**
 * GET /api/v1/councils/:slug/search?q= → [{kind, title, url, snippet}], best first
 * (at most 50); the snippet is plain text. The same rights as the search page.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership, user } = await requireApiCouncil(request, context, params.slug, "council:view");
  const q = new URL(request.url).searchParams.get("q") ?? "";
  if (q.length > MAX_QUERY_LENGTH) return Response.json({ error: "bad_request", message: `q is longer than ${MAX_QUERY_LENGTH} characters` }, { status: 400 });
  const { hits } = await searchCouncil(context.db, { councilId: council.id, q, membership, userId: user.id });
  return Response.json(hits.map((h) => ({ kind: h.kind, title: h.title, url: absoluteUrl(request, context, `/councils/${council.slug}/${h.path}`), snippet: h.snippet.map((s) => s.text).join("") })));
}
