import type { ActionFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { languageSchema } from "../../server/domain/schemas";
import { setUserLocale } from "../../server/domain/users";
import { getUser } from "~/utils/auth.server";
import { readForm, validate } from "~/utils/forms.server";
import { serializeLocale } from "~/utils/locale.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = validate(languageSchema, await readForm(request));
  if (!parsed.ok) throw data({ messageKey: "error.unknown" }, { status: 400 });
  // Signed in: remember the choice, so that e-mails and live notifications use it too.
  const user = await getUser(request, context);
  if (user) await setUserLocale(context.db, user.id, parsed.data.lang);
  // redirectTo was made a same-site path while the form was parsed, before the choice is saved.
  throw redirect(parsed.data.redirectTo, {
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
