// The leader's side of inviting (issue #16) over real HTTP and the outbox: a bulk CSV
// (pasted or uploaded) is previewed row by row and then sent whole, or not at all;
// an invitation may carry the person's name (greeting, suggested on accepting); a
// leader corrects a member's organisation and perspective.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode, textOf } from "../helpers/html";
import { get, login, postForm, type FetchResult } from "../helpers/http";
import { linkIn, readOutbox } from "../helpers/outbox";
import { startTestServer, type TestServer } from "../helpers/server";

const HEADER = "e-post;namn;organisation;perspektiv;roll;adjungerad från och med;adjungerad till och med";

describe("bulk invitations, names, and a member's organisation", { timeout: 60_000 }, () => {
  let s: TestServer;
  let leader: string;
  let skaraborgId: string;

  const invitationsTo = (emails: string[]) =>
    s.db.selectFrom("invitations").selectAll().where("email", "in", emails).where("council_id", "=", skaraborgId).execute();
  const count = async (table: "invitations" | "audit_log") =>
    Number((await s.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

  async function upload(fields: Record<string, string>, file?: { name: string; body: string }, cookie = leader): Promise<FetchResult> {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (file) form.append("file", new Blob([file.body], { type: "text/csv" }), file.name);
    const res = await fetch(`${s.url}/councils/skaraborg/members`, { method: "POST", redirect: "manual", headers: { origin: s.url, cookie }, body: form });
    return { status: res.status, headers: res.headers, text: await res.text() };
  }
  const preview = (csv: string, cookie = leader) => upload({ intent: "bulkPreview", csv }, undefined, cookie);
  const apply = (csv: string, cookie = leader) => postForm(s.url, "/councils/skaraborg/members", { intent: "bulkApply", csv }, cookie);
  /** The rows of the preview table, as text per row. */
  const previewRows = (html: string) =>
    [...decode(html).matchAll(/<tr><td>(\d+)<\/td>([\s\S]*?)<\/tr>/g)].map((m) => ({ line: Number(m[1]), text: textOf(m[2]) }));

  beforeAll(async () => {
    s = await startTestServer();
    leader = await login(s.url, "processledare@samsyn.test");
    skaraborgId = (await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await s?.close();
  });

  it("a pasted CSV in Swedish is previewed row by row without inviting anyone, then sent whole", async () => {
    const emails = ["anna.berg@skovde.se", "olle.ek@his.se", "sara.lind@vgregion.se"];
    const csv = [
      HEADER,
      "Anna.Berg@Skovde.se;Anna Berg;Skövde kommun;Kommunalförbund;Ledamot;;",
      "olle.ek@his.se;Olle Ek;Högskolan i Skövde;Utbildning;Adjungerad;2027-01-01;2027-06-30",
      'sara.lind@vgregion.se;;"Västra Götalandsregionen; Regionutveckling";region;observer;;',
    ].join("\r\n");
    const invitationsBefore = await count("invitations");
    const res = await preview("\uFEFF" + csv);
    expect(res.status).toBe(200);
    const text = textOf(res.text);
    expect(text).toContain("3 personer bjuds in");
    const rows = previewRows(res.text);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4]);
    expect(rows[0].text).toContain("anna.berg@skovde.se");
    expect(rows[0].text).toContain("Anna Berg");
    expect(rows[0].text).toContain("Kommunalförbund");
    expect(rows[1].text).toMatch(/Adjungerad\s*1 januari 2027 – 30 juni 2027/);
    expect(rows[2].text).toContain("Västra Götalandsregionen; Regionutveckling");
    expect(rows[2].text).toContain("Observatör");
    expect(rows.every((r) => r.text.endsWith("Rätt"))).toBe(true);
    expect(await count("invitations")).toBe(invitationsBefore);
    expect((await readOutbox(s)).filter((m) => emails.includes(m.to))).toEqual([]);

    // The preview carries the CSV to the confirming button.
    expect(decode(res.text)).toMatch(/name="intent" value="bulkApply"/);
    const sent = await apply(csv);
    expect(sent.status).toBe(200);
    expect(textOf(sent.text)).toContain("3 inbjudningar är skickade med e-post.");

    const rowsInDb = await invitationsTo(emails);
    expect(rowsInDb.map((r) => [r.email, r.name, r.role, r.perspective, r.organisation, r.valid_from, r.valid_to]).sort()).toEqual([
      ["anna.berg@skovde.se", "Anna Berg", "member", "municipal_federation", "Skövde kommun", null, null],
      ["olle.ek@his.se", "Olle Ek", "adjunct", "education", "Högskolan i Skövde", "2027-01-01", "2027-06-30"],
      ["sara.lind@vgregion.se", null, "observer", "region", "Västra Götalandsregionen; Regionutveckling", null, null],
    ]);
    const audits = await s.db.selectFrom("audit_log").select("subject").where("action", "=", "invitation.created").where("subject", "in", emails).execute();
    expect(audits).toHaveLength(3);

    // Each person gets their own e-mail; a known name greets them, and is suggested when they accept.
    const mails = (await readOutbox(s)).filter((m) => emails.includes(m.to));
    expect(mails.map((m) => m.to).sort()).toEqual(emails);
    const anna = mails.find((m) => m.to === "anna.berg@skovde.se")!;
    expect(anna.text).toContain("Hej Anna Berg!");
    expect(anna.text).toContain("som ledamot");
    expect(mails.find((m) => m.to === "sara.lind@vgregion.se")!.text).toContain("Hej!");
    const page = await get(s.url, linkIn(anna, "invite").path);
    expect(page.status).toBe(200);
    expect(decode(page.text)).toMatch(/<input[^>]*name="name"[^>]*value="Anna Berg"/);
  });

  it("an uploaded file with English columns and commas works the same way", async () => {
    const csv = "email,name,organization,perspective,role\nper.ny@teknikforetagen.se,Per Ny,Teknikföretagen,Employer,Member\n";
    const res = await upload({ intent: "bulkPreview", csv: "" }, { name: "inbjudningar.csv", body: csv });
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("1 personer bjuds in");
    expect(previewRows(res.text)[0].text).toContain("Arbetsgivare/bransch");
    expect((await apply(csv)).status).toBe(200);
    expect((await invitationsTo(["per.ny@teknikforetagen.se"]))[0]).toMatchObject({ perspective: "employer", role: "member", name: "Per Ny" });
  });

  it("one bad row refuses the whole file: every row's error is shown with its line, and nobody is invited or mailed", async () => {
    const good = "ny.person@example.se;Ny Person;Falköpings kommun;Kommunalförbund;Ledamot;;";
    const csv = [
      HEADER,
      good,
      "inte-en-adress;X;Y;Utbildning;Ledamot;;",
      "chef@example.se;;Z;Utbildning;Chef;;",
      "ledamot@samsyn.test;;Teknikföretagen;Arbetsgivare/bransch;Ledamot;;",
      "adjungerad@example.se;;Skolverket;Myndighet;Adjungerad;;",
      "ny.person@example.se;Igen;Falköpings kommun;Kommunalförbund;Ledamot;;",
      "ledare@example.se;;Region;Region;process_leader;;",
      "okand@example.se;;Region;Planeten;Ledamot;;",
      "utan.org@example.se;;;Region;Ledamot;;",
    ].join("\n");
    const invitationsBefore = await count("invitations");
    const mailsBefore = (await readOutbox(s)).length;
    const res = await preview(csv);
    expect(res.status).toBe(400);
    const text = textOf(res.text);
    expect(text).toContain("8 rader har fel – ingen är inbjuden.");
    expect(decode(res.text)).not.toMatch(/name="intent" value="bulkApply"/);
    const rows = new Map(previewRows(res.text).map((r) => [r.line, r.text]));
    expect(rows.get(2)).toMatch(/Rätt$/);
    expect(rows.get(3)).toContain("E-postadress: ");
    expect(rows.get(4)).toContain("Roll: ");
    expect(rows.get(5)).toContain("Personen är redan med i rådet.");
    expect(rows.get(6)).toMatch(/Adjungerad från och med[^:]*: /);
    expect(rows.get(7)).toContain("Adressen finns redan på en rad ovanför.");
    expect(rows.get(8)).toContain("Roll: ");
    expect(rows.get(9)).toContain("Perspektiv: ");
    expect(rows.get(10)).toContain("Organisation som personen representerar: Fyll i fältet.");

    // Posting the same file straight to the sending step (no preview, or a forged form) changes nothing.
    const forced = await apply(csv);
    expect(forced.status).toBe(400);
    expect(textOf(forced.text)).toContain("8 rader har fel – ingen är inbjuden.");
    expect(await count("invitations")).toBe(invitationsBefore);
    expect((await readOutbox(s)).length).toBe(mailsBefore);
    expect(await invitationsTo(["ny.person@example.se"])).toEqual([]);
  });

  it("a file that cannot be used says why: empty, columns missing, too many rows, too large", async () => {
    const before = await count("invitations");
    const empty = await preview("   \n");
    expect(empty.status).toBe(400);
    expect(textOf(empty.text)).toContain("Filen är tom.");
    const noRows = await preview(HEADER + "\n");
    expect(textOf(noRows.text)).toContain("Filen är tom.");
    const columns = await preview("namn;organisation\nAnna;Skövde kommun");
    expect(columns.status).toBe(400);
    expect(textOf(columns.text)).toContain("Kolumner saknas: epost, perspektiv, roll");
    const many = await preview([HEADER, ...Array.from({ length: 501 }, (_, i) => `p${i}@example.se;;Org;Region;Ledamot;;`)].join("\n"));
    expect(many.status).toBe(400);
    expect(textOf(many.text)).toContain("För många rader: högst 500 åt gången.");
    const large = await upload({ intent: "bulkPreview" }, { name: "stor.csv", body: HEADER + "\n" + "x".repeat(300 * 1024) });
    expect(large.status).toBe(413);
    expect(textOf(large.text)).toContain("Filen är för stor.");
    expect(await count("invitations")).toBe(before);
  });

  it("only the leader may invite in bulk (a member gets 403), and the page for it is the leader's", async () => {
    const member = await login(s.url, "ledamot@samsyn.test");
    const csv = `${HEADER}\nsmyg@example.se;;Org;Region;Ledamot;;`;
    expect((await preview(csv, member)).status).toBe(403);
    expect((await apply(csv, member)).status).toBe(403);
    expect(await invitationsTo(["smyg@example.se"])).toEqual([]);
  });

  describe("a member's organisation and perspective", () => {
    const membership = (email: string, slug = "skaraborg") =>
      s.db
        .selectFrom("memberships as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .innerJoin("councils as c", "c.id", "m.council_id")
        .select(["m.id", "m.organisation", "m.perspective", "m.role", "u.id as userId"])
        .where("u.email", "=", email)
        .where("c.slug", "=", slug)
        .executeTakeFirstOrThrow();

    it("the leader changes them; the change is audited with before and after, and the role stays", async () => {
      const before = await membership("sara.ek@samsyn.test");
      const res = await postForm(s.url, "/councils/skaraborg/members", { intent: "changeDetails", membershipId: before.id, organisation: "  Arbetsförmedlingen Skövde ", perspective: "public_agency" }, leader);
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain("Organisation och perspektiv för Sara Ek är sparade.");
      const after = await membership("sara.ek@samsyn.test");
      expect(after).toMatchObject({ organisation: "Arbetsförmedlingen Skövde", perspective: "public_agency", role: before.role });
      const audit = await s.db.selectFrom("audit_log").selectAll().where("action", "=", "membership.details_changed").where("subject", "=", before.userId).execute();
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0].before_json!)).toEqual({ organisation: before.organisation, perspective: before.perspective });
      expect(JSON.parse(audit[0].after_json!)).toEqual({ organisation: "Arbetsförmedlingen Skövde", perspective: "public_agency" });

      // The perspective changes too, and the audit page reads it in words.
      const res2 = await postForm(s.url, "/councils/skaraborg/members", { intent: "changeDetails", membershipId: before.id, organisation: "Arbetsförmedlingen Skövde", perspective: "region" }, leader);
      expect(res2.status).toBe(200);
      const auditPage = textOf((await get(s.url, "/councils/skaraborg/audit", leader)).text);
      expect(auditPage).toContain("Organisation eller perspektiv ändrades");
      // Saving without a change writes no audit row.
      await postForm(s.url, "/councils/skaraborg/members", { intent: "changeDetails", membershipId: before.id, organisation: "Arbetsförmedlingen Skövde", perspective: "region" }, leader);
      expect(await s.db.selectFrom("audit_log").select("id").where("action", "=", "membership.details_changed").where("subject", "=", before.userId).execute()).toHaveLength(2);
    });

    it("the leader's own organisation can be corrected too", async () => {
      const mine = await membership("processledare@samsyn.test");
      const res = await postForm(s.url, "/councils/skaraborg/members", { intent: "changeDetails", membershipId: mine.id, organisation: "Skaraborgs Kommunalförbund, kansliet", perspective: mine.perspective }, leader);
      expect(res.status).toBe(200);
      expect((await membership("processledare@samsyn.test")).organisation).toBe("Skaraborgs Kommunalförbund, kansliet");
    });

    it("refuses an empty organisation, an unknown perspective, another council's member, and a member who tries", async () => {
      const target = await membership("per.holm@samsyn.test");
      const empty = await postForm(s.url, "/councils/skaraborg/members", { intent: "changeDetails", membershipId: target.id, organisation: " ", perspective: "region" }, leader);
      expect(empty.status).toBe(400);
      expect(textOf(empty.text)).toContain("Fyll i fältet.");
      const odd = await postForm(s.url, "/councils/skaraborg/members", { intent: "changeDetails", membershipId: target.id, organisation: "X", perspective: "planet" }, leader);
      expect(odd.status).toBe(400);
      const other = await membership("fyrbodal.processledare@samsyn.test", "fyrbodal");
      const cross = await postForm(s.url, "/councils/skaraborg/members", { intent: "changeDetails", membershipId: other.id, organisation: "Kapat", perspective: "region" }, leader);
      expect(cross.status).toBe(404);
      expect((await membership("fyrbodal.processledare@samsyn.test", "fyrbodal")).organisation).toBe(other.organisation);
      const member = await login(s.url, "ledamot@samsyn.test");
      const self = await postForm(s.url, "/councils/skaraborg/members", { intent: "changeDetails", membershipId: target.id, organisation: "Kapat", perspective: "region" }, member);
      expect(self.status).toBe(403);
      expect(await membership("per.holm@samsyn.test")).toEqual(target);
    });
  });
});
