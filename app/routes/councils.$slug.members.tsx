import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { PERSPECTIVES } from "../../db/schema";
import { listMembers } from "../../server/domain/councils";
import { createInvitation, listPendingInvitations, revokeInvitation } from "../../server/domain/invitations";
import { changeRole, removeMember } from "../../server/domain/memberships";
import { LEADER_ASSIGNABLE_ROLES } from "../../server/domain/roles";
import { changeRoleSchema, inviteSchema, removeMemberSchema } from "../../server/domain/schemas";
import { log } from "../../server/log";
import { z } from "zod";
import { ErrorSummary, Field } from "~/components/forms";
import { RoleBadge } from "~/components/RoleBadge";
import { pageTitle, useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";
import { domainFailure, formError, readForm, validate } from "~/utils/forms.server";
import { absoluteUrl } from "~/utils/urls.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.members", { council: data.council.name }) : pageTitle(matches)];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council } = await requireCouncil(request, context, params.slug, "members:manage");
  return {
    council: { id: council.id, slug: council.slug, name: council.name },
    members: await listMembers(context.db, council.id),
    pending: await listPendingInvitations(context.db, council.id),
  };
}

const revokeSchema = z.object({ invitationId: z.string().uuid({ error: "error.unknown" }) });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { council, user } = await requireCouncil(request, context, params.slug, "members:manage");
  const values = await readForm(request);
  const deps = { db: context.db, events: context.events };
  const nameOf = async (membershipId: string) =>
    (await listMembers(context.db, council.id)).find((m) => m.membershipId === membershipId)?.name ?? "";

  try {
    switch (values.intent) {
      case "invite": {
        const parsed = validate(inviteSchema(), values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const { token } = await createInvitation(deps, { ...parsed.data, councilId: council.id, actorId: user.id });
        const link = absoluteUrl(request, context, `/invite/${token}`);
        // There is no mail server: the link is shown to the leader and logged.
        log.info("invitation created", { council: council.slug, email: parsed.data.email, role: parsed.data.role, link });
        return { ok: true as const, intent: "invite", email: parsed.data.email, link };
      }
      case "changeRole": {
        const parsed = validate(changeRoleSchema(), values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await changeRole(deps, { ...parsed.data, councilId: council.id, actorId: user.id });
        return { ok: true as const, intent: "changeRole", name: await nameOf(parsed.data.membershipId) };
      }
      case "remove": {
        const parsed = validate(removeMemberSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const name = await nameOf(parsed.data.membershipId);
        await removeMember(deps, { councilId: council.id, membershipId: parsed.data.membershipId, actorId: user.id });
        return { ok: true as const, intent: "remove", name };
      }
      case "revoke": {
        const parsed = validate(revokeSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await revokeInvitation(deps, { councilId: council.id, invitationId: parsed.data.invitationId, actorId: user.id });
        return { ok: true as const, intent: "revoke" };
      }
      default:
        return formError("error.unknownIntent");
    }
  } catch (err) {
    return domainFailure(err, values);
  }
}

export default function MembersPage() {
  const { council, members, pending } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  const linkRef = useRef<HTMLInputElement>(null);
  const inviteErrors = result && !result.ok && result.intent === "invite" ? result.errors : undefined;
  const otherErrors = result && !result.ok && result.intent !== "invite" ? result.errors : undefined;
  const inviteValues: Record<string, string> = result && !result.ok && result.intent === "invite" ? result.values : {};
  useEffect(() => {
    if (result?.ok && result.intent === "invite") linkRef.current?.select();
  }, [result]);

  const labels = {
    email: t("invite.email"),
    role: t("invite.role"),
    organisation: t("invite.organisation"),
    perspective: t("invite.perspective"),
    validFrom: t("invite.validFrom"),
    validTo: t("invite.validTo"),
  };

  return (
    <div className="page">
      <h1>{t("members.title")}</h1>

      <div aria-live="polite">
        {result?.ok && result.intent === "changeRole" ? <p className="notice">{t("members.roleChanged", { name: result.name })}</p> : null}
        {result?.ok && result.intent === "remove" ? <p className="notice">{t("members.removed", { name: result.name })}</p> : null}
        {result?.ok && result.intent === "revoke" ? <p className="notice">{t("invite.revoked")}</p> : null}
      </div>
      <ErrorSummary errors={otherErrors} labels={{ validFrom: labels.validFrom, validTo: labels.validTo, role: labels.role }} />

      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t("members.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("members.name")}</th>
              <th scope="col">{t("members.organisation")}</th>
              <th scope="col">{t("members.role")}</th>
              <th scope="col">{t("members.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.membershipId}>
                <td>
                  {m.name}
                  <br />
                  <span className="muted">{m.email}</span>
                </td>
                <td>
                  {m.organisation}
                  <br />
                  <span className="muted">{t(`perspective.${m.perspective}`)}</span>
                </td>
                <td>
                  <RoleBadge role={m.role} />
                  {m.role === "adjunct" && m.validFrom && m.validTo ? (
                    <>
                      <br />
                      <span className="muted">
                        {t.date(m.validFrom)} – {t.date(m.validTo)}
                        {m.active ? "" : ` (${t("members.inactive")})`}
                      </span>
                    </>
                  ) : null}
                </td>
                <td>
                  {m.role === "process_leader" ? (
                    <span className="muted">{t("members.leaderNote")}</span>
                  ) : (
                    <>
                      <details>
                        <summary>{t("members.changeRole")}</summary>
                        <Form method="post" className="row-form">
                          <input type="hidden" name="intent" value="changeRole" />
                          <input type="hidden" name="membershipId" value={m.membershipId} />
                          <fieldset>
                            <legend>{t("members.changeRoleFor", { name: m.name })}</legend>
                            <label htmlFor={`role-${m.membershipId}`}>{labels.role}</label>
                            <select id={`role-${m.membershipId}`} name="role" defaultValue={m.role}>
                              {LEADER_ASSIGNABLE_ROLES.map((r) => (
                                <option key={r} value={r}>
                                  {t(`role.${r}`)}
                                </option>
                              ))}
                            </select>
                            <label htmlFor={`from-${m.membershipId}`}>{labels.validFrom}</label>
                            <input id={`from-${m.membershipId}`} type="date" name="validFrom" defaultValue={m.validFrom ?? ""} />
                            <label htmlFor={`to-${m.membershipId}`}>{labels.validTo}</label>
                            <input id={`to-${m.membershipId}`} type="date" name="validTo" defaultValue={m.validTo ?? ""} />
                            <button type="submit">{t("members.save")}</button>
                          </fieldset>
                        </Form>
                      </details>
                      <details>
                        <summary>{t("members.remove")}</summary>
                        <Form method="post">
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="membershipId" value={m.membershipId} />
                          <p>{t("members.removeWarning", { name: m.name })}</p>
                          <button type="submit" className="button--danger">
                            {t("members.removeConfirm", { name: m.name })}
                          </button>
                        </Form>
                      </details>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 id="invite-h">{t("invite.title")}</h2>
      <p>{t("invite.intro")}</p>
      {result?.ok && result.intent === "invite" ? (
        <div className="notice" role="status">
          <p>{t("invite.created", { email: result.email })}</p>
          <label htmlFor="invite-link">{t("invite.linkLabel")}</label>
          <input id="invite-link" ref={linkRef} className="copy-field" type="text" readOnly value={result.link} />
        </div>
      ) : null}
      <ErrorSummary errors={inviteErrors} labels={labels} />
      <Form method="post" noValidate aria-labelledby="invite-h">
        <input type="hidden" name="intent" value="invite" />
        <Field name="email" label={labels.email} errors={inviteErrors}>
          {(a) => <input {...a} type="email" autoComplete="off" defaultValue={inviteValues.email ?? ""} />}
        </Field>
        <Field name="role" label={labels.role} errors={inviteErrors}>
          {(a) => (
            <select {...a} defaultValue={inviteValues.role ?? "member"}>
              {LEADER_ASSIGNABLE_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="organisation" label={labels.organisation} errors={inviteErrors}>
          {(a) => <input {...a} type="text" defaultValue={inviteValues.organisation ?? ""} />}
        </Field>
        <Field name="perspective" label={labels.perspective} errors={inviteErrors}>
          {(a) => (
            <select {...a} defaultValue={inviteValues.perspective ?? "employer"}>
              {PERSPECTIVES.map((p) => (
                <option key={p} value={p}>
                  {t(`perspective.${p}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="validFrom" label={labels.validFrom} hint={t("invite.adjunctHint")} errors={inviteErrors} optional>
          {(a) => <input {...a} type="date" defaultValue={inviteValues.validFrom ?? ""} />}
        </Field>
        <Field name="validTo" label={labels.validTo} errors={inviteErrors} optional>
          {(a) => <input {...a} type="date" defaultValue={inviteValues.validTo ?? ""} />}
        </Field>
        <button type="submit">{t("invite.submit")}</button>
      </Form>

      <h2>{t("invite.pending")}</h2>
      {pending.length === 0 ? (
        <p>{t("invite.noPending")}</p>
      ) : (
        <ul>
          {pending.map((i) => (
            <li key={i.id}>
              {i.email} · <RoleBadge role={i.role} /> · {i.organisation} · {t("invite.expires", { date: t.date(i.expiresAt) })}{" "}
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="revoke" />
                <input type="hidden" name="invitationId" value={i.id} />
                <button type="submit" className="button--secondary">
                  {t("invite.revoke", { email: i.email })}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
