// Check-then-act under concurrency. A domain step that checks a row (a meeting's
// phase, a poll still open, the minutes still a draft) and then writes must hold
// that row until its transaction ends, or another step can change it in between.
// On SQLite kysely's one connection runs one transaction at a time, so reading
// inside the transaction is enough; on PostgreSQL (READ COMMITTED, a pool, several
// nodes) the read takes the row lock: `FOR UPDATE` (writers of that row wait) or
// `FOR SHARE` (steps that only need the row to stay as it is, such as two people
// voting at once, run side by side; a writer waits for them all).
// docs/decisions/038-check-then-act.md, ../shared/SCALE-OUT.md §2.
import type { SelectQueryBuilder } from "kysely";
import { dialectOf, type Db } from "../../db";

/** Hold the selected rows until the transaction ends, against every other writer of them. */
export function forUpdate<DB, TB extends keyof DB, O>(db: Db, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialectOf(db) === "postgres" ? query.forUpdate() : query;
}

/** Keep the selected rows as they are until the transaction ends; others may hold them too. */
export function forShare<DB, TB extends keyof DB, O>(db: Db, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return dialectOf(db) === "postgres" ? query.forShare() : query;
}
