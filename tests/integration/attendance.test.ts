// Attendance in detail (issue #15): present, absent with notice (förhinder) and
// absent; substitutes (ersättare) from the council's people or by name; guests.
// Through the minutes page's plain forms on a real server: what the page shows by
// organisation, the RSVP pre-fill, who may record it (the meeting's managers), the
// closed minutes' refusal, the minutes template, and personal data.
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { meetingAttendance } from "../../server/domain/attendance";
import { fieldError, textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connect, synced, waitFor, type Client } from "../helpers/yjs";

const PEOPLE = ["processledare", "ledamot", "observator", "maria.andersson", "lena.svensson", "per.holm", "sara.ek", "ahmed.hassan", "oskar.dahl", "ledamot.fyrbodal", "admin"] as const;
type Who = (typeof PEOPLE)[number];

describe("attendance: statuses, substitutes and guests", { timeout: 60_000 }, () => {
  let s: TestServer;
  const cookies = new Map<Who, string>();
  const id = {} as Record<Who, string>;
  const clients: Client[] = [];
  let meetingId: string;
  let page: string;
  const as = async (who: Who) => {
    if (!cookies.has(who)) cookies.set(who, await login(s.url, `${who}@samsyn.test`));
    return cookies.get(who)!;
  };
  const post = async (fields: Record<string, string>, who: Who = "processledare", path = page) => postForm(s.url, path, fields, await as(who));
  const statusOf = async (who: Who) =>
    (await s.db.selectFrom("attendance").select("status").where("meeting_id", "=", meetingId).where("user_id", "=", id[who]).executeTakeFirst())?.status;
  /** The value of the checked radio in a person's status group. */
  const checked = (html: string, who: Who) =>
    (html.match(new RegExp(`<input[^>]*name="status-${id[who]}"[^>]*>`, "g")) ?? []).find((i) => /\schecked/.test(i))?.match(/value="(\w+)"/)?.[1];

  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: 20 } });
    for (const who of PEOPLE) id[who] = (await s.db.selectFrom("users").select("id").where("email", "=", `${who}@samsyn.test`).executeTakeFirstOrThrow()).id;
    meetingId = (await s.db.selectFrom("meetings").select("id").where("title", "=", "Rådsmöte: revidering av handlingsplanen").executeTakeFirstOrThrow()).id;
    page = `/councils/skaraborg/meetings/${meetingId}/minutes`;
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await s?.close();
  });

  it("the form is pre-filled from the RSVPs given before the meeting: not attending → förhinder", async () => {
    const res = await get(s.url, page, await as("processledare"));
    expect(res.status).toBe(200);
    // Seeded answers: Lena Svensson not attending (Semester), Per Holm attending, Maria Andersson maybe.
    expect(checked(res.text, "lena.svensson")).toBe("excused");
    expect(checked(res.text, "per.holm")).toBe("present");
    expect(checked(res.text, "maria.andersson")).toBe("absent");
    // One fieldset with a legend per person, a label per radio.
    expect(res.text).toMatch(/<fieldset class="attendance-person"><legend>Lena Svensson, Skaraborgs Sjukhus<\/legend>/);
    expect(res.text).toContain(`<label for="status-${id["lena.svensson"]}-excused">Förhinder</label>`);
    expect(textOf(res.text)).toContain("Närvaron är inte registrerad ännu.");
    // Nothing is recorded until the form is saved.
    expect(await statusOf("lena.svensson")).toBeUndefined();
  });

  it("records present, förhinder and absent, and lists them by organisation", async () => {
    const res = await post({
      intent: "attendance",
      [`status-${id.processledare}`]: "present",
      [`status-${id.ledamot}`]: "present",
      [`status-${id["maria.andersson"]}`]: "present",
      [`status-${id["lena.svensson"]}`]: "excused",
      [`status-${id["per.holm"]}`]: "absent",
      [`status-${id["ahmed.hassan"]}`]: "excused",
    });
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("Närvaron är sparad.");
    expect(await statusOf("processledare")).toBe("present");
    expect(await statusOf("lena.svensson")).toBe("excused");
    expect(await statusOf("per.holm")).toBe("absent");
    // Not in the form: absent.
    expect(await statusOf("sara.ek")).toBe("absent");
    const text = textOf((await get(s.url, page, await as("processledare"))).text);
    expect(text).toContain("Skaraborgs Kommunalförbund: Karin Lindqvist.");
    expect(text).toContain("Skaraborgs Sjukhus: Förhinder: Lena Svensson.");
    expect(text).toContain("IF Metall Skaraborg: Frånvarande: Per Holm.");
    // An observer not present holds no seat: not listed as absent.
    expect(text).not.toContain("Tillväxtverket:");
    // A status that is not one of the three, or a person outside the meeting, is refused.
    expect((await post({ intent: "attendance", [`status-${id.ledamot}`]: "sleeping" })).status).toBe(400);
    expect((await post({ intent: "attendance", [`status-${id["ledamot.fyrbodal"]}`]: "present" })).status).toBe(400);
    expect(await statusOf("ledamot")).toBe("present");
  });

  it("a substitute from the council's people or by name serves for an absent member; a present member cannot have one", async () => {
    // Sara Ek (a member herself) serves for Per Holm.
    expect((await post({ intent: "substitute", forUserId: id["per.holm"], substituteUserId: id["sara.ek"], substituteName: "", substituteOrganisation: "" })).status).toBe(200);
    // Someone outside the council, by name: their organisation is the member's when none is given.
    expect((await post({ intent: "substitute", forUserId: id["lena.svensson"], substituteUserId: "", substituteName: "Olle Ersättare", substituteOrganisation: "" })).status).toBe(200);
    // And with an organisation of their own.
    expect((await post({ intent: "substitute", forUserId: id["ahmed.hassan"], substituteUserId: "", substituteName: "Nora Vikarie", substituteOrganisation: "Skövde kommun" })).status).toBe(200);

    const html = (await get(s.url, page, await as("processledare"))).text;
    const text = textOf(html);
    expect(text).toContain("Arbetsförmedlingen: Sara Ek (ersättare för Per Holm).");
    expect(text).toContain("IF Metall Skaraborg: Frånvarande: Per Holm.");
    expect(text).toContain("Skaraborgs Sjukhus: Olle Ersättare (ersättare för Lena Svensson). Förhinder: Lena Svensson.");
    expect(text).toContain("Skövde kommun: Nora Vikarie (ersättare för Ahmed Hassan).");
    // Sara's own seat is not in the attendance form while she serves as a substitute.
    expect(html).not.toContain(`name="status-${id["sara.ek"]}"`);
    expect(text).toContain("Tjänstgör som ersättare för Per Holm.");

    // The domain reading another part of the app (the minutes PDF) uses.
    const att = await meetingAttendance(s.db, meetingId);
    const org = (name: string) => att.organisations.find((o) => o.organisation === name)!.people;
    expect(org("Arbetsförmedlingen")).toEqual([{ userId: id["sara.ek"], name: "Sara Ek", status: "substitute", substituteFor: { userId: id["per.holm"], name: "Per Holm" }, substitutedBy: null }]);
    expect(org("IF Metall Skaraborg")).toEqual([{ userId: id["per.holm"], name: "Per Holm", status: "absent", substituteFor: null, substitutedBy: "Sara Ek" }]);
    expect(org("Skaraborgs Sjukhus").map((p) => [p.name, p.status])).toEqual([["Olle Ersättare", "substitute"], ["Lena Svensson", "excused"]]);
    expect(att.organisations.map((o) => o.organisation)).toEqual([...att.organisations.map((o) => o.organisation)].sort((a, b) => a.localeCompare(b, "sv")));

    // Refused: a substitute for a member who is present; a substitute who is present themself;
    // someone already serving for another member; neither a person nor a name.
    const forPresent = await post({ intent: "substitute", forUserId: id.ledamot, substituteUserId: id["oskar.dahl"], substituteName: "", substituteOrganisation: "" });
    expect(forPresent.status).toBe(409);
    expect(textOf(forPresent.text)).toContain("Den som har en ersättare kan inte vara närvarande.");
    expect((await post({ intent: "substitute", forUserId: id["per.holm"], substituteUserId: id["maria.andersson"], substituteName: "", substituteOrganisation: "" })).status).toBe(409);
    expect((await post({ intent: "substitute", forUserId: id["lena.svensson"], substituteUserId: id["sara.ek"], substituteName: "", substituteOrganisation: "" })).status).toBe(409);
    const noMember = await post({ intent: "substitute", forUserId: "", substituteUserId: id["oskar.dahl"], substituteName: "", substituteOrganisation: "" });
    expect(noMember.status).toBe(400);
    expect(fieldError(noMember.text, "forUserId")).toBe("Fyll i fältet.");
    const noName = await post({ intent: "substitute", forUserId: id["per.holm"], substituteUserId: "", substituteName: "", substituteOrganisation: "" });
    expect(noName.status).toBe(400);
    expect(fieldError(noName.text, "substituteName")).toBe("Fyll i fältet.");
    // Saving the attendance again: a member with a substitute cannot be marked present.
    expect((await post({ intent: "attendance", [`status-${id.processledare}`]: "present", [`status-${id["per.holm"]}`]: "present" })).status).toBe(409);
    expect(await statusOf("per.holm")).toBe("absent");

    // A substitute who attended and may write minutes may approve them (justerare).
    expect((await post({ intent: "approvers", approver1: id["sara.ek"] })).status).toBe(200);

    // Removing Nora: Ahmed is left with förhinder.
    const nora = att.substitutes.find((x) => x.name === "Nora Vikarie")!;
    expect(nora.organisation).toBe("Skövde kommun");
    expect((await post({ intent: "removeSubstitute", substituteId: nora.id })).status).toBe(200);
    expect(textOf((await get(s.url, page, await as("processledare"))).text)).toContain("Skövde kommun, vuxenutbildningen: Förhinder: Ahmed Hassan.");
  });

  it("guests with name, organisation and why they came; both name and organisation are needed", async () => {
    expect((await post({ intent: "guest", guestName: "Gustav Gäst", guestOrganisation: "Länsstyrelsen Västra Götaland", guestRole: "Föredragande, § 3" })).status).toBe(200);
    expect((await post({ intent: "guest", guestName: "Oskar Dahl", guestOrganisation: "Unionen", guestRole: "" })).status).toBe(200);
    const missing = await post({ intent: "guest", guestName: "Utan organisation", guestOrganisation: "", guestRole: "" });
    expect(missing.status).toBe(400);
    expect(fieldError(missing.text, "guestOrganisation")).toBe("Fyll i fältet.");
    const text = textOf((await get(s.url, page, await as("maria.andersson"))).text);
    expect(text).toContain("Gäster Gustav Gäst, Länsstyrelsen Västra Götaland – Föredragande, § 3 Oskar Dahl, Unionen");
    const guests = (await meetingAttendance(s.db, meetingId)).guests;
    expect(guests.map((g) => [g.name, g.organisation, g.role])).toEqual([
      ["Gustav Gäst", "Länsstyrelsen Västra Götaland", "Föredragande, § 3"],
      ["Oskar Dahl", "Unionen", ""],
    ]);
    expect((await post({ intent: "removeGuest", guestId: guests[0].id })).status).toBe(200);
    expect((await meetingAttendance(s.db, meetingId)).guests.map((g) => g.name)).toEqual(["Oskar Dahl"]);
  });

  it("every change to the attendance is in the council's audit log, in words: who, what, for whom", async () => {
    const rows = await s.db.selectFrom("audit_log").select(["action", "actor_id", "subject", "before_json", "after_json"]).where("subject", "=", meetingId).where("action", "like", "attendance.%").orderBy("created_at").orderBy("id").execute();
    expect(rows.map((r) => r.action)).toEqual([
      "attendance.recorded",
      "attendance.substitute_set",
      "attendance.substitute_set",
      "attendance.substitute_set",
      "attendance.substitute_removed",
      "attendance.guest_added",
      "attendance.guest_added",
      "attendance.guest_removed",
    ]);
    expect(new Set(rows.map((r) => r.actor_id))).toEqual(new Set([id.processledare]));
    // The first recording: nothing before, each person under the status given.
    const first = JSON.parse(rows[0].after_json!);
    expect(first.present).toEqual(expect.arrayContaining([id.processledare, id.ledamot, id["maria.andersson"]]));
    expect(first.excused).toEqual(expect.arrayContaining([id["lena.svensson"], id["ahmed.hassan"]]));
    expect(first.absent).toEqual(expect.arrayContaining([id["per.holm"], id["sara.ek"]]));
    expect(rows[0].before_json).toBeNull();
    // Refused saves (a bad status, a member with a substitute marked present) left no entry.
    expect(rows.filter((r) => r.action === "attendance.recorded")).toHaveLength(1);

    const text = textOf((await get(s.url, "/councils/skaraborg/audit", await as("processledare"))).text);
    expect(text).toMatch(/Närvaro registrerad\s*Rådsmöte: revidering av handlingsplanen\s*Efter: närvarande: [^;]*Karin Lindqvist/);
    expect(text).toContain("Ersättare registrerad Rådsmöte: revidering av handlingsplanen Efter: ersättare för: Per Holm; ersättare: Sara Ek");
    expect(text).toContain("ersättare för: Lena Svensson; ersättare: Olle Ersättare");
    expect(text).toContain("Ersättare borttagen Rådsmöte: revidering av handlingsplanen Före: ersättare för: Ahmed Hassan; ersättare: Nora Vikarie; organisation: Skövde kommun");
    expect(text).toContain("Gäst borttagen Rådsmöte: revidering av handlingsplanen Före: gäst: Gustav Gäst; organisation: Länsstyrelsen Västra Götaland; roll: Föredragande, § 3");
    // Changing one person's status records only that person, with what it was before.
    const again = await post({
      intent: "attendance",
      [`status-${id.processledare}`]: "present",
      [`status-${id.ledamot}`]: "excused",
      [`status-${id["maria.andersson"]}`]: "present",
      [`status-${id["lena.svensson"]}`]: "excused",
      [`status-${id["ahmed.hassan"]}`]: "excused",
    });
    expect(again.status).toBe(200);
    const last = await s.db.selectFrom("audit_log").select(["before_json", "after_json"]).where("subject", "=", meetingId).where("action", "=", "attendance.recorded").orderBy("created_at", "desc").orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(JSON.parse(last.before_json!)).toEqual({ present: [id.ledamot] });
    expect(JSON.parse(last.after_json!)).toEqual({ excused: [id.ledamot] });
    // Put back as before for the tests that follow.
    expect((await post({ intent: "attendance", [`status-${id.processledare}`]: "present", [`status-${id.ledamot}`]: "present", [`status-${id["maria.andersson"]}`]: "present", [`status-${id["lena.svensson"]}`]: "excused", [`status-${id["ahmed.hassan"]}`]: "excused" })).status).toBe(200);
  });

  it("the minutes PDF lists those present and the substitutes first, then förhinder, absent and the guests", async () => {
    const res = await fetch(`${s.url}${page}.pdf`, { headers: { cookie: await as("processledare") } });
    expect(res.status).toBe(200);
    const pdf = await getDocument({ data: new Uint8Array(await res.arrayBuffer()), verbosity: 0, isEvalSupported: false, useSystemFonts: false }).promise;
    const texts: string[] = [];
    for (let i = 1; i <= pdf.numPages; i++) texts.push((await (await pdf.getPage(i)).getTextContent()).items.map((it) => ("str" in it ? it.str : "")).join(" "));
    await pdf.destroy();
    const text = texts.join(" ").replace(/\s+/g, " ");
    expect(text).toContain("Arbetsförmedlingen Sara Ek Ersättare för Per Holm");
    expect(text).toContain("Skaraborgs Sjukhus Olle Ersättare Ersättare för Lena Svensson");
    expect(text).toContain("Skaraborgs Sjukhus Lena Svensson Förhinder");
    expect(text).toContain("IF Metall Skaraborg Per Holm Frånvarande");
    expect(text).toContain("Unionen Oskar Dahl Gäst");
    expect(text.indexOf("Olle Ersättare")).toBeLessThan(text.indexOf("Lena Svensson Förhinder"));
    expect(text.indexOf("Lena Svensson Förhinder")).toBeLessThan(text.indexOf("Per Holm Frånvarande"));
  });

  it("only those who manage the meeting record attendance: a member and an observer get 403, another council 404", async () => {
    const forms: Record<string, string>[] = [
      { intent: "attendance", [`status-${id.ledamot}`]: "absent" },
      { intent: "substitute", forUserId: id["per.holm"], substituteUserId: "", substituteName: "X", substituteOrganisation: "" },
      { intent: "guest", guestName: "X", guestOrganisation: "Y", guestRole: "" },
    ];
    for (const form of forms) {
      expect((await post(form, "ledamot")).status, `${form.intent} by a member`).toBe(403);
      expect((await post(form, "observator")).status, `${form.intent} by an observer`).toBe(403);
      expect((await post(form, "ledamot.fyrbodal")).status, `${form.intent} from another council`).toBe(404);
    }
    expect(await statusOf("ledamot")).toBe("present");
    // A member sees the attendance, not the forms.
    const html = (await get(s.url, page, await as("ledamot"))).text;
    expect(textOf(html)).toContain("Arbetsförmedlingen: Sara Ek (ersättare för Per Holm).");
    expect(html).not.toContain('name="intent" value="guest"');
  });

  it("personal data: a substitute's and a member's export say who served for whom; a guest named in free text is anonymised with the person", async () => {
    const sara = JSON.parse((await get(s.url, "/api/v1/me/export", await as("sara.ek"))).text);
    expect(sara.substitutions).toEqual([expect.objectContaining({ meeting: "Rådsmöte: revidering av handlingsplanen", substituteFor: "Per Holm" })]);
    const per = JSON.parse((await get(s.url, "/api/v1/me/export", await as("per.holm"))).text);
    expect(per.attendance).toEqual(expect.arrayContaining([expect.objectContaining({ meeting: "Rådsmöte: revidering av handlingsplanen", status: "absent", substitutedBy: "Sara Ek" })]));
    // Oskar Dahl (an adjunct whose period has ended) came as a guest, recorded by name.
    const oskar = JSON.parse((await get(s.url, "/api/v1/me/export", await as("oskar.dahl"))).text);
    expect(oskar.namedInAttendance).toEqual([expect.objectContaining({ name: "Oskar Dahl", organisation: "Unionen", as: "guest" })]);

    const admin = await as("admin");
    expect((await postForm(s.url, `/admin/people/${id["oskar.dahl"]}`, { confirm: "yes" }, admin)).status).toBe(302);
    expect((await postForm(s.url, `/admin/people/${id["sara.ek"]}`, { confirm: "yes" }, admin)).status).toBe(302);
    const att = await meetingAttendance(s.db, meetingId);
    expect(att.guests.map((g) => g.name)).toEqual(["Former member"]);
    // Sara is still the substitute in the record, without her name.
    expect(att.substitutes.find((x) => x.forName === "Per Holm")?.name).toBe("Former member");
    const text = textOf((await get(s.url, page, await as("processledare"))).text);
    expect(text).not.toContain("Oskar Dahl");
    expect(text).not.toContain("Sara Ek");
  });

  it("closed minutes refuse every change to the attendance", async () => {
    // Sara was the approver and is anonymised now: the leader names Karin (present) and closes.
    expect((await post({ intent: "approvers", approver1: id.processledare })).status).toBe(200);
    expect((await post({ intent: "close" })).status).toBe(200);
    const guestId = (await meetingAttendance(s.db, meetingId)).guests[0].id;
    const forms: Record<string, string>[] = [
      { intent: "attendance", [`status-${id.processledare}`]: "present", [`status-${id.ledamot}`]: "absent" },
      { intent: "substitute", forUserId: id["ahmed.hassan"], substituteUserId: "", substituteName: "Sen Ersättare", substituteOrganisation: "" },
      { intent: "guest", guestName: "Sen Gäst", guestOrganisation: "Y", guestRole: "" },
      { intent: "removeGuest", guestId },
    ];
    for (const form of forms) {
      const res = await post(form);
      expect(res.status, form.intent).toBe(409);
      expect(textOf(res.text)).toContain("Protokollet är stängt");
    }
    expect(await statusOf("ledamot")).toBe("present");
    expect((await meetingAttendance(s.db, meetingId)).guests).toHaveLength(1);
    expect((await get(s.url, page, await as("processledare"))).text).not.toContain('name="intent" value="attendance"');
  });

  it("the minutes template's attendance line: present with substitutes, förhinder and guests (not those simply absent)", async () => {
    // Another meeting, recorded straight into the database: any page load by a writer seeds the minutes.
    const other = (await s.db.selectFrom("meetings").select("id").where("title", "=", "Rådsmöte: kompetensbehovsanalysen").executeTakeFirstOrThrow()).id;
    await s.db
      .insertInto("attendance")
      .values([
        { meeting_id: other, user_id: id.processledare, status: "present" },
        { meeting_id: other, user_id: id["maria.andersson"], status: "excused" },
        { meeting_id: other, user_id: id["per.holm"], status: "absent" },
      ])
      .execute();
    await s.db.insertInto("meeting_substitutes").values({ id: crypto.randomUUID(), meeting_id: other, for_user_id: id["maria.andersson"], substitute_user_id: null, name: "Olle Ersättare", organisation: "", created_at: new Date().toISOString() }).execute();
    await s.db.insertInto("meeting_guests").values({ id: crypto.randomUUID(), meeting_id: other, name: "Gustav Gäst", organisation: "Länsstyrelsen", role: "", created_at: new Date().toISOString() }).execute();
    const client = connect(s.url, `doc:${other}`, await as("processledare"));
    clients.push(client);
    await synced(client);
    expect((await get(s.url, `/councils/skaraborg/meetings/${other}/minutes`, await as("processledare"))).status).toBe(200);
    const frag = client.doc.getXmlFragment("content");
    await waitFor(() => frag.length >= 2, "the template");
    const line = (frag.get(1) as Y.XmlElement).toArray().map((x) => (x as Y.XmlText).toString()).join("");
    expect(line).toBe(
      "Närvarande: Olle Ersättare (ersättare för Maria Andersson), Karin Lindqvist. Förhinder: Maria Andersson. Gäster: Gustav Gäst, Länsstyrelsen",
    );
  });
});
