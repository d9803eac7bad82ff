// Inviting many people at once (issue #16): the leader pastes or uploads a CSV,
// sees every row with its errors, then invites all of them or none. A row is
// checked by the same schema as the single invitation (inviteSchema), so the rules
// (roles a leader may give, adjunct dates, perspectives) live in one place.
import { parse } from "csv-parse/sync";
import type { Perspective } from "../../db/schema";
import { PERSPECTIVES } from "../../db/schema";
import type { MessageKey } from "../../app/i18n/keys";
import { asMessageKey, translate } from "../../app/i18n";
import { readCsvCell } from "./csv";
import type { Deps } from "./deps";
import { DomainError } from "./errors";
import { createInvitation } from "./invitations";
import { LEADER_ASSIGNABLE_ROLES } from "./roles";
import { inviteSchema } from "./schemas";
import { stockholmToday } from "./time";

export const MAX_BULK_BYTES = 256 * 1024;
export const MAX_BULK_ROWS = 500;

/** Column names we read, Swedish or English, compared without case, spaces, dashes or underscores. */
const COLUMNS: Record<BulkField, string[]> = {
  email: ["epost", "epostadress", "email", "mail"],
  name: ["namn", "name"],
  organisation: ["organisation", "organization", "org"],
  perspective: ["perspektiv", "perspective"],
  role: ["roll", "role"],
  validFrom: ["adjungeradfrånochmed", "adjungeradfrån", "från", "validfrom", "from"],
  validTo: ["adjungeradtillochmed", "adjungeradtill", "till", "validto", "to"],
};
type BulkField = "email" | "name" | "organisation" | "perspective" | "role" | "validFrom" | "validTo";
const REQUIRED: BulkField[] = ["email", "organisation", "perspective", "role"];

const squash = (s: string) => s.toLowerCase().normalize("NFC").replace(/[\s_\-./()]+/g, "");

/** A role or perspective as written by a person: the code (member) or its Swedish or English name (Ledamot). */
function codeFor<T extends string>(value: string, codes: readonly T[], key: (c: T) => MessageKey): string {
  const v = squash(value);
  for (const c of codes) {
    if (squash(c) === v || squash(translate("sv", key(c))) === v || squash(translate("en", key(c))) === v) return c;
  }
  return value;
}

export interface BulkRowError {
  field: BulkField | "_row";
  key: MessageKey;
}
export interface BulkRow {
  line: number;
  email: string;
  name: string;
  organisation: string;
  perspective: string;
  role: string;
  validFrom: string | null;
  validTo: string | null;
  errors: BulkRowError[];
}
export interface BulkPreview {
  ok: boolean;
  rows: BulkRow[];
  /** Problems with the file as a whole (empty, too large, unreadable, columns missing). */
  fileErrors: { key: MessageKey; value?: string }[];
}

const fileError = (key: MessageKey, value?: string): BulkPreview => ({ ok: false, rows: [], fileErrors: [{ key, value }] });

