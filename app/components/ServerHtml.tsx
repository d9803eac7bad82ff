// HTML that a loader rendered itself (app/utils/dashboard.server.tsx), put into the
// page without sending it twice. On a page request the loader leaves it out of the
// loader data and hands it to the server render through this context
// (AppContext.serverHtml, passed by app/entry.server.tsx). Hydration keeps the
// server's markup as it is: React does not compare or replace the inner HTML of an
// element it hydrates. A client-side navigation or a revalidation (a live update)
// fetches `.data`, which carries the HTML, and the component puts it in, keeping the
// keyboard focus on the same link or control if it was inside.
import { createContext, useContext, useEffect, useRef, useState } from "react";

export const ServerHtmlContext = createContext<Record<string, string> | null>(null);

/** A selector that finds the same element again in the new HTML (a link by its address, a control by its id). */
function sameElement(el: Element): string | null {
  if (el.id) return `[id="${CSS.escape(el.id)}"]`;
  const href = el.getAttribute("href");
  return href ? `a[href="${CSS.escape(href)}"]` : null;
}

export function ServerHtml({ name, html, className }: { name: string; html: string | null; className?: string }) {
  const fromServer = useContext(ServerHtmlContext);
  // React renders the first HTML (the server's, or what a navigation brought) and
  // never touches it again; later HTML is put in below.
  const [first] = useState(() => html ?? fromServer?.[name] ?? "");
  const ref = useRef<HTMLDivElement>(null);
  const shown = useRef<string | null>(html ?? null);
  useEffect(() => {
    const el = ref.current;
    if (!el || html === null || html === shown.current) return;
    shown.current = html;
    if (el.innerHTML === html) return;
    const active = document.activeElement;
    const refocus = active && el.contains(active) ? sameElement(active) : null;
    el.innerHTML = html;
    if (refocus) (el.querySelector(refocus) as HTMLElement | null)?.focus();
  }, [html]);
  return <div ref={ref} className={className} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: first }} />;
}
