// Plan documents written in an earlier layout (docs/plan-document.md) are brought
// to the current one once, by the server, through the same path as any server
// change: in the document's queue, durable before anyone sees it, the projection in
// the same transaction. Adopted plans are frozen as they were; readers of those
// (normalisePlanJson, the tolerant document reader) read the old layout as the new.
import type { Db } from "../../db";
import type { DocOps } from "./deps";
import { PLAN_SCHEMA_VERSION, upgradePlanDoc } from "./plan-doc";
import { planDocName } from "./plans";

/**
 * Upgrade every plan not adopted whose document is older than the current layout;
 * returns how many were upgraded. Safe on several nodes at once: the upgrade of a
 * document gives the same content wherever it runs (decision 050).
 */
export async function upgradePlanDocuments(db: Db, docs: Pick<DocOps, "applyServerChange">, onError?: (planId: string, err: unknown) => void): Promise<number> {
  const old = await db.selectFrom("plans").select("id").where("schema_version", "<", PLAN_SCHEMA_VERSION).where("status", "!=", "adopted").execute();
  let n = 0;
  for (const { id } of old) {
    try {
      await docs.applyServerChange(planDocName(id), upgradePlanDoc, async (trx) => {
        await trx.updateTable("plans").set({ schema_version: PLAN_SCHEMA_VERSION }).where("id", "=", id).execute();
      });
      n++;
    } catch (err) {
      onError?.(id, err);
    }
  }
  return n;
}