/** Read and check every row; nothing is written. */
export async function previewBulkInvitations(deps: Pick<Deps, "db">, councilId: string, csv: string, today = stockholmToday()): Promise<BulkPreview> {
  if (!csv.trim()) return fileError("import.empty");
  if (csv.length > MAX_BULK_BYTES) return fileError("import.tooLarge");
  const firstLine = csv.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0];
  const delimiter = firstLine.includes(";") ? ";" : firstLine.includes("\t") ? "\t" : ",";
  let records: string[][];
  try {
    records = parse(csv, { bom: true, delimiter, skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch {
    return fileError("import.unreadable");
  }
  const [header = [], ...body] = records;
  const index = new Map<BulkField, number>();
  header.forEach((h, i) => {
    const name = squash(h);
    for (const [field, names] of Object.entries(COLUMNS) as [BulkField, string[]][]) {
      if (!index.has(field) && names.includes(name)) index.set(field, i);
    }
  });
  const missing = REQUIRED.filter((f) => !index.has(f));
  if (missing.length) return fileError("import.columns", missing.map((f) => COLUMNS[f][0]).join(", "));
  if (body.length === 0) return fileError("import.empty");
  if (body.length > MAX_BULK_ROWS) return fileError("bulk.tooMany", String(MAX_BULK_ROWS));

  const cell = (r: string[], f: BulkField) => (index.has(f) ? readCsvCell(String(r[index.get(f)!] ?? "")) : "");
  const schema = inviteSchema(today);
  const rows: BulkRow[] = body.map((r, i) => {
    const values = {
      email: cell(r, "email"),
      name: cell(r, "name"),
      organisation: cell(r, "organisation"),
      perspective: codeFor(cell(r, "perspective"), PERSPECTIVES, (p) => `perspective.${p}` as MessageKey),
      role: codeFor(cell(r, "role"), LEADER_ASSIGNABLE_ROLES, (c) => `role.${c}` as MessageKey),
      validFrom: cell(r, "validFrom"),
      validTo: cell(r, "validTo"),
    };
    const parsed = schema.safeParse(values);
    const errors: BulkRowError[] = parsed.success
      ? []
      : parsed.error.issues.map((issue) => ({ field: String(issue.path[0] ?? "_row") as BulkField, key: asMessageKey(issue.message, "error.badForm") }));
    const v = parsed.success ? parsed.data : null;
    return {
      line: i + 2,
      email: v?.email ?? values.email.trim().toLowerCase(),
      name: values.name.trim(),
      organisation: v?.organisation ?? values.organisation,
      perspective: v?.perspective ?? values.perspective,
      role: v?.role ?? values.role,
      validFrom: v ? v.validFrom : values.validFrom || null,
      validTo: v ? v.validTo : values.validTo || null,
      errors,
    };
  });

  // The same address twice in the file, or someone already in the council.
  const seen = new Map<string, number>();
  for (const row of rows) {
    if (!row.email) continue;
    const first = seen.get(row.email);
    if (first !== undefined) row.errors.push({ field: "email", key: "bulk.duplicate" });
    else seen.set(row.email, row.line);
  }
  const emails = [...seen.keys()];
  const members = new Set<string>();
  for (let i = 0; i < emails.length; i += 200) {
    const found = await deps.db
      .selectFrom("memberships as m")
      .innerJoin("users as u", "u.id", "m.user_id")
      .select("u.email")
      .where("m.council_id", "=", councilId)
      .where("u.email", "in", emails.slice(i, i + 200))
      .execute();
    for (const f of found) if (f.email) members.add(f.email);
  }
  for (const row of rows) if (members.has(row.email)) row.errors.push({ field: "email", key: "error.alreadyMember" });

  return { ok: rows.every((r) => r.errors.length === 0), rows, fileErrors: [] };
}

/**
 * Invite every row, in one transaction: if any row is wrong (or became wrong since
 * the preview: someone joined meanwhile), nobody is invited. Returns each invited
 * address with its one-time token, for the e-mails sent after the commit.
 */
export async function applyBulkInvitations(
  deps: Deps,
  input: { councilId: string; csv: string; actorId: string },
  now = new Date(),
): Promise<{ email: string; name: string | null; role: BulkRow["role"]; token: string; expiresAt: string }[]> {
  const preview = await previewBulkInvitations(deps, input.councilId, input.csv);
  if (!preview.ok) throw new DomainError("bulk.invalid", 400);
  return deps.db.transaction().execute(async (trx) => {
    const out = [];
    for (const row of preview.rows) {
      const { token, invitation } = await createInvitation(
        { ...deps, db: trx },
        {
          councilId: input.councilId,
          email: row.email,
          name: row.name || null,
          role: row.role as (typeof LEADER_ASSIGNABLE_ROLES)[number],
          organisation: row.organisation,
          perspective: row.perspective as Perspective,
          validFrom: row.validFrom,
          validTo: row.validTo,
          actorId: input.actorId,
        },
        now,
      );
      out.push({ email: invitation.email, name: invitation.name, role: row.role, token, expiresAt: invitation.expires_at });
    }
    return out;
  });
}
