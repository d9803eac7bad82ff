// Check-then-act steps under real concurrency: many calls at once through the
// server's own database handle. On PostgreSQL (the integration suite's second pass,
// SAMSYN_TEST_DATABASE=postgres) that is a pool of connections under READ
// COMMITTED, where a check made outside the row's lock goes stale; on SQLite one
// connection runs the transactions one by one. The invariants must hold on both
// (the meeting guard withMeeting and locks.ts; decision 038).
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAgendaItem } from "../../server/domain/agenda";
import type { Deps } from "../../server/domain/deps";
import { newId } from "../../server/domain/ids";
import { cancelMeeting } from "../../server/domain/meetings";
import { closeMinutes, decideMinutes, setApprovers, setAttendance } from "../../server/domain/minutes";
import { castVote, closeDecisionPoll, createStatement, openDecisionPoll } from "../../server/domain/statements";
import { startTestServer, type TestServer } from "../helpers/server";

describe("check-then-act under concurrency", () => {
  let s: TestServer;
  let deps: Deps;
  let councilId: string;
  const users: Record<string, string> = {};

  beforeAll(async () => {
    s = await startTestServer();
    deps = { db: s.db, events: s.server.bus };
    councilId = (await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id;
    const members = await s.db
      .selectFrom("memberships as m")
      .innerJoin("users as u", "u.id", "m.user_id")
      .select(["u.id", "u.email", "m.role"])
      .where("m.council_id", "=", councilId)
      .where("m.valid_to", "is", null)
      .execute();
    for (const m of members) if (m.email) users[m.email.split("@")[0]] = m.id;
  });
  afterAll(() => s.close());

  /** A convened meeting of the council, starting `fromNowMs` from now (negative: held). */
  async function meeting(fromNowMs: number): Promise<string> {
    const id = newId();
    const at = new Date().toISOString();
    await s.db
      .insertInto("meetings")
      .values({
        id,
        council_id: councilId,
        title: `Samtidighet ${id.slice(0, 6)}`,
        location: "Skövde",
        video_url: null,
        description: "",
        starts_at: new Date(Date.now() + fromNowMs).toISOString(),
        ends_at: new Date(Date.now() + fromNowMs + 2 * 3600_000).toISOString(),
        status: "convened",
        cancel_reason: null,
        sequence: 0,
        created_by: users.processledare,
        created_at: at,
        updated_at: at,
        convened_at: at,
        group_id: null,
      })
      .execute();
    return id;
  }

  const item = (meetingId: string, title: string, asProposal = false) =>
    addAgendaItem(deps, { councilId, meetingId, actorId: asProposal ? users.ledamot : users.processledare, asProposal, title, kind: "discussion", presenter: "", minutes: 10, planAreaId: null, planActionId: null });

  it("items added at once each get their own place on the agenda", async () => {
    const meetingId = await meeting(7 * 86400_000);
    await Promise.all(Array.from({ length: 12 }, (_, i) => item(meetingId, `Punkt ${i + 1}`, i % 3 === 0)));
    const positions = (await s.db.selectFrom("agenda_items").select("position").where("meeting_id", "=", meetingId).execute()).map((r) => r.position);
    expect(positions).toHaveLength(12);
    expect(new Set(positions).size).toBe(12);
  });

  it("a meeting cancelled while items are being added: no item lands after the cancellation", async () => {
    for (let round = 0; round < 4; round++) {
      const meetingId = await meeting(7 * 86400_000);
      const adds = Array.from({ length: 6 }, (_, i) => item(meetingId, `Sen punkt ${i}`).then(() => Date.now()).catch((e: Error) => e));
      const cancel = cancelMeeting(deps, { councilId, meetingId, actorId: users.processledare, reason: "Krockar" });
      const results = await Promise.all(adds);
      await cancel;
      // Each add either committed before the cancellation (its item is there) or was refused as cancelled.
      const refused = results.filter((r): r is Error => r instanceof Error);
      for (const e of refused) expect(e.message).toMatch(/error\.meetingCancelled|inställt/);
      const items = await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meetingId).execute();
      expect(items.length).toBe(6 - refused.length);
      const m = await s.db.selectFrom("meetings").select("status").where("id", "=", meetingId).executeTakeFirstOrThrow();
      expect(m.status).toBe("cancelled");
    }
  });

  it("two approvers approving at the same moment publish the minutes", async () => {
    const empty = Y.encodeStateAsUpdate(new Y.Doc());
    for (let round = 0; round < 6; round++) {
      const meetingId = await meeting(-3 * 3600_000);
      const ref = { councilId, meetingId };
      await setAttendance(deps, { ...ref, actorId: users.processledare, present: [users.processledare, users.ledamot, users["maria.andersson"]] });
      await setApprovers(deps, { ...ref, userIds: [users.ledamot, users["maria.andersson"]], actorId: users.processledare });
      await closeMinutes(deps, { ...ref, actorId: users.processledare, currentState: empty });
      await Promise.all([
        decideMinutes(deps, { ...ref, userId: users.ledamot, approve: true, comment: "" }),
        decideMinutes(deps, { ...ref, userId: users["maria.andersson"], approve: true, comment: "" }),
      ]);
      const minutes = await s.db.selectFrom("minutes").select("status").where("meeting_id", "=", meetingId).executeTakeFirstOrThrow();
      expect(minutes.status, `round ${round}`).toBe("approved");
    }
  });

  it("a decision poll closed while votes come in: the outcome counts exactly the votes accepted", async () => {
    const voters = Object.entries(users).filter(([who]) => who !== "observator" && who !== "processledare").map(([, id]) => id).slice(0, 4);
    expect(voters.length).toBe(4);
    for (let round = 0; round < 4; round++) {
      const statementId = await createStatement(deps, { councilId, kind: "statement", title: `Uttalande ${round}`, actorId: users.processledare });
      // Quorum: every voter. Adopted exactly when every vote was counted before the close.
      await openDecisionPoll(deps, { councilId, statementId, actorId: users.processledare, closesAt: new Date(Date.now() + 86400_000).toISOString(), quorum: voters.length });
      const votes = voters.map((userId) => castVote(deps, { councilId, statementId, userId, vote: "agree", reason: "" }).then(() => true, () => false));
      await new Promise((r) => setTimeout(r, round)); // vary the interleaving a little
      const outcome = await closeDecisionPoll(deps, s.server.collab, { councilId, statementId, actorId: users.processledare });
      const accepted = (await Promise.all(votes)).filter(Boolean).length;
      const stored = await s.db.selectFrom("decision_votes as v").innerJoin("decision_polls as p", "p.id", "v.poll_id").select("v.user_id").where("p.statement_id", "=", statementId).execute();
      expect(stored.length, `round ${round}`).toBe(accepted);
      expect(outcome, `round ${round}: ${accepted} accepted`).toBe(accepted === voters.length ? "adopted" : "no_quorum");
    }
  });
});
