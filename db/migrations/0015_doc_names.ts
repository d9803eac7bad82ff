import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
// Live documents are named by kind: `minutes:<meeting id>` and `statement:<id>`
// instead of `doc:<id>` for both (docs/plan-document.md). Stored updates and
// snapshots are renamed here; the Yjs endpoint still accepts `doc:<id>` from old
// clients and resolves it to the new name.
export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ["yjs_updates", "yjs_snapshots"]) {
    await sql`update ${sql.table(table)} set doc_name = 'minutes:' || substr(doc_name, 5)
      where doc_name like 'doc:%' and substr(doc_name, 5) in (select id from meetings)`.execute(db);
    await sql`update ${sql.table(table)} set doc_name = 'statement:' || substr(doc_name, 5)
      where doc_name like 'doc:%' and substr(doc_name, 5) in (select id from statements)`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["yjs_updates", "yjs_snapshots"]) {
    await sql`update ${sql.table(table)} set doc_name = 'doc:' || substr(doc_name, instr(doc_name, ':') + 1)
      where doc_name like 'minutes:%' or doc_name like 'statement:%'`.execute(db);
  }
}
