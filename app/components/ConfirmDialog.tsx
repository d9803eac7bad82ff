// A modal confirmation on the native <dialog> (focus trap, Escape, inert page come
// from the browser), styled with Designsystemet's dialog CSS. The live plan editor
// uses it directly; ConfirmSubmit puts it in front of a plain form's submit button
// (the form still works without JavaScript); adoption, which must confirm without
// JavaScript too, renders its confirmation as a page state instead (AdoptDialog).
import { useEffect, useId, useRef, useState } from "react";
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

/**
 * A submit button that asks first (deleting an agenda item, a document). With
 * JavaScript the click opens the confirmation; "Ta bort" there submits the button's
 * own form, with the button's name and value. Without JavaScript it submits at once,
 * as a plain form: the server's rules are the same either way.
 */
export function ConfirmSubmit({ confirm, className, label, children }: { confirm: Omit<ConfirmRequest, "onConfirm">; className?: string; label?: string; children: React.ReactNode }) {
  const [request, setRequest] = useState<ConfirmRequest | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={button}
        type="submit"
        className={className}
        aria-label={label}
        onClick={(e) => {
          e.preventDefault();
          const form = button.current?.form;
          if (!form) return;
          setRequest({ ...confirm, onConfirm: () => form.requestSubmit(button.current ?? undefined) });
        }}
      >
        {children}
      </button>
      <ConfirmDialog
        request={request}
        onClose={() => {
          setRequest(null);
          // Focus goes back to the button that asked (the dialog closed without a choice, or the form is on its way).
          button.current?.focus();
        }}
      />
    </>
  );
}
