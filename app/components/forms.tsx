// Form building blocks after the GOV.UK / Digg patterns: label above, hint, error
// text tied to the field with aria-describedby, and an error summary at the top.
import { useEffect, useRef, type ReactNode } from "react";
import { useT, type MessageKey } from "~/i18n";

/** A form message: a dictionary key, or a key with values for its {placeholders}. */
export type FormMessage = MessageKey | { key: MessageKey; vars?: Record<string, string | number> };
export type Errors = Record<string, FormMessage> | undefined;

/** The words of a form message in the reader's language. */
export function formText(t: ReturnType<typeof useT>, m: FormMessage): string {
  return typeof m === "string" ? t(m) : t(m.key, m.vars);
}

export function ErrorSummary({ errors, labels, idPrefix = "" }: { errors: Errors; labels: Record<string, string>; idPrefix?: string }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors ?? {});
  useEffect(() => {
    if (entries.length) ref.current?.focus();
  }, [errors]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!entries.length) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1} ref={ref}>
      <h2 id="error-summary-title">{t("form.errorSummary")}</h2>
      <ul>
        {entries.map(([field, key]) => (
          <li key={field}>
            {field === "_form" ? (
              formText(t, key)
            ) : (
              <a href={`#${idPrefix}${field}`}>
                {labels[field] ? `${labels[field]}: ` : ""}
                {formText(t, key)}
              </a>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  name: string;
  /** Prefix for the element ids, when two forms on one page share field names. */
  idPrefix?: string;
  label: string;
  errors: Errors;
  hint?: string;
  optional?: boolean;
  children: (a11y: { id: string; name: string; "aria-describedby"?: string; "aria-invalid"?: true }) => ReactNode;
}

export function Field({ name, idPrefix = "", label, errors, hint, optional, children }: FieldProps) {
  const t = useT();
  const error = errors?.[name];
  const id = `${idPrefix}${name}`;
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={error ? "field field--error" : "field"}>
      <label htmlFor={id}>
        {label}
        {optional ? <span className="optional"> {t("form.optional")}</span> : null}
      </label>
      {hint ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="error-message" id={`${id}-error`}>
          {formText(t, error)}
        </p>
      ) : null}
      {children({ id, name, "aria-describedby": describedBy, "aria-invalid": error ? true : undefined })}
    </div>
  );
}
