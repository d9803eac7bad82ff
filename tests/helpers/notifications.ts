// Who got a notification: the tests compare these with hand-written lists.
import type { Db } from "../../db";
import type { NotificationKind } from "../../db/schema";

/** Who got a notification of `kind` whose parameters mention `marker`, as sorted e-mail addresses. */
export async function recipients(db: Db, kind: NotificationKind, marker: string): Promise<string[]> {
  const rows = await db
    .selectFrom("notifications as n")
    .innerJoin("users as u", "u.id", "n.user_id")
    .select("u.email")
    .where("n.kind", "=", kind)
    .where("n.params_json", "like", `%${marker}%`)
    .execute();
  return rows.map((r) => r.email!).sort();
}
