// A form that opens on demand in a native <dialog> (Designsystemet's dialog.css),
// instead of standing open on the page (STYLE.md "The screen", issue #13).
// - With JavaScript: the opener calls showModal(): focus moves into the dialog (its
//   first field), Escape or the close button closes it, and focus returns to the opener.
// - Without JavaScript: the opener is a link to `?dialog=<id>`, and the server renders
//   the dialog open; the close button is a `method="dialog"` form, which needs no script.
// - A refused submission renders it open with its errors; a successful one closes it.
import { Link, useLocation } from "@remix-run/react";
import { useEffect, useRef, type MouseEvent, type ReactNode } from "react";
import { useT } from "~/i18n";

interface Props {
  id: string;
  /** The opener's visible words (and icon). */
  opener: ReactNode;
  openerClassName?: string;
  title: string;
  /** Render it open: the no-JavaScript path (?dialog=id) or a refused submission. */
  open: boolean;
  /** A new value (an action's answer) that means "done": the dialog closes. */
  done?: unknown;
  /** Called as the opener opens it (with script), e.g. to bring its content up to date. */
  onOpen?: () => void;
  children: ReactNode;
}

const FIELD = "input:not([type=hidden]), textarea, select";

export function DisclosureDialog({ id, opener, openerClassName, title, open, done, onOpen: beforeOpen, children }: Props) {
  const t = useT();
  const dialog = useRef<HTMLDialogElement>(null);
  const openerRef = useRef<HTMLAnchorElement>(null);
  const showModal = () => {
    const d = dialog.current;
    if (!d) return;
    if (d.open) d.close();
    d.showModal();
    d.querySelector<HTMLElement>(`[aria-invalid="true"], ${FIELD}`)?.focus();
  };
  // Rendered open by the server (no script yet, or a refused form): once hydrated make
  // it modal, so that focus stays inside and Escape closes it.
  useEffect(() => {
    const d = dialog.current;
    if (open && d && !d.matches(":modal")) showModal();
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (done) dialog.current?.close();
  }, [done]);
  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    const back = () => openerRef.current?.focus();
    d.addEventListener("close", back);
    return () => d.removeEventListener("close", back);
  }, []);
  const onOpen = (e: MouseEvent) => {
    e.preventDefault();
    beforeOpen?.();
    showModal();
  };
  return (
    <>
      <a ref={openerRef} href={`?dialog=${id}`} className={openerClassName ?? "button button--secondary"} aria-haspopup="dialog" aria-controls={id} onClick={onOpen}>
        {opener}
      </a>
      <dialog ref={dialog} id={id} className="ds-dialog samsyn-dialog" aria-labelledby={`${id}-h`} open={open}>
        <form method="dialog">
          {/* Empty on purpose: Designsystemet draws the ✕ (dialog.css). */}
          <button type="submit" className="dialog-close" aria-label={t("dialog.close")} />
        </form>
        <h2 id={`${id}-h`}>{title}</h2>
        {children}
      </dialog>
    </>
  );
}

/** "Avbryt" inside a dialog: closes it (with script), or leaves the ?dialog state (without). */
export function DialogDismiss({ children }: { children: ReactNode }) {
  const { pathname } = useLocation();
  return (
    <Link
      to={pathname}
      preventScrollReset
      className="button button--secondary"
      onClick={(e) => {
        const d = (e.currentTarget as HTMLElement).closest("dialog");
        if (d) {
          e.preventDefault();
          d.close();
        }
      }}
    >
      {children}
    </Link>
  );
}
