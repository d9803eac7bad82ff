// Who may do what in a live document, over the life of a connection. The rights
// are resolved when it opens (resolveDocAccess, the one place that decides them)
// and follow every change at once: a removed member is disconnected, a member
// turned observer stops writing, and a document whose state changes (a meeting
// cancelled, minutes closed, a poll opened on a statement, a plan adopted) is
// re-resolved for everyone in it before their next update is read. Each domain
// event is mapped to the connections it may concern (connsConcernedBy).
import type { Db } from "../../db";
import { resolveDocAccess, type DocAccess } from "../domain/doc-access";
import { minutesDocName, planDocName, statementDocName } from "../domain/doc-names";
import type { DomainEvent, LocalEventBus } from "../domain/events";
import { log } from "../log";
import { CLOSE } from "./messages";
import type { Conn } from "./protocol";
import type { Room } from "./room";
import type { Rooms } from "./rooms";

/** A person's rights to a document; undefined for none (unknown, another council's, not yet readable). */
export function resolveAccess(db: Db, userId: string, docName: string): Promise<DocAccess | undefined> {
  return resolveDocAccess(db, userId, docName);
}

/** The rights epoch now (migration 0018): it moves with every write that can change someone's rights. */
export async function rightsEpoch(db: Db): Promise<number> {
  const row = await db.selectFrom("rights_epoch").select("epoch").where("id", "=", 1).executeTakeFirst();
  return Number(row?.epoch ?? 0);
}

/**
 * Rights and the epoch they hold at: the epoch is read first, so the rights are at
 * least that new. The PostgreSQL store accepts this person's updates only while the
 * epoch has not moved (several nodes: a change made on another node holds here
 * before the next update is accepted).
 */
export async function resolveAccessAt(db: Db, userId: string, docName: string): Promise<{ access: DocAccess | undefined; epoch: number }> {
  const epoch = await rightsEpoch(db);
  return { access: await resolveDocAccess(db, userId, docName), epoch };
}

type Concerns = (room: Room, c: Conn) => boolean;

/**
 * Re-resolve the rights of the open connections a domain event may concern, from
 * `events`. Returns the unsubscribe.
 */
export function followRights(db: Db, events: LocalEventBus, rooms: Rooms): () => void {
  const reresolve = (concerns: Concerns) => {
    rooms.each((room) => {
      const concerned = [...room.conns.values()].filter((c) => concerns(room, c));
      if (!concerned.length) return;
      // In the room's queue: updates that arrived before the change are read with
      // the old rights, every later one with the new.
      room.queue.push(
        async () => {
          for (const c of concerned) {
            const { access, epoch } = await resolveAccessAt(db, c.userId, room.name);
            if (!access) c.ws.close(CLOSE.forbidden, "Access revoked");
            else Object.assign(c, { access, accessEpoch: epoch });
          }
        },
        (err) => log.error("re-resolving document rights failed", { doc: room.name, err: String(err) }),
      );
    });
  };
  return events.subscribe((event) => {
    if (event.type === "session.ended" || event.type === "user.removed") {
      // Signed out, or removed from the installation: their editors close at once.
      const closes = (c: Conn) => (event.type === "session.ended" ? c.sessionId === event.sessionId : c.userId === event.userId);
      rooms.each((room) => room.conns.forEach((c) => closes(c) && c.ws.close(CLOSE.unauthorized, "Signed out")));
      return;
    }
    void connsConcernedBy(db, event)
      .then((concerns) => concerns && reresolve(concerns))
      .catch((err) => log.error("document rights not re-resolved", { type: event.type, err: String(err) }));
  });
}

/** Which open connections an event may change the rights of; undefined for none. */
async function connsConcernedBy(db: Db, event: DomainEvent): Promise<Concerns | undefined> {
  switch (event.type) {
    case "membership.added":
    case "membership.changed":
    case "membership.removed":
      return (_room, c) => c.userId === event.userId && c.access.councilId === event.councilId;
    case "group.changed": {
      // The group's members write its meetings' minutes: a member taken out of the group stops writing.
      const ms = await db.selectFrom("meetings").select("id").where("group_id", "=", event.groupId).execute();
      const docs = new Set(ms.map((m) => minutesDocName(m.id)));
      return (room) => docs.has(room.name);
    }
    default:
      if ("meetingId" in event) return (room) => room.name === minutesDocName(event.meetingId);
      if ("statementId" in event) return (room) => room.name === statementDocName(event.statementId);
      if ("planId" in event) return (room) => room.name === planDocName(event.planId);
      return undefined;
  }
}
