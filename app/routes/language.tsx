import type { ActionFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { languageSchema, safeRedirect } from "../../server/domain/schemas";
import { readForm, validate } from "~/utils/forms.server";
import { serializeLocale } from "~/utils/locale.server";

export async function action({ request }: ActionFunctionArgs) {
  const parsed = validate(languageSchema, await readForm(request));
  if (!parsed.ok) throw data({ messageKey: "error.unknown" }, { status: 400 });
  throw redirect(safeRedirect(parsed.data.redirectTo), {
    headers: { "Set-Cookie": serializeLocale(parsed.data.lang) },
  });
}

export async function loader() {
  throw redirect("/");
}

// A UI route (not a resource route), so a refused form renders the error page instead of
// Remix's "Unexpected Server Error" JSON and a logged error.
export default function Language() {
  return null;
}
