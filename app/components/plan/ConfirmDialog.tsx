// A modal confirmation on the native <dialog> (focus trap, Escape, inert page come
// from the browser), styled with Designsystemet's dialog CSS. Used where the page
// already runs JavaScript (the live plan editor); a form that must work without it
// renders its confirmation as a page state instead (AdoptDialog).
import { useEffect, useId, useRef } from "react";
import { useT } from "~/i18n";

export interface ConfirmRequest {
  title: string;
  body?: string;
  confirm: string;
  onConfirm: () => void;
}

export function ConfirmDialog({ request, onClose }: { request: ConfirmRequest | null; onClose: () => void }) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const headingId = useId();
  const cancel = useRef<HTMLButtonElement>(null);
  const closeRef = useRef(onClose);
  closeRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (request && !dialog.open) {
      dialog.showModal();
      // Focus starts on the safe choice: a stray Enter does not delete.
      cancel.current?.focus();
    }
    if (!request && dialog.open) dialog.close();
  }, [request]);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const closed = () => closeRef.current();
    dialog.addEventListener("close", closed);
    return () => dialog.removeEventListener("close", closed);
  }, []);

  return (
    <dialog ref={ref} className="ds-dialog confirm-dialog" aria-labelledby={headingId}>
      {request ? (
        <>
          <h2 id={headingId}>{request.title}</h2>
          {request.body ? <p>{request.body}</p> : null}
          <div className="dialog-actions">
            <button
              type="button"
              className="button--danger"
              onClick={() => {
                request.onConfirm();
                ref.current?.close();
              }}
            >
              {request.confirm}
            </button>
            <button ref={cancel} type="button" className="button--secondary" onClick={() => ref.current?.close()}>
              {t("planEditor.cancel")}
            </button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}
