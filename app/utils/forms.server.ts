import { data } from "@remix-run/node";
import type { z } from "zod";
import { DomainError } from "../../server/domain/errors";
import { asMessageKey, type MessageKey } from "~/i18n";
import type { FormMessage } from "~/components/forms";

export type FieldErrors = Record<string, FormMessage>;

/** What an action returns when the form is refused: per-field i18n keys and the values to refill. */
export interface FormFailure {
  ok: false;
  errors: FieldErrors;
  values: Record<string, string>;
  intent?: string;
}

/** Read the request's form. Malformed bodies become a 400 with a message, never a 500. */
export async function readForm(request: Request): Promise<Record<string, string>> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw data({ messageKey: "error.badForm" }, { status: 400 });
  }
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) {
    if (typeof v !== "string") throw data({ messageKey: "error.badForm" }, { status: 400 });
    if (!(k in out)) out[k] = v;
  }
  return out;
}

/**
 * A form that carries a CSV, uploaded as `file` (multipart) or pasted as `csv`: the
 * other fields as strings, the CSV's text (the file wins when one was chosen), and
 * whether the file was larger than `maxBytes` (then `csv` is empty).
 */
export async function readCsvForm(request: Request, maxBytes: number): Promise<{ values: Record<string, string>; csv: string; tooLarge: boolean }> {
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    throw data({ messageKey: "error.badForm" }, { status: 400 });
  }
  const values: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && !(k in values)) values[k] = v;
  const file = form.get("file");
  if (file && typeof file !== "string" && file.size > 0) {
    if (file.size > maxBytes) return { values, csv: "", tooLarge: true };
    return { values, csv: await file.text(), tooLarge: false };
  }
  return { values, csv: values.csv ?? "", tooLarge: values.csv !== undefined && values.csv.length > maxBytes };
}

export function validate<S extends z.ZodType>(
  schema: S,
  values: Record<string, string>,
): { ok: true; data: z.output<S> } | FormFailure {
  const res = schema.safeParse(values);
  if (res.success) return { ok: true, data: res.data };
  const errors: FieldErrors = {};
  for (const issue of res.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    // Schema messages are dictionary keys; anything else (a zod default) is shown as a generic refusal.
    errors[field] ??= asMessageKey(issue.message, "error.badForm");
  }
  return { ok: false, errors, values: withoutPasswords(values), intent: values.intent };
}

/** The values to refill a form with: never a password (any field named like one). */
export function withoutPasswords(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([k]) => !/password/i.test(k)));
}

/** A response carrying the failure, for useActionData. */
export const failure = (f: Omit<FormFailure, "ok">, status = 400) => data<FormFailure>({ ...f, ok: false }, { status });

/** A failure that is not about one field (shown at the top of the form). */
export const formError = (key: MessageKey, intent?: string, status = 400) =>
  failure({ errors: { _form: key }, values: {}, intent }, status);

/** Turn an expected domain refusal into a form failure; anything else is rethrown. */
export function domainFailure(err: unknown, values: Record<string, string>, fallbackField = "_form") {
  if (!(err instanceof DomainError)) throw err;
  const safe = withoutPasswords(values);
  return failure({ errors: { [err.field ?? fallbackField]: err.code }, values: safe, intent: values.intent }, err.status);
}
