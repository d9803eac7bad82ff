// "API-nycklar" on /settings (issue #16, docs/decisions/045-api-tokens.md): personal
// tokens with which a program reads /api/v1 as the person. A new token is shown once,
// selected to copy, like an invitation link; the list shows what identifies each
// token (name, first characters, dates) and revokes one after a confirmation. Plain
// forms: they work without JavaScript.
import { Form } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { ConfirmSubmit } from "~/components/ConfirmDialog";
import { ErrorSummary, Field, type Errors } from "~/components/forms";
import type { ApiTokenView } from "../../server/domain/api-tokens";
import { useT } from "~/i18n";

/** A token as the settings page lists it (never its secret). */
export type ApiTokenRow = ApiTokenView;

export type ApiTokensResult =
  | { ok: true; intent: "createToken"; id: string; name: string; token: string }
  | { ok: true; intent: "revokeToken"; name: string }
  | { ok: false; intent?: string; errors: Errors; values?: Record<string, string> }
  | undefined;

const VALIDITY = [
  ["30", "apiTokens.days30"],
  ["90", "apiTokens.days90"],
  ["365", "apiTokens.days365"],
  ["never", "apiTokens.never"],
] as const;

export function ApiTokensSection({ tokens, result }: { tokens: ApiTokenRow[]; result: ApiTokensResult }) {
  const t = useT();
  const tokenRef = useRef<HTMLInputElement>(null);
  const created = result?.ok && result.intent === "createToken" ? result : undefined;
  const createFailed = result && !result.ok && result.intent === "createToken" ? result : undefined;
  const revokeFailed = result && !result.ok && result.intent === "revokeToken" ? result : undefined;
  const labels = { tokenName: t("apiTokens.name"), validity: t("apiTokens.validity") };
  useEffect(() => {
    // Selected on show, ready to copy; the page never shows it again.
    if (created) tokenRef.current?.select();
  }, [created]);

  return (
    <section aria-labelledby="api-tokens-h">
      <h2 id="api-tokens-h">{t("apiTokens.title")}</h2>
      <p>{t("apiTokens.intro")}</p>

      <div aria-live="polite">
        {result?.ok && result.intent === "revokeToken" ? <p className="notice">{t("apiTokens.revoked", { name: result.name })}</p> : null}
      </div>
      {created ? (
        <div className="notice" role="status">
          <p>{t("apiTokens.created", { name: created.name })}</p>
          <div className="field">
            <label htmlFor="api-token-value">{t("apiTokens.tokenLabel")}</label>
            <input id="api-token-value" ref={tokenRef} className="copy-field" type="text" readOnly value={created.token} spellCheck={false} />
          </div>
          <p>{t("apiTokens.shownOnce")}</p>
        </div>
      ) : null}
      <ErrorSummary errors={revokeFailed?.errors} labels={{}} />

      {tokens.length === 0 ? (
        <p>{t("apiTokens.none")}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">{t("apiTokens.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("apiTokens.colName")}</th>
                <th scope="col">{t("apiTokens.colPrefix")}</th>
                <th scope="col">{t("apiTokens.colCreated")}</th>
                <th scope="col">{t("apiTokens.colLastUsed")}</th>
                <th scope="col">{t("apiTokens.colExpires")}</th>
                <th scope="col">{t("apiTokens.colActions")}</th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((k) => (
                <tr key={k.id}>
                  <td>{k.name}</td>
                  <td>
                    <code>{k.shown}</code>
                  </td>
                  <td>{t.date(k.createdAt)}</td>
                  <td>{k.lastUsedAt ? t.dateTime(k.lastUsedAt) : t("apiTokens.neverUsed")}</td>
                  <td>{k.expiresAt ? (k.expired ? t("apiTokens.expiredOn", { date: t.date(k.expiresAt) }) : t.date(k.expiresAt)) : t("apiTokens.noExpiry")}</td>
                  <td>
                    <Form method="post" className="inline-form">
                      <input type="hidden" name="intent" value="revokeToken" />
                      <input type="hidden" name="tokenId" value={k.id} />
                      <ConfirmSubmit
                        className="button--secondary"
                        label={t("apiTokens.revokeLabel", { name: k.name })}
                        confirm={{ title: t("apiTokens.confirmRevoke", { name: k.name }), body: t("apiTokens.confirmRevokeBody"), confirm: t("apiTokens.revoke") }}
                      >
                        {t("apiTokens.revoke")}
                      </ConfirmSubmit>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3 id="api-token-create-h">{t("apiTokens.create")}</h3>
      {/* A new key after a success: the form is empty again. */}
      <Form method="post" noValidate aria-labelledby="api-token-create-h" key={created?.id ?? "new"}>
        <input type="hidden" name="intent" value="createToken" />
        <ErrorSummary errors={createFailed?.errors} labels={labels} />
        <Field name="tokenName" label={labels.tokenName} hint={t("apiTokens.nameHint")} errors={createFailed?.errors}>
          {(a) => <input {...a} type="text" autoComplete="off" maxLength={80} defaultValue={createFailed?.values?.tokenName ?? ""} required />}
        </Field>
        <Field name="validity" label={labels.validity} errors={createFailed?.errors}>
          {(a) => (
            <select {...a} defaultValue={createFailed?.values?.validity ?? "90"}>
              {VALIDITY.map(([value, key]) => (
                <option key={value} value={value}>
                  {t(key)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit">{t("apiTokens.create")}</button>
      </Form>
    </section>
  );
}
