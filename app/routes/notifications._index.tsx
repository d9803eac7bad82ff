// The person's notifications, newest first: open one (marks it read), mark one
// or all read. Plain forms, so it works without JavaScript.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { listNotifications, markRead } from "../../server/domain/notifications";
import { notificationActionSchema } from "../../server/domain/schemas";
import { ErrorSummary } from "~/components/forms";
import { pageTitle, useT } from "~/i18n";
import { requireUser } from "~/utils/auth.server";
import { formError, readForm, validate } from "~/utils/forms.server";
import { getLocale } from "~/utils/locale.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.notifications")];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const items = await listNotifications(context.db, user.id, getLocale(request), { limit: 200 });
  return { items };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const values = await readForm(request);
  const parsed = validate(notificationActionSchema, values);
  if (!parsed.ok) return formError("error.unknownIntent", values.intent);
  const changed = await markRead(context.db, user.id, parsed.data.intent === "read" ? parsed.data.id : null);
  return { ok: true as const, changed };
}

export default function Notifications() {
  const { items } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  const busy = useNavigation().state !== "idle";
  const unread = items.filter((n) => !n.read).length;
  return (
    <div className="page">
      <h1>{t("notifications.title")}</h1>
      {result && !result.ok ? <ErrorSummary errors={result.errors} labels={{}} /> : null}
      <p>
        {unread ? t("notifications.unreadCount", { count: unread }) : t("notifications.allRead")}{" "}
        <Link to="/settings/notifications">{t("notifications.prefsLink")}</Link>
      </p>
      {unread > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="read-all" />
          <button type="submit" className="button--secondary" disabled={busy}>
            {t("notifications.markAllRead")}
          </button>
        </Form>
      ) : null}
      {items.length === 0 ? (
        <p>{t("notifications.empty")}</p>
      ) : (
        <ul className="notif-list">
          {items.map((n) => (
            <li key={n.id} className={n.read ? undefined : "is-unread"}>
              <span>
                {n.read ? null : <span className="visually-hidden">{t("notifications.unread")}: </span>}
                <Link to={`/notifications/${n.id}`}>{n.text}</Link>
                <br />
                <span className="notif-meta">{t.dateTime(n.created)}</span>
              </span>
              {n.read ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="read" />
                  <input type="hidden" name="id" value={n.id} />
                  <button type="submit" className="link-button" disabled={busy}>
                    {t("notifications.markRead")}
                    <span className="visually-hidden">: {n.text}</span>
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
