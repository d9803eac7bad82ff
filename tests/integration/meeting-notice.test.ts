// The notice (kallelse) by e-mail (issue #15): convening e-mails every invitee the
// meeting with its agenda and a calendar invitation; a move sends an update (same UID,
// SEQUENCE + 1), a cancellation METHOD:CANCEL; a person can choose in-app only. The
// mails are read back from the outbox with mailparser, the .ics with ical.js (an
// independent parser).
import fs from "node:fs";
import path from "node:path";
import ICAL from "ical.js";
import { DateTime } from "luxon";
import { simpleParser, type ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZONE } from "../../server/domain/time";
import { login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

const LEADER = "processledare@samsyn.test";
const MEMBER = "maria.andersson@samsyn.test";
const INAPP = "sara.ek@samsyn.test";

describe("the notice of a meeting by e-mail (kallelse)", { timeout: 60_000 }, () => {
  let s: TestServer;
  let outboxDir: string;
  const cookies = new Map<string, string>();
  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const date = DateTime.now().setZone(ZONE).plus({ days: 20 }).set({ weekday: 2 }).toISODate()!;
  let meetingId: string;
  let path_: string;

  const mailsTo = async (email: string, subject: RegExp): Promise<ParsedMail[]> => {
    if (!fs.existsSync(outboxDir)) return [];
    const all = await Promise.all(fs.readdirSync(outboxDir).filter((f) => f.endsWith(".eml")).sort().map(async (f) => simpleParser(fs.readFileSync(path.join(outboxDir, f)))));
    return all.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : "") === email && subject.test(m.subject ?? ""));
  };
  const waitForMail = async (email: string, subject: RegExp, count = 1) => {
    const end = Date.now() + 10_000;
    for (;;) {
      const got = await mailsTo(email, subject);
      if (got.length >= count) return got;
      if (Date.now() > end) throw new Error(`no mail ${subject} to ${email}; outbox: ${fs.existsSync(outboxDir) ? fs.readdirSync(outboxDir).length : 0} files`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const calendarOf = (mail: ParsedMail) => {
    const ics = mail.attachments.find((a) => a.contentType.startsWith("text/calendar") || a.filename?.endsWith(".ics"));
    expect(ics, "an .ics attachment").toBeDefined();
    const cal = new ICAL.Component(ICAL.parse(ics!.content.toString("utf8")));
    const event = cal.getFirstSubcomponent("vevent")!;
    return { cal, event, method: cal.getFirstPropertyValue("method"), uid: event.getFirstPropertyValue("uid"), sequence: Number(event.getFirstPropertyValue("sequence") ?? 0) };
  };

  beforeAll(async () => {
    s = await startTestServer();
    outboxDir = path.join(path.dirname(s.dbFile), "outbox");
    // One member chose to be told of convened meetings in the app only.
    const prefs = await postForm(s.url, "/settings/notifications", { "pref.meeting_convened": "inapp", "pref.meeting_moved": "inapp", "pref.meeting_cancelled": "inapp" }, await cookieFor(INAPP));
    expect(prefs.status).toBe(200);
    const created = await postForm(
      s.url,
      "/councils/skaraborg/meetings",
      { intent: "create", title: "Rådsmöte om kallelsen", date, startTime: "13:00", endTime: "15:00", location: "Stadshuset, Skövde", videoUrl: "https://meet.example.se/rad", description: "" },
      await cookieFor(LEADER),
    );
    expect(created.status).toBe(302);
    meetingId = created.headers.get("location")!.split("/").pop()!;
    path_ = `/councils/skaraborg/meetings/${meetingId}`;
    for (const [title, minutes] of [["Mötets öppnande", "5"], ["Kompetensbehov i vården", "40"], ["Övriga frågor", "10"]] as const) {
      const res = await postForm(s.url, path_, { intent: "addAgenda", title, kind: "discussion", minutes, presenter: "", planLink: "" }, await cookieFor(LEADER));
      expect(res.status).toBe(200);
    }
    // Documents (handlingar): one for an agenda item, one for the meeting as a whole.
    const item = await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meetingId).where("title", "=", "Kompetensbehov i vården").executeTakeFirstOrThrow();
    const pdf = Buffer.concat([Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"), Buffer.alloc(3000, 0x20), Buffer.from("\n%%EOF\n")]);
    for (const [name, agendaItemId] of [["Behovsanalys vården.pdf", item.id], ["Verksamhetsplan 2027.pdf", ""]] as const) {
      const form = new FormData();
      if (agendaItemId) form.append("agendaItemId", agendaItemId);
      form.append("file", new Blob([new Uint8Array(pdf)], { type: "application/pdf" }), name);
      const res = await fetch(`${s.url}${path_}/attachments`, { method: "POST", headers: { origin: s.url, cookie: await cookieFor(LEADER), accept: "application/json" }, body: form });
      expect(res.status).toBe(201);
    }
    expect((await postForm(s.url, path_, { intent: "convene" }, await cookieFor(LEADER))).status).toBe(200);
  });
  afterAll(() => s?.close());

  it("convening e-mails each invitee the meeting, its agenda with clock times, an answer link and an invitation", async () => {
    const [mail] = await waitForMail(MEMBER, /Kallelse: Rådsmöte om kallelsen/);
    const text = mail!.text ?? "";
    const start = DateTime.fromISO(`${date}T13:00`, { zone: ZONE });
    expect(text).toContain(`Tid: ${start.setLocale("sv-SE").toFormat("cccc d MMMM yyyy")} kl. 13:00–15:00 (svensk tid, UTC${start.toFormat("ZZ")})`);
    expect(text).toContain("Plats: Stadshuset, Skövde");
    expect(text).toContain("Videolänk: https://meet.example.se/rad");
    expect(text).toMatch(/13:00 {2}Mötets öppnande\n {2}13:05 {2}Kompetensbehov i vården\n {9}Handlingar: [^\n]+\n {2}13:45 {2}Övriga frågor/);
    // Links use PUBLIC_URL, or the server as it listens (http://localhost:<port>).
    expect(text).toContain(`http://localhost:${s.port}${path_}#rsvp-h`);
    expect(mail!.html || "").toContain("<h1>Rådsmöte om kallelsen</h1>");
    // The documents: under their agenda item, then the meeting's others, each with its link.
    const files = await s.db.selectFrom("attachments").select(["id", "name"]).where("meeting_id", "=", meetingId).execute();
    const link = (name: string) => `http://localhost:${s.port}${path_}/attachments/${files.find((f) => f.name === name)!.id}`;
    expect(text).toContain(`  13:05  Kompetensbehov i vården\n         Handlingar: Behovsanalys vården.pdf (3 kB) ${link("Behovsanalys vården.pdf")}\n  13:45  Övriga frågor`);
    expect(text).toContain(`Övriga handlingar:\n  Verksamhetsplan 2027.pdf (3 kB) ${link("Verksamhetsplan 2027.pdf")}`);
    expect(mail!.html || "").toContain(`<a href="${link("Verksamhetsplan 2027.pdf")}">Verksamhetsplan 2027.pdf (3 kB)</a>`);
    // A member who got it can fetch it with the link.
    const got = await fetch(link("Behovsanalys vården.pdf"), { headers: { cookie: await cookieFor(MEMBER) } });
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).subarray(0, 5).toString()).toBe("%PDF-");

    const { method, uid, sequence, event } = calendarOf(mail!);
    expect(method).toBe("REQUEST");
    expect(uid).toBe(`${meetingId}@samsyn`);
    expect(sequence).toBe(0);
    const dtstart = event.getFirstPropertyValue("dtstart") as ICAL.Time;
    expect(dtstart.toJSDate().toISOString()).toBe(start.toUTC().toISO({ suppressMilliseconds: false }));
    const attendee = event.getFirstProperty("attendee")!;
    expect(String(attendee.getFirstValue()).toLowerCase()).toBe(`mailto:${MEMBER}`);
    expect(attendee.getParameter("rsvp")).toBe("TRUE");
    expect(String(event.getFirstPropertyValue("organizer")).toLowerCase()).toMatch(/^mailto:/);
    // Sent once, not once per run of the jobs.
    await s.server.jobs.flushMail();
    expect(await mailsTo(MEMBER, /Kallelse: Rådsmöte om kallelsen/)).toHaveLength(1);
  });

  it("a person who chose in-app only gets no e-mail, and the leader who convened none", async () => {
    await waitForMail(MEMBER, /Kallelse/);
    await s.server.jobs.flushMail();
    expect(await mailsTo(INAPP, /Rådsmöte om kallelsen/)).toEqual([]);
    expect(await mailsTo(LEADER, /Rådsmöte om kallelsen/)).toEqual([]);
    const row = await s.db
      .selectFrom("notifications as n")
      .innerJoin("users as u", "u.id", "n.user_id")
      .select("n.email_state")
      .where("u.email", "=", INAPP)
      .where("n.kind", "=", "meeting_convened")
      .where("n.link", "=", path_)
      .executeTakeFirstOrThrow();
    expect(row.email_state).toBe("none");
  });

  it("a move sends an update of the same invitation (SEQUENCE + 1); a cancellation cancels it", async () => {
    const later = DateTime.fromISO(date).plus({ days: 7 }).toISODate()!;
    const moved = await postForm(
      s.url,
      path_,
      { intent: "update", title: "Rådsmöte om kallelsen", date: later, startTime: "09:00", endTime: "11:00", location: "Stadshuset, Skövde", videoUrl: "https://meet.example.se/rad", description: "" },
      await cookieFor(LEADER),
    );
    expect(moved.status).toBe(200);
    const [update] = await waitForMail(MEMBER, /Ändrad tid: Rådsmöte om kallelsen/);
    const u = calendarOf(update!);
    expect(u.method).toBe("REQUEST");
    expect(u.uid).toBe(`${meetingId}@samsyn`);
    expect(u.sequence).toBe(1);
    expect((u.event.getFirstPropertyValue("dtstart") as ICAL.Time).toJSDate().toISOString()).toBe(DateTime.fromISO(`${later}T09:00`, { zone: ZONE }).toUTC().toISO());

    expect((await postForm(s.url, path_, { intent: "cancel", reason: "Lokalen är upptagen." }, await cookieFor(LEADER))).status).toBe(200);
    const [cancel] = await waitForMail(MEMBER, /Inställt: Rådsmöte om kallelsen/);
    expect(cancel!.text).toContain("Anledning: Lokalen är upptagen.");
    const c = calendarOf(cancel!);
    expect(c.method).toBe("CANCEL");
    expect(c.uid).toBe(`${meetingId}@samsyn`);
    expect(c.sequence).toBe(2);
    expect(c.event.getFirstPropertyValue("status")).toBe("CANCELLED");
  });
});
