import type { Kysely } from "kysely";

// Frozen in time: never import application code here.
// Joint statements (gemensamma uttalanden) and action proposals (åtgärdsförslag):
// a live text (Yjs doc:<id>), comments, proposed actions, and a decision poll.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("statements")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("council_id", "text", (c) => c.notNull().references("councils.id"))
    .addColumn("kind", "text", (c) => c.notNull()) // statement | proposal
    .addColumn("title", "text", (c) => c.notNull())
    // draft → deciding (poll open, text locked) → adopted | back to draft; or withdrawn
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("adopted_at", "text")
    .addColumn("adopted_by", "text", (c) => c.references("users.id"))
    // How it was decided: a decision poll, or a meeting's decision (with its text).
    .addColumn("decided_via", "text")
    .addColumn("meeting_id", "text", (c) => c.references("meetings.id"))
    .addColumn("decision_text", "text")
    .addColumn("frozen_text", "text")
    .addColumn("frozen_state", "blob")
    // Proposals: when the adopted proposal's actions were put into a plan.
    .addColumn("converted_plan_id", "text", (c) => c.references("plans.id"))
    .addColumn("converted_at", "text")
    .execute();
  await db.schema.createIndex("statements_council").on("statements").columns(["council_id", "created_at"]).execute();

  await db.schema
    .createTable("statement_comments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("statement_id", "text", (c) => c.notNull().references("statements.id"))
    .addColumn("user_id", "text", (c) => c.references("users.id"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("statement_comments_statement").on("statement_comments").columns(["statement_id", "created_at"]).execute();

  await db.schema
    .createTable("proposal_actions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("statement_id", "text", (c) => c.notNull().references("statements.id"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("responsible_org", "text", (c) => c.notNull())
    .addColumn("due_date", "text")
    .addColumn("plan_action_id", "text")
    .execute();

  await db.schema
    .createTable("decision_polls")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("statement_id", "text", (c) => c.notNull().references("statements.id"))
    .addColumn("created_by", "text", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("closes_at", "text", (c) => c.notNull())
    // Minimum number of votes (abstentions count) for the poll to decide anything.
    .addColumn("quorum", "integer")
    .addColumn("status", "text", (c) => c.notNull()) // open | closed
    .addColumn("outcome", "text") // adopted | rejected | blocked | no_quorum
    .addColumn("closed_at", "text")
    .execute();
  await db.schema.createIndex("decision_polls_statement").on("decision_polls").columns(["statement_id"]).execute();

  await db.schema
    .createTable("decision_votes")
    .addColumn("poll_id", "text", (c) => c.notNull().references("decision_polls.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("vote", "text", (c) => c.notNull()) // agree | abstain | disagree | block
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("decision_votes_pk", ["poll_id", "user_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["decision_votes", "decision_polls", "proposal_actions", "statement_comments", "statements"]) await db.schema.dropTable(t).execute();
}
