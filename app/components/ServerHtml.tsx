// HTML that a loader rendered itself (app/utils/dashboard.server.tsx), put into the
// page without sending it twice. On a page request the loader leaves it out of the
// loader data and hands it to the server render through this context
// (AppContext.serverHtml, passed by app/entry.server.tsx). Hydration keeps the
// server's markup as it is: React does not compare or replace the inner HTML of an
// element it hydrates. A client-side navigation or a revalidation (a live update)
// fetches `.data`, which carries the HTML, and React puts it in.
import { createContext, useContext } from "react";

export const ServerHtmlContext = createContext<Record<string, string> | null>(null);

export function ServerHtml({ name, html, className }: { name: string; html: string | null; className?: string }) {
  const fromServer = useContext(ServerHtmlContext);
  return <div className={className} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: html ?? fromServer?.[name] ?? "" }} />;
}
