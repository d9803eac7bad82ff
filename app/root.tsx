import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { unreadCount } from "../server/domain/notifications";
import { NotificationBell } from "./components/NotificationBell";
import { useNonce } from "./components/nonce";
import { asMessageKey, translate, useDictionary, useT, type Locale, type MessageKey } from "./i18n";
import { getUser } from "./utils/auth.server";
import { getLocale } from "./utils/locale.server";
import styles from "./app.css?url";

export const links: LinksFunction = () => [
  // One stylesheet: Designsystemet first, our own styles after it (app/app.css).
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Samsyn" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const locale = getLocale(request);
  const user = await getUser(request, context);
  return {
    locale,
    user: user ? { name: user.name, isSiteAdmin: user.is_site_admin === 1, unread: await unreadCount(context.db, user.id) } : null,
  };
}

type RootData = Awaited<ReturnType<typeof loader>>;

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<RootData>("root");
  const nonce = useNonce();
  const locale: Locale = data?.locale ?? "sv";
  useDictionary(locale);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#main">
          {translate(locale, "nav.skip")}
        </a>
        <Header data={data} locale={locale} />
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function Header({ data, locale }: { data: RootData | undefined; locale: Locale }) {
  const location = useLocation();
  const t = (k: MessageKey, v?: Record<string, string>) => translate(locale, k, v);
  const here = location.pathname + location.search;
  return (
    <header className="site-header">
      <div className="site-header__inner">
        <Link to="/" className="brand">
          {t("app.name")}
          <span className="brand__tagline">{t("app.tagline")}</span>
        </Link>
        <nav aria-label={t("nav.main")} className="site-nav">
          {data?.user ? (
            <>
              <Link to="/">{t("nav.home")}</Link>
              <NotificationBell unread={data.user.unread} />
              <Link to="/settings">{t("nav.settings")}</Link>
              {data.user.isSiteAdmin ? <Link to="/admin">{t("nav.admin")}</Link> : null}
            </>
          ) : null}
          <Form method="post" action="/language" className="inline-form" reloadDocument>
            <input type="hidden" name="lang" value={locale === "sv" ? "en" : "sv"} />
            <input type="hidden" name="redirectTo" value={here} />
            <button type="submit" className="link-button" lang={locale === "sv" ? "en" : "sv"}>
              {t("nav.switchTo")}
            </button>
          </Form>
          {data?.user ? (
            // A full page load after signing out: no live connection or page state of this person survives.
            <Form method="post" action="/logout" className="inline-form" reloadDocument>
              <span className="signed-in">{t("nav.signedInAs", { name: data.user.name })}</span>
              <button type="submit" className="link-button">
                {t("nav.signOut")}
              </button>
            </Form>
          ) : null}
        </nav>
      </div>
    </header>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  let status = 500;
  let messageKey: MessageKey = "status.500.text";
  // The statuses with a title of their own; anything else is shown as a server error.
  const TITLED = { 400: "status.400", 401: "status.401", 403: "status.403", 404: "status.404", 410: "status.410", 413: "status.413" } as const satisfies Record<number, MessageKey>;
  const titleOf = (s: number): MessageKey => TITLED[s as keyof typeof TITLED] ?? "status.500";
  if (isRouteErrorResponse(error)) {
    status = error.status;
    const d = error.data as { messageKey?: unknown } | undefined;
    messageKey = asMessageKey(d?.messageKey, status === 404 ? "status.404.text" : titleOf(status));
  }
  const titleKey = titleOf(status);
  return (
    <div className="page">
      <h1>{t(titleKey)}</h1>
      <p>{t(messageKey)}</p>
      <p>
        <Link to="/">{t("status.back")}</Link>
      </p>
    </div>
  );
}
