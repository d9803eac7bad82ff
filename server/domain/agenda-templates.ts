// A council's agenda templates (dagordningsmallar, issue #15): named lists of items a
// leader picks when creating a meeting, e.g. "Ordinarie rådsmöte" with Mötets
// öppnande, Val av justerare, Föregående protokoll, …, Övriga frågor, Mötets
// avslutande. Managed by those who manage meetings; the meeting gets copies of the
// items, so changing a template later changes no meeting.
import type { Db } from "../../db";
import type { AgendaTemplateItem } from "../../db/schema";
import { recordAudit } from "./audit";
import { isUniqueViolation } from "./deps";
import { DomainError } from "./errors";
import { newId } from "./ids";
import { nowIso } from "./time";

export interface AgendaTemplateView {
  id: string;
  name: string;
  items: AgendaTemplateItem[];
}

export async function listAgendaTemplates(db: Db, councilId: string): Promise<AgendaTemplateView[]> {
  const rows = await db.selectFrom("agenda_templates").select(["id", "name", "items_json"]).where("council_id", "=", councilId).orderBy("name").execute();
  return rows.map((r) => ({ id: r.id, name: r.name, items: JSON.parse(r.items_json) as AgendaTemplateItem[] }));
}

/** The template, if it is this council's. */
export async function getAgendaTemplate(db: Db, councilId: string, id: string): Promise<AgendaTemplateView | undefined> {
  return (await listAgendaTemplates(db, councilId)).find((t) => t.id === id);
}

/** Two templates of a council cannot share a name (a leader picks by name). */
async function uniqueName<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError("error.templateNameTaken", 409, "name");
    throw err;
  }
}

export async function saveAgendaTemplate(
  db: Db,
  input: { councilId: string; actorId: string | null; id?: string; name: string; items: AgendaTemplateItem[] },
  now = new Date(),
): Promise<string> {
  const items_json = JSON.stringify(input.items);
  return uniqueName(() =>
    db.transaction().execute(async (trx) => {
      let id = input.id;
      if (id) {
        const res = await trx
          .updateTable("agenda_templates")
          .set({ name: input.name, items_json, updated_at: nowIso(now) })
          .where("id", "=", id)
          .where("council_id", "=", input.councilId)
          .executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) throw new DomainError("error.templateNotFound", 404);
      } else {
        id = newId();
        await trx.insertInto("agenda_templates").values({ id, council_id: input.councilId, name: input.name, items_json, created_at: nowIso(now), updated_at: nowIso(now) }).execute();
      }
      await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: input.id ? "agenda_template.updated" : "agenda_template.created", subject: id, after: { name: input.name, items: input.items.length } }, now);
      return id;
    }),
  );
}

export async function deleteAgendaTemplate(db: Db, input: { councilId: string; actorId: string; id: string }, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const res = await trx.deleteFrom("agenda_templates").where("id", "=", input.id).where("council_id", "=", input.councilId).executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1) throw new DomainError("error.templateNotFound", 404);
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "agenda_template.deleted", subject: input.id }, now);
  });
}

/** The standard agenda of a Swedish council meeting (the demo councils have it). */
export const STANDARD_TEMPLATE: { name: string; items: AgendaTemplateItem[] } = {
  name: "Ordinarie rådsmöte",
  items: [
    { title: "Mötets öppnande", kind: "information", minutes: 5 },
    { title: "Val av justerare", kind: "decision", minutes: 5 },
    { title: "Godkännande av dagordningen", kind: "decision", minutes: 5 },
    { title: "Föregående protokoll", kind: "information", minutes: 5 },
    { title: "Uppföljning av handlingsplanen", kind: "discussion", minutes: 30 },
    { title: "Övriga frågor", kind: "discussion", minutes: 10 },
    { title: "Mötets avslutande", kind: "information", minutes: 5 },
  ],
};
