// Per kind of notification: in-app only, or in-app plus e-mail at once, or in
// the daily digest. A plain form; every kind is one radio group.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { DELIVERIES, NOTIFICATION_KINDS, type Delivery, type NotificationKind } from "../../db/schema";
import { KIND_LABEL } from "../../server/domain/notification-text";
import { getPrefs, setPrefs } from "../../server/domain/notifications";
import { notificationPrefsSchema } from "../../server/domain/schemas";
import { pageTitle, useT } from "~/i18n";
import { requireUser } from "~/utils/auth.server";
import { readForm, validate } from "~/utils/forms.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.notificationSettings")];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { prefs: await getPrefs(context.db, user.id), hasEmail: !!user.email };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const parsed = validate(notificationPrefsSchema, await readForm(request));
  if (!parsed.ok) return data({ ok: false as const }, { status: 400 });
  const prefs: Partial<Record<NotificationKind, Delivery>> = {};
  for (const kind of NOTIFICATION_KINDS) {
    const v = parsed.data[`pref.${kind}`];
    if (v) prefs[kind] = v as Delivery;
  }
  await setPrefs(context.db, user.id, prefs);
  return { ok: true as const };
}

export default function NotificationSettings() {
  const { prefs } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  return (
    <div className="page">
      <p>
        <Link to="/settings">← {t("nav.settings")}</Link>
      </p>
      <h1>{t("prefs.title")}</h1>
      <p>{t("prefs.intro")}</p>
      {result?.ok ? (
        <div className="notice" role="status">
          {t("prefs.saved")}
        </div>
      ) : result ? (
        <div className="error-summary" role="alert">
          {t("error.unknown")}
        </div>
      ) : null}
      <Form method="post">
        {NOTIFICATION_KINDS.map((kind) => (
          <fieldset key={kind} className="prefs-kind">
            <legend>{KIND_LABEL[kind][t.locale]}</legend>
            {DELIVERIES.map((d) => (
              <label key={d} className="prefs-option">
                <input type="radio" name={`pref.${kind}`} value={d} defaultChecked={prefs[kind] === d} /> {t(`prefs.delivery.${d}`)}
              </label>
            ))}
          </fieldset>
        ))}
        <button type="submit">
          {t("prefs.save")}
        </button>
      </Form>
    </div>
  );
}
