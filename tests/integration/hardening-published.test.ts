// Issue #12, items 1, 2 and 5, through real HTTP (pages and their single-fetch
// `.data` loader payloads), real y-websocket clients and the real server:
// - 1: a meeting's record (minutes text, attendance, action items, agenda
//   decisions) reaches observers only once the minutes are approved, in every
//   page, loader payload and feed;
// - 2: approvers (justerare) are attendees who may write the minutes, checked when
//   they are named, when the minutes are closed and when an approver decides;
// - 5: follow-up history is per plan year; earlier years of a carried-over action
//   are shown apart, labelled by year.
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stockholmYear } from "../../server/domain/time";
import { textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connect, synced, waitFor, type Client } from "../helpers/yjs";

const WHO = ["processledare", "ledamot", "observator", "maria.andersson"] as const;
type Who = (typeof WHO)[number];

describe("hardening: published minutes, approvers, history per year", () => {
  let s: TestServer;
  const c = {} as Record<Who, string>;
  const ids = {} as Record<Who, string>;
  const clients: Client[] = [];

  const meetingIdOf = async (title: string) =>
    (await s.db.selectFrom("meetings").select(["id", "starts_at"]).where("title", "=", title).executeTakeFirstOrThrow());

  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: 20 } });
    for (const who of WHO) {
      c[who] = await login(s.url, `${who}@samsyn.test`);
      ids[who] = (await s.db.selectFrom("users").select("id").where("email", "=", `${who}@samsyn.test`).executeTakeFirstOrThrow()).id;
    }
  });
  afterAll(async () => {
    for (const cl of clients) cl.destroy();
    await s.close();
  });

  describe("1: one rule for published minutes", () => {
    const SECRET_TEXT = "Hemlig protokollstext om budgeten";
    const SECRET_DECISION = "Rådet beslutade hemligt att öppna revideringen";
    const SECRET_ITEM = "Hemlig åtgärdspunkt om lokaler";
    let meetingId: string;
    let minutesPath: string;
    let meetingPath: string;
    let planPath: string;

    /** Which of the views carry any of the texts: [path, text] pairs. */
    const leaks = (views: Record<string, string>, texts: string[]) =>
      Object.entries(views).flatMap(([p, body]) => texts.filter((t) => body.includes(t)).map((t) => [p, t]));

    /** Everything an observer can fetch that could carry the meeting's record: pages and their loader data. */
    const observerViews = async (who: Who) => {
      const paths = [
        minutesPath,
        `${minutesPath}.data`,
        meetingPath,
        `${meetingPath}.data`,
        planPath,
        `${planPath}.data`,
        "/councils/skaraborg/activity",
        "/councils/skaraborg/activity.data",
        "/councils/skaraborg",
        "/councils/skaraborg.data",
        "/api/v1/councils/skaraborg/meetings",
      ];
      const out: Record<string, string> = {};
      for (const p of paths) {
        const res = await get(s.url, p, c[who]);
        expect(res.status, p).toBe(200);
        out[p] = res.text;
      }
      return out;
    };

    beforeAll(async () => {
      const m = await meetingIdOf("Rådsmöte: revidering av handlingsplanen");
      meetingId = m.id;
      meetingPath = `/councils/skaraborg/meetings/${meetingId}`;
      minutesPath = `${meetingPath}/minutes`;
      planPath = `/councils/skaraborg/plans/${stockholmYear(m.starts_at)}`;
      // The leader records a decision on the agenda, attendance and an action item; a member writes the text.
      const item = await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meetingId).where("title", "=", "Beslut om att öppna revideringen").executeTakeFirstOrThrow();
      expect((await postForm(s.url, meetingPath, { intent: "decision", itemId: item.id, decision: SECRET_DECISION }, c.processledare)).status).toBe(200);
      const present = { [`present-${ids.processledare}`]: "on", [`present-${ids.ledamot}`]: "on", [`present-${ids["maria.andersson"]}`]: "on", [`present-${ids.observator}`]: "on" };
      expect((await postForm(s.url, minutesPath, { intent: "attendance", ...present }, c.processledare)).status).toBe(200);
      expect((await postForm(s.url, minutesPath, { intent: "actionItem", what: SECRET_ITEM, ownerUserId: "", dueDate: "" }, c.ledamot)).status).toBe(200);
      const writer = connect(s.url, `doc:${meetingId}`, c.ledamot);
      clients.push(writer);
      await synced(writer);
      const p = new Y.XmlElement("paragraph");
      const t = new Y.XmlText();
      t.insert(0, SECRET_TEXT);
      p.insert(0, [t]);
      writer.doc.getXmlFragment("content").push([p]);
      // Closing reads the server's state: wait until a second reader gets the text from the server.
      const reader = connect(s.url, `doc:${meetingId}`, c.processledare);
      clients.push(reader);
      await synced(reader);
      await waitFor(() => reader.doc.getXmlFragment("content").toString().includes(SECRET_TEXT), "the text on the server");
      expect((await postForm(s.url, minutesPath, { intent: "approvers", approver1: ids["maria.andersson"] }, c.processledare)).status).toBe(200);
    });

    it("while the minutes are being written, an observer gets none of the record; a member gets all of it", async () => {
      const views = await observerViews("observator");
      expect(leaks(views, [SECRET_DECISION, SECRET_ITEM, SECRET_TEXT])).toEqual([]);
      const member = await get(s.url, `${meetingPath}.data`, c.ledamot);
      expect(member.text).toContain(SECRET_DECISION);
      const memberMinutes = await get(s.url, `${minutesPath}.data`, c.ledamot);
      expect(memberMinutes.text).toContain(SECRET_ITEM);
      // The member's feed says that a decision was recorded; the observer's does not.
      expect(textOf((await get(s.url, "/councils/skaraborg/activity", c.ledamot)).text)).toContain(SECRET_DECISION);
    });

    it("closed but not approved: an observer still gets none of it (the frozen text included); a member reads it", async () => {
      expect((await postForm(s.url, minutesPath, { intent: "close" }, c.processledare)).status).toBe(200);
      const row = await s.db.selectFrom("minutes").select(["status", "frozen_text"]).where("meeting_id", "=", meetingId).executeTakeFirstOrThrow();
      expect(row.status).toBe("closed");
      expect(row.frozen_text).toContain(SECRET_TEXT);
      const views = await observerViews("observator");
      expect(leaks(views, [SECRET_DECISION, SECRET_ITEM, SECRET_TEXT])).toEqual([]);
      expect(textOf(views[minutesPath])).toContain("Protokollet publiceras här när det är justerat.");
      const member = await get(s.url, minutesPath, c.ledamot);
      expect(member.text).toContain(SECRET_TEXT);
      expect(textOf(member.text)).toContain(SECRET_DECISION);
      expect(textOf(member.text)).toContain(SECRET_ITEM);
      expect((await get(s.url, meetingPath, c.ledamot)).text).toContain(SECRET_DECISION);
      // The leader adopting the plan may pick the decision (leaders read unpublished minutes).
      expect((await get(s.url, `${planPath}.data`, c.processledare)).text).toContain(SECRET_DECISION);
    });

    it("once approved, the observer reads the text, attendance, decisions and action items", async () => {
      expect((await postForm(s.url, minutesPath, { intent: "decide", decision: "approve" }, c["maria.andersson"])).status).toBe(200);
      const minutes = await get(s.url, minutesPath, c.observator);
      expect(minutes.text).toContain(SECRET_TEXT);
      expect(textOf(minutes.text)).toContain(SECRET_DECISION);
      expect(textOf(minutes.text)).toContain(SECRET_ITEM);
      expect(textOf(minutes.text)).toContain("Karin Lindqvist");
      expect((await get(s.url, `${minutesPath}.data`, c.observator)).text).toContain(SECRET_TEXT);
      expect(textOf((await get(s.url, meetingPath, c.observator)).text)).toContain(SECRET_DECISION);
      expect((await get(s.url, `${meetingPath}.data`, c.observator)).text).toContain(SECRET_DECISION);
    });
  });

  describe("2: approvers are attendees who may write the minutes", () => {
    let meetingId: string;
    let minutesPath: string;

    beforeAll(async () => {
      meetingId = (await meetingIdOf("Rådsmöte: kompetensbehovsanalysen")).id;
      minutesPath = `/councils/skaraborg/meetings/${meetingId}/minutes`;
      const present = { [`present-${ids.processledare}`]: "on", [`present-${ids.ledamot}`]: "on", [`present-${ids["maria.andersson"]}`]: "on", [`present-${ids.observator}`]: "on" };
      expect((await postForm(s.url, minutesPath, { intent: "attendance", ...present }, c.processledare)).status).toBe(200);
    });

    it("an observer who attended is neither offered nor accepted as approver", async () => {
      const page = await get(s.url, minutesPath, c.processledare);
      const select = /<select id="approver1"[\s\S]*?<\/select>/.exec(page.text)?.[0] ?? "";
      expect(select).toContain(`value="${ids["maria.andersson"]}"`);
      expect(select).not.toContain(`value="${ids.observator}"`);
      const refused = await postForm(s.url, minutesPath, { intent: "approvers", approver1: ids.observator }, c.processledare);
      expect(refused.status).toBe(400);
      expect(textOf(refused.text)).toContain("Justerare måste få skriva protokollet (en observatör kan inte justera).");
      const both = await postForm(s.url, minutesPath, { intent: "approvers", approver1: ids["maria.andersson"], approver2: ids.observator }, c.processledare);
      expect(both.status).toBe(400);
      expect(await s.db.selectFrom("minutes_approvers").select("user_id").where("meeting_id", "=", meetingId).execute()).toEqual([]);
    });

    it("an approver whose role has since become observer can neither be closed for nor approve", async () => {
      expect((await postForm(s.url, minutesPath, { intent: "approvers", approver1: ids.ledamot, approver2: ids["maria.andersson"] }, c.processledare)).status).toBe(200);
      const ms = await s.db.selectFrom("memberships as m").innerJoin("councils as c", "c.id", "m.council_id").select("m.id").where("c.slug", "=", "skaraborg").where("m.user_id", "=", ids.ledamot).executeTakeFirstOrThrow();
      const toRole = (role: string) => postForm(s.url, "/councils/skaraborg/members", { intent: "changeRole", membershipId: ms.id, role, validFrom: "", validTo: "" }, c.processledare);
      // Demoted before closing: the leader must name someone else first.
      expect((await toRole("observer")).status).toBe(200);
      const close = await postForm(s.url, minutesPath, { intent: "close" }, c.processledare);
      expect(close.status).toBe(409);
      expect(textOf(close.text)).toContain("Justerare måste få skriva protokollet");
      expect((await s.db.selectFrom("minutes").select("status").where("meeting_id", "=", meetingId).executeTakeFirst())?.status).toBe("draft");
      // Back to member, closed, then demoted again: the approval is refused and nothing is published.
      expect((await toRole("member")).status).toBe(200);
      expect((await postForm(s.url, minutesPath, { intent: "close" }, c.processledare)).status).toBe(200);
      expect((await postForm(s.url, minutesPath, { intent: "decide", decision: "approve" }, c["maria.andersson"])).status).toBe(200);
      expect((await toRole("observer")).status).toBe(200);
      const approve = await postForm(s.url, minutesPath, { intent: "decide", decision: "approve" }, c.ledamot);
      expect(approve.status).toBe(403);
      const row = await s.db.selectFrom("minutes").select("status").where("meeting_id", "=", meetingId).executeTakeFirstOrThrow();
      expect(row.status).toBe("closed");
      const mine = await s.db.selectFrom("minutes_approvers").select("status").where("meeting_id", "=", meetingId).where("user_id", "=", ids.ledamot).executeTakeFirstOrThrow();
      expect(mine.status).toBe("pending");
      // The leader sees why, and replaces the approver on the closed minutes; everyone approves the frozen text anew.
      expect(textOf((await get(s.url, minutesPath, c.processledare)).text)).toContain("Anders Johansson: väntar (kan inte längre justera – utse en annan justerare)");
      expect((await postForm(s.url, minutesPath, { intent: "approvers", approver1: ids["maria.andersson"] }, c.processledare)).status).toBe(200);
      const after = await s.db.selectFrom("minutes_approvers").select(["user_id", "status"]).where("meeting_id", "=", meetingId).execute();
      expect(after).toEqual([{ user_id: ids["maria.andersson"], status: "pending" }]);
      expect((await s.db.selectFrom("minutes").select("status").where("meeting_id", "=", meetingId).executeTakeFirstOrThrow()).status).toBe("closed");
      // With every approver able to approve, closed minutes keep their approvers.
      expect((await postForm(s.url, minutesPath, { intent: "approvers", approver1: ids.processledare }, c.processledare)).status).toBe(409);
      expect((await postForm(s.url, minutesPath, { intent: "decide", decision: "approve" }, c["maria.andersson"])).status).toBe(200);
      expect((await s.db.selectFrom("minutes").select("status").where("meeting_id", "=", meetingId).executeTakeFirstOrThrow()).status).toBe("approved");
      expect((await toRole("member")).status).toBe(200);
    });
  });

  describe("5: follow-up history per plan year", () => {
    const TITLE = "Branschvisa rekryteringsträffar för industrin";
    const REPORT_THIS = "Rapport på årets plan";
    const REPORT_NEXT = "Rapport på nästa års plan";
    let year: number;
    let actionId: string;
    const actionPath = (y: number) => `/councils/skaraborg/plans/${y}/actions/${actionId}`;
    /** The page's history split at the "Tidigare år" heading: [this year's part, earlier years]; the timeline after them is not history by year. */
    const parts = (html: string) => {
      const whole = textOf(html);
      const text = whole.slice(0, whole.indexOf("Tidslinje Varifrån åtgärden kommer"));
      const at = text.indexOf("Tidigare år");
      return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at)];
    };

    beforeAll(async () => {
      const row = await s.db
        .selectFrom("plan_actions as a")
        .innerJoin("plans as p", "p.id", "a.plan_id")
        .innerJoin("councils as c", "c.id", "p.council_id")
        .select(["a.id", "p.year"])
        .where("c.slug", "=", "skaraborg")
        .where("a.title", "=", TITLE)
        .orderBy("p.year", "desc")
        .executeTakeFirstOrThrow();
      year = row.year;
      actionId = row.id;
      expect((await postForm(s.url, `/councils/skaraborg/plans/${year}`, { intent: "openRevision" }, c.processledare)).status).toBe(302);
    });

    it("a report on next year's carried-over action stays out of this year's history; this year's shows under Tidigare år there", async () => {
      expect((await postForm(s.url, actionPath(year), { status: "at_risk", progress: "60", comment: REPORT_THIS }, c.processledare)).status).toBe(200);
      expect((await postForm(s.url, actionPath(year + 1), { status: "delayed", progress: "10", comment: REPORT_NEXT }, c.processledare)).status).toBe(200);

      const [thisYear, thisEarlier] = parts((await get(s.url, actionPath(year), c.observator)).text);
      expect(thisYear).toContain(REPORT_THIS);
      expect(thisYear).not.toContain(REPORT_NEXT);
      expect(thisEarlier).toBe("");
      // The header and the history agree: this year's status is this year's last report.
      expect(thisYear).toContain("60 %");

      const nextHtml = (await get(s.url, actionPath(year + 1), c.observator)).text;
      const [nextYear, nextEarlier] = parts(nextHtml);
      expect(nextYear).toContain(REPORT_NEXT);
      expect(nextYear).not.toContain(REPORT_THIS);
      // Earlier years apart, labelled by year, with the demo's earlier report too.
      expect(nextEarlier).toContain(`Handlingsplan ${year}`);
      expect(nextEarlier).toContain(REPORT_THIS);
      expect(nextEarlier).toContain("Två av fyra träffar genomförda, 38 deltagare.");
      expect(nextEarlier).not.toContain(REPORT_NEXT);
      // The same in the loader data.
      expect((await get(s.url, `${actionPath(year)}.data`, c.observator)).text).not.toContain(REPORT_NEXT);
    });

    it("the dashboard of each year lists only that year's reports as its last follow-up", async () => {
      const rows = await s.db.selectFrom("followups as f").innerJoin("plans as p", "p.id", "f.plan_id").select(["p.year", "f.comment"]).where("f.action_id", "=", actionId).execute();
      expect(rows.filter((r) => r.comment === REPORT_NEXT).map((r) => r.year)).toEqual([year + 1]);
      const csv = async (y: number) => (await get(s.url, `/api/v1/councils/skaraborg/plans/${y}/followups.csv`, c.processledare)).text;
      const line = (text: string) => text.split("\r\n").find((l) => l.includes(actionId)) ?? "";
      expect(line(await csv(year))).toContain("at_risk;60");
      expect(line(await csv(year + 1))).toContain("delayed;10");
    });
  });

  describe("one guard per meeting and statement: 404 for what a person may not see, 403 for a right they lack", () => {
    let draft: string;
    const year = new Date().getFullYear() + 1;

    beforeAll(async () => {
      const res = await postForm(s.url, "/councils/skaraborg/meetings", { intent: "create", title: "Utkast utan omröstning", date: `${year}-03-10`, startTime: "09:00", endTime: "10:00", location: "Skövde", videoUrl: "", description: "" }, c.processledare);
      expect(res.status).toBe(302);
      draft = /meetings\/([0-9a-f-]{36})$/.exec(res.headers.get("location") ?? "")![1];
    });

    it("a draft without a time poll: 404 for members and observers on every page, payload, action and resource; its leader sees it", async () => {
      const base = `/councils/skaraborg/meetings/${draft}`;
      for (const who of ["ledamot", "observator"] as const) {
        for (const p of [base, `${base}.data`, `${base}/minutes`, `${base}/minutes.data`, `${base}/calendar.ics`]) {
          expect((await get(s.url, p, c[who])).status, `${who} GET ${p}`).toBe(404);
        }
        for (const fields of [{ intent: "convene" }, { intent: "rsvp", response: "attending" }, { intent: "cancel", reason: "Nej" }] as Record<string, string>[]) {
          expect((await postForm(s.url, base, fields, c[who])).status, `${who} ${fields.intent}`).toBe(404);
        }
        for (const fields of [{ intent: "attendance" }, { intent: "decide", decision: "approve" }] as Record<string, string>[]) {
          expect((await postForm(s.url, `${base}/minutes`, fields, c[who])).status, `${who} minutes ${fields.intent}`).toBe(404);
        }
      }
      expect((await get(s.url, base, c.processledare)).status).toBe(200);
      expect((await s.db.selectFrom("meetings").select("status").where("id", "=", draft).executeTakeFirstOrThrow()).status).toBe("draft");
    });

    it("an unknown meeting is 404 for everyone; a visible one answers 403 for a right the person lacks", async () => {
      const unknown = "/councils/skaraborg/meetings/00000000-0000-4000-8000-000000000000";
      for (const who of ["ledamot", "observator", "processledare"] as const) {
        expect((await postForm(s.url, unknown, { intent: "cancel", reason: "Nej" }, c[who])).status, who).toBe(404);
        expect((await postForm(s.url, `${unknown}/minutes`, { intent: "attendance" }, c[who])).status, who).toBe(404);
      }
      const held = (await meetingIdOf("Rådsmöte: uppföljning av handlingsplanen")).id;
      expect((await postForm(s.url, `/councils/skaraborg/meetings/${held}`, { intent: "cancel", reason: "Nej" }, c.observator)).status).toBe(403);
      expect((await postForm(s.url, `/councils/skaraborg/meetings/${held}/minutes`, { intent: "attendance" }, c.ledamot)).status).toBe(403);
    });

    it("a statement draft: 404 for an observer on its page and its actions; the adopted one answers 403 to what they may not do", async () => {
      const draftStatement = await postForm(s.url, "/councils/skaraborg/statements", { kind: "statement", title: "Utkast till uttalande" }, c.ledamot);
      expect(draftStatement.status).toBe(302);
      const path = draftStatement.headers.get("location")!;
      expect((await get(s.url, path, c.observator)).status).toBe(404);
      expect((await postForm(s.url, path, { intent: "comment", body: "Hej" }, c.observator)).status).toBe(404);
      const adopted = await s.db.selectFrom("statements").select("id").where("status", "=", "adopted").executeTakeFirstOrThrow();
      const adoptedPath = `/councils/skaraborg/statements/${adopted.id}`;
      expect((await get(s.url, adoptedPath, c.observator)).status).toBe(200);
      expect((await postForm(s.url, adoptedPath, { intent: "withdraw" }, c.observator)).status).toBe(403);
    });
  });
});
