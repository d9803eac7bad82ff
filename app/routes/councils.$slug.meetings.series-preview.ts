import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireCouncil } from "~/utils/auth.server";
import { parseNewMeeting } from "~/utils/meeting-form.server";

/**
 * The live preview of a series' dates in the new-meeting form (JavaScript only; the
 * form's own post says the same without it). The query is the form; the answer is
 * the dates the server would make, or the first refusal as a dictionary key, from
 * the same parsing as the create action: one rule. Changes nothing.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireCouncil(request, context, params.slug, "meeting:view");
  const values = Object.fromEntries(new URL(request.url).searchParams);
  // The title may not be typed yet: the preview is about dates.
  const parsed = parseNewMeeting({ ...values, title: values.title || "-" }, { offerPoll: true });
  const headers = { "Cache-Control": "no-store" };
  if (!parsed.ok) {
    const [field, message] = Object.entries(parsed.errors)[0] ?? ["_form", "error.badForm"];
    return Response.json({ dates: [], error: { field, message } }, { headers });
  }
  return Response.json({ dates: parsed.series?.occurrences ?? [], error: null }, { headers });
}
