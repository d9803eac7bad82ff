import type { Db } from "../../db";
import type { EventSink } from "./events";

/** What a domain function that changes state needs: the database and where to record events. */
export interface Deps {
  db: Db;
  events: EventSink;
}

/** SQLite's unique-constraint failure, so callers can turn a race into a clear message. */
export function isUniqueViolation(err: unknown): boolean {
  return (
    typeof err === "object" &&
    err !== null &&
    "code" in err &&
    typeof (err as { code: unknown }).code === "string" &&
    ((err as { code: string }).code === "SQLITE_CONSTRAINT_UNIQUE" ||
      (err as { code: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY" ||
      (err as { code: string }).code === "23505")
  );
}
