// Reminders (issue #15): an invitee who has not answered is reminded a few days
// before the meeting, an approver (justerare) who has not approved a few days after
// the minutes were closed; each reminder once, however often the jobs run.
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APPROVAL_REMINDER_MS } from "../../server/domain/notification-jobs";
import { ZONE } from "../../server/domain/time";
import { login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

const LEADER = "processledare@samsyn.test";
const ANSWERED = "ledamot@samsyn.test";
const SILENT = "maria.andersson@samsyn.test";
const OBSERVER = "observator@samsyn.test";

describe("reminders", { timeout: 60_000 }, () => {
  let s: TestServer;
  const cookies = new Map<string, string>();
  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const remindersOf = async (kind: "rsvp_reminder" | "approval_reminder", link: string) =>
    (
      await s.db
        .selectFrom("notifications as n")
        .innerJoin("users as u", "u.id", "n.user_id")
        .select("u.email")
        .where("n.kind", "=", kind)
        .where("n.link", "=", link)
        .execute()
    ).map((r) => r.email);
  const convene = async (title: string, inDays: number) => {
    const date = DateTime.now().setZone(ZONE).plus({ days: inDays }).toISODate()!;
    const created = await postForm(s.url, "/councils/skaraborg/meetings", { intent: "create", title, date, startTime: "10:00", endTime: "12:00", location: "Skövde", videoUrl: "", description: "" }, await cookieFor(LEADER));
    expect(created.status).toBe(302);
    const path = created.headers.get("location")!;
    expect((await postForm(s.url, path, { intent: "convene" }, await cookieFor(LEADER))).status).toBe(200);
    return path;
  };

  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.close());

  it("reminds those invited who have not answered, a few days before, once", async () => {
    const soon = await convene("Påminnelsemöte", 2);
    const later = await convene("Möte om en månad", 30);
    expect((await postForm(s.url, soon, { intent: "rsvp", response: "attending", note: "" }, await cookieFor(ANSWERED))).status).toBe(200);
    await s.server.jobs.run();
    const reminded = await remindersOf("rsvp_reminder", soon);
    expect(reminded).toContain(SILENT);
    expect(reminded).not.toContain(ANSWERED);
    expect(reminded).not.toContain(OBSERVER); // observers are not asked to answer
    expect(await remindersOf("rsvp_reminder", later)).toEqual([]);
    await s.server.jobs.run();
    expect((await remindersOf("rsvp_reminder", soon)).sort()).toEqual([...reminded].sort());
  });

  it("reminds approvers who have not approved, a few days after the minutes were closed, once", async () => {
    const meeting = await s.db.selectFrom("meetings").select("id").where("title", "=", "Rådsmöte: revidering av handlingsplanen").executeTakeFirstOrThrow();
    const path = `/councils/skaraborg/meetings/${meeting.id}/minutes`;
    const users = Object.fromEntries((await s.db.selectFrom("users").select(["id", "email"]).execute()).map((u) => [u.email, u.id]));
    const leader = await cookieFor(LEADER);
    expect((await postForm(s.url, path, { intent: "attendance", [`present-${users[LEADER]}`]: "on", [`present-${users[SILENT]}`]: "on" }, leader)).status).toBe(200);
    expect((await postForm(s.url, path, { intent: "approvers", approver1: users[SILENT]! }, leader)).status).toBe(200);
    expect((await postForm(s.url, path, { intent: "close" }, leader)).status).toBe(200);
    const link = path;
    await s.server.jobs.run();
    expect(await remindersOf("approval_reminder", link)).toEqual([]);
    const afterDays = new Date(Date.now() + APPROVAL_REMINDER_MS + 3600_000);
    await s.server.jobs.run(afterDays);
    expect(await remindersOf("approval_reminder", link)).toEqual([SILENT]);
    await s.server.jobs.run(new Date(afterDays.getTime() + 3600_000));
    expect(await remindersOf("approval_reminder", link)).toEqual([SILENT]);
  });
});
