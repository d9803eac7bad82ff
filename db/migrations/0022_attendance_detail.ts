import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
// Attendance in detail and paragraph numbering per year (issue #15,
// docs/decisions/044-attendance-and-paragraphs.md). Plain text/integer columns and
// kysely's schema builder: the same DDL on SQLite and PostgreSQL.
// - attendance.status replaces attendance.present: present, excused (förhinder) or
//   absent; the old 1/0 become present/absent.
// - meeting_substitutes: a substitute (ersättare) serving for a member at one meeting,
//   either one of the council's people (substitute_user_id) or a name given in free
//   text (name, organisation; '' = the member's organisation).
// - meeting_guests: guests of one meeting (name, organisation, why they came).
// - councils.paragraph_numbering: 'meeting' (§ 1 in every minutes) or 'year' (the
//   paragraphs continue through the council's meetings of a calendar year).
// - minutes.first_paragraph: the number of the first paragraph, fixed when the
//   minutes are approved. Minutes approved before this migration were numbered per
//   meeting: they keep § 1.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("attendance")
    .addColumn("status", "text", (c) => c.notNull().defaultTo("absent").check(sql`status in ('present','excused','absent')`))
    .execute();
  await db.updateTable("attendance").set({ status: sql`case when present = 1 then 'present' else 'absent' end` }).execute();
  await db.schema.alterTable("attendance").dropColumn("present").execute();

  await db.schema
    .createTable("meeting_substitutes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("meeting_id", "text", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("for_user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("substitute_user_id", "text", (c) => c.references("users.id"))
    .addColumn("name", "text")
    .addColumn("organisation", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    // One of the council's people, or a name: exactly one of the two.
    .addCheckConstraint("meeting_substitutes_who", sql`(substitute_user_id is null) <> (name is null)`)
    .execute();
  await db.schema.createIndex("meeting_substitutes_for").on("meeting_substitutes").columns(["meeting_id", "for_user_id"]).unique().execute();
  await db.schema.createIndex("meeting_substitutes_user").on("meeting_substitutes").column("substitute_user_id").execute();

  await db.schema
    .createTable("meeting_guests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("meeting_id", "text", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("organisation", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("meeting_guests_meeting").on("meeting_guests").columns(["meeting_id", "created_at"]).execute();

  await db.schema
    .alterTable("councils")
    .addColumn("paragraph_numbering", "text", (c) => c.notNull().defaultTo("meeting").check(sql`paragraph_numbering in ('meeting','year')`))
    .execute();
  await db.schema.alterTable("minutes").addColumn("first_paragraph", "integer").execute();
  await db.updateTable("minutes").set({ first_paragraph: 1 }).where("status", "=", "approved").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("minutes").dropColumn("first_paragraph").execute();
  await db.schema.alterTable("councils").dropColumn("paragraph_numbering").execute();
  await db.schema.dropTable("meeting_guests").execute();
  await db.schema.dropTable("meeting_substitutes").execute();
  await db.schema.alterTable("attendance").addColumn("present", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.updateTable("attendance").set({ present: sql`case when status = 'present' then 1 else 0 end` }).execute();
  await db.schema.alterTable("attendance").dropColumn("status").execute();
}
