// Queries built and compiled once, run many times with new values.
//
// Kysely builds an operation tree and compiles it to SQL on every call: for the
// handful of queries that every page runs (who is signed in, the unread count, the
// council membership, the plan) that cost more CPU than SQLite took to answer them
// (bench:pages, docs/decisions/014-per-request-floor.md). A prepared query is built
// once per database handle with stand-in values, compiled, and then executed with
// the caller's values put in the stand-ins' places. It is still an ordinary kysely
// query, so it runs unchanged on any dialect (the PostgreSQL seam).
import type { Compilable, CompiledQuery, Kysely } from "kysely";

type Arg = string | number | null;

const STAND_IN = "\u0000samsyn-arg-";

/**
 * `build` must give a query of the same shape whatever its arguments are: use each
 * argument only as a value (`where(col, "=", arg)`), never in an `if`, never inside
 * raw SQL text. A misuse that puts an argument into the SQL text is refused when
 * the query is first compiled.
 */
export function preparedQuery<DB, A extends Arg[], R>(build: (db: Kysely<DB>, ...args: A) => Compilable<R>) {
  const compiled = new WeakMap<Kysely<DB>, { query: CompiledQuery<R>; slots: number[] }>();
  const prepare = (db: Kysely<DB>, arity: number) => {
    const standIns = Array.from({ length: arity }, (_, i) => `${STAND_IN}${i}`);
    const query = build(db, ...(standIns as A)).compile();
    if (query.sql.includes(STAND_IN)) throw new Error("preparedQuery: an argument ended up in the SQL text, not as a parameter");
    // Each parameter is either one of the arguments (by position) or a constant of the query (-1).
    const slots = query.parameters.map((p) => (typeof p === "string" && p.startsWith(STAND_IN) ? Number(p.slice(STAND_IN.length)) : -1));
    const entry = { query, slots };
    compiled.set(db, entry);
    return entry;
  };
  /** All rows. */
  const all = async (db: Kysely<DB>, ...args: A): Promise<R[]> => {
    const { query, slots } = compiled.get(db) ?? prepare(db, args.length);
    const parameters = slots.map((slot, i) => (slot < 0 ? query.parameters[i] : args[slot]));
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
  /** The first row, or undefined. */
  const first = async (db: Kysely<DB>, ...args: A): Promise<R | undefined> => (await all(db, ...args))[0];
  return { all, first };
}
