// Councils over real HTTP: a site admin creates councils and appoints process
// leaders (existing accounts at once, anyone else by invite link); the council
// page shows the mandate and the active composition grouped by perspective.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERSPECTIVES } from "../../db/schema";
import { sv } from "../../app/i18n/sv";
import { isActive } from "../../server/domain/permissions";
import { cookiesFrom, get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { decode, fieldError, textOf } from "../helpers/html";

const MSG = {
  slugTaken: "Det finns redan ett råd med det kortnamnet.",
  slug: "Använd 2–60 tecken: små bokstäver a–z, siffror och bindestreck.",
  slugReserved: "Det kortnamnet är reserverat. Välj ett annat.",
  required: "Fyll i fältet.",
  tooLong: "Texten är för lång.",
  email: "Ange en giltig e-postadress, t.ex. namn@exempel.se.",
  notFoundTitle: "Sidan finns inte",
};

const inviteToken = (html: string): string | undefined => html.match(/\/invite\/([A-Za-z0-9_-]{20,})/)?.[1];

describe("councils", () => {
  let s: TestServer;
  let admin: string;
  let adminId: string;

  const councilCount = async () =>
    Number((await s.db.selectFrom("councils").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const auditCount = async () =>
    Number((await s.db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const userId = async (email: string) =>
    (await s.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  const membership = (councilId: string, uid: string) =>
    s.db.selectFrom("memberships").selectAll().where("council_id", "=", councilId).where("user_id", "=", uid).executeTakeFirst();

  const createCouncil = (fields: Record<string, string>, cookie = admin) =>
    postForm(s.url, "/admin", { intent: "createCouncil", ...fields }, cookie);

  beforeAll(async () => {
    s = await startTestServer();
    admin = await login(s.url, "admin@samsyn.test");
    adminId = await userId("admin@samsyn.test");
  });
  afterAll(() => s.close());

  describe("creating a council (POST /admin intent=createCouncil)", () => {
    const NEW = {
      name: "Kompetensråd Sjuhärad",
      slug: "sjuharad",
      subRegion: "Sjuhärad",
      mandate: "Rådet samlar aktörer i Sjuhärad kring kompetensförsörjning.\n\nEn handlingsplan tas fram varje år.",
    };

    it("creates the council, shows a confirmation and writes an audit_log row in the same step", async () => {
      const councilsBefore = await councilCount();
      const auditBefore = await auditCount();
      const res = await createCouncil(NEW);
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain(`Rådet ${NEW.name} är skapat.`);

      const row = await s.db.selectFrom("councils").selectAll().where("slug", "=", NEW.slug).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ name: NEW.name, sub_region: NEW.subRegion, mandate: NEW.mandate, created_by: adminId });
      expect(await councilCount()).toBe(councilsBefore + 1);

      const audit = await s.db.selectFrom("audit_log").selectAll().where("council_id", "=", row.id).execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: "council.created", actor_id: adminId, subject: NEW.slug });
      expect(JSON.parse(audit[0].after_json!)).toEqual({ name: NEW.name, slug: NEW.slug, subRegion: NEW.subRegion });
      expect(await auditCount()).toBe(auditBefore + 1);

      // It is listed on the admin page, with no process leader yet.
      const page = await get(s.url, "/admin", admin);
      expect(page.status).toBe(200);
      const text = textOf(page.text);
      expect(text).toContain(NEW.name);
      expect(text).toContain("/councils/sjuharad");
      expect(text).toContain("Ingen processledare ännu");
    });

    it("refuses a duplicate slug with 409 and writes nothing", async () => {
      const councilsBefore = await councilCount();
      const auditBefore = await auditCount();
      for (const slug of ["sjuharad", "skaraborg", "  SKARABORG "]) {
        const res = await createCouncil({ name: `Dubblett ${slug.trim()}`, slug, subRegion: "Någonstans", mandate: "" });
        expect(res.status, slug).toBe(409);
        expect(fieldError(res.text, "slug")).toBe(MSG.slugTaken);
        // The typed values are kept in the form.
        expect(res.text).toContain(`value="Dubblett ${slug.trim()}"`);
      }
      expect(await councilCount()).toBe(councilsBefore);
      expect(await auditCount()).toBe(auditBefore);
      const stray = await s.db.selectFrom("councils").select("id").where("name", "like", "Dubblett%").execute();
      expect(stray).toEqual([]);
      // The existing council is untouched.
      const skaraborg = await s.db.selectFrom("councils").selectAll().where("slug", "=", "skaraborg").executeTakeFirstOrThrow();
      expect(skaraborg.name).toBe("Kompetensråd Skaraborg");
    });

    const invalid: { what: string; fields: Record<string, string>; field: string; message: string }[] = [
      { what: "a slug with spaces", fields: { slug: "har mellanslag" }, field: "slug", message: MSG.slug },
      { what: "a slug with å/ä/ö", fields: { slug: "sjuhärad" }, field: "slug", message: MSG.slug },
      { what: "a slug starting with a hyphen", fields: { slug: "-sjuharad" }, field: "slug", message: MSG.slug },
      { what: "a slug with a double hyphen", fields: { slug: "sju--harad" }, field: "slug", message: MSG.slug },
      { what: "a one-character slug", fields: { slug: "a" }, field: "slug", message: MSG.slug },
      { what: "a slug with a slash", fields: { slug: "../admin" }, field: "slug", message: MSG.slug },
      { what: "a 61-character slug", fields: { slug: "a".repeat(61) }, field: "slug", message: MSG.tooLong },
      { what: "a missing name", fields: { name: "" }, field: "name", message: MSG.required },
      { what: "a name of only spaces", fields: { name: "    " }, field: "name", message: MSG.required },
      { what: "a 10,001-character name", fields: { name: "Å".repeat(10_001) }, field: "name", message: MSG.tooLong },
      { what: "a missing sub-region", fields: { subRegion: "" }, field: "subRegion", message: MSG.required },
      { what: "a 20,001-character mandate", fields: { mandate: "x".repeat(20_001) }, field: "mandate", message: MSG.tooLong },
      { what: "the reserved slug 'admin'", fields: { slug: "admin" }, field: "slug", message: MSG.slugReserved },
      { what: "the reserved slug 'api'", fields: { slug: "api" }, field: "slug", message: MSG.slugReserved },
      { what: "the reserved slug 'new'", fields: { slug: "new" }, field: "slug", message: MSG.slugReserved },
      { what: "the reserved slug 'Settings' (any case)", fields: { slug: "Settings" }, field: "slug", message: MSG.slugReserved },
    ];
    for (const c of invalid) {
      it(`refuses ${c.what} with 400 and the Swedish field message`, async () => {
        const councilsBefore = await councilCount();
        const auditBefore = await auditCount();
        const res = await createCouncil({ name: "Kompetensråd Test", slug: "test-rad", subRegion: "Testbygden", mandate: "", ...c.fields });
        expect(res.status).toBe(400);
        expect(fieldError(res.text, c.field)).toBe(c.message);
        expect(res.text).toContain(sv["form.errorSummary"]);
        expect(res.text).toMatch(new RegExp(`id="${c.field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="${c.field}"`));
        expect(await councilCount()).toBe(councilsBefore);
        expect(await auditCount()).toBe(auditBefore);
      });
    }

    it("refuses an absent slug field altogether with 400", async () => {
      const before = await councilCount();
      const res = await postForm(s.url, "/admin", { intent: "createCouncil", name: "Utan kortnamn", subRegion: "X" }, admin);
      expect(res.status).toBe(400);
      expect(fieldError(res.text, "slug")).toBe(MSG.required);
      expect(await councilCount()).toBe(before);
    });

    it("trims and lower-cases the slug before storing it", async () => {
      const res = await createCouncil({ name: "  Kompetensråd Väst  ", slug: "  Vast-Sjuharad2 ", subRegion: " Väst ", mandate: "" });
      expect(res.status).toBe(200);
      const row = await s.db.selectFrom("councils").selectAll().where("slug", "=", "vast-sjuharad2").executeTakeFirstOrThrow();
      expect(row).toMatchObject({ name: "Kompetensråd Väst", sub_region: "Väst", mandate: "" });
      // …so the same slug in another case is a duplicate.
      const dup = await createCouncil({ name: "Kopia", slug: "VAST-SJUHARAD2", subRegion: "Väst", mandate: "" });
      expect(dup.status).toBe(409);
      expect(fieldError(dup.text, "slug")).toBe(MSG.slugTaken);
    });

    it("refuses an unknown intent with 400", async () => {
      const before = await councilCount();
      const res = await postForm(s.url, "/admin", { intent: "dropCouncil", name: "X", slug: "xx", subRegion: "X" }, admin);
      expect(res.status).toBe(400);
      expect(await councilCount()).toBe(before);
    });
  });

  describe("the admin pages are hidden from everyone else", () => {
    for (const email of ["processledare@samsyn.test", "ledamot@samsyn.test", "observator@samsyn.test", "ledamot.fyrbodal@samsyn.test"]) {
      it(`${email} gets 404 on GET and POST /admin, and nothing is created`, async () => {
        const cookie = await login(s.url, email);
        const page = await get(s.url, "/admin", cookie);
        expect(page.status).toBe(404);
        expect(textOf(page.text)).toContain(MSG.notFoundTitle);
        expect(page.text).not.toContain(sv["admin.createCouncil"]);

        const before = await councilCount();
        const auditBefore = await auditCount();
        const res = await createCouncil({ name: "Smygråd", slug: "smygrad", subRegion: "X", mandate: "" }, cookie);
        expect(res.status).toBe(404);
        expect(textOf(res.text)).toContain(MSG.notFoundTitle);
        const skaraborg = await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow();
        const appoint = await postForm(
          s.url,
          "/admin",
          { intent: "appointLeader", councilId: skaraborg.id, email, organisation: "X", perspective: "other" },
          cookie,
        );
        expect(appoint.status).toBe(404);
        expect(await councilCount()).toBe(before);
        expect(await auditCount()).toBe(auditBefore);
        expect(await s.db.selectFrom("councils").select("id").where("slug", "=", "smygrad").executeTakeFirst()).toBeUndefined();
      });
    }

    it("the 404 for /admin shows the same content as the 404 for a path that does not exist", async () => {
      const cookie = await login(s.url, "ledamot@samsyn.test");
      const adminPage = await get(s.url, "/admin", cookie);
      const nothing = await get(s.url, "/finns-inte-alls", cookie);
      const main = (html: string) => textOf(html.match(/<main[\s\S]*?<\/main>/)?.[0] ?? "<none>");
      expect(adminPage.status).toBe(nothing.status);
      expect(main(adminPage.text)).toBe(main(nothing.text));
      expect(main(adminPage.text)).toContain(sv["status.404.text"]);
    });

    it("a signed-out visitor is sent to /login from GET and POST /admin", async () => {
      const page = await get(s.url, "/admin");
      expect(page.status).toBe(302);
      expect(page.headers.get("location")).toBe("/login?redirectTo=%2Fadmin");
      const before = await councilCount();
      const res = await createCouncil({ name: "Anonymt råd", slug: "anonymt", subRegion: "X", mandate: "" }, "");
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
      expect(await councilCount()).toBe(before);
    });
  });

  describe("appointing a process leader (POST /admin intent=appointLeader)", () => {
    let councilId: string;
    beforeAll(async () => {
      const res = await createCouncil({ name: "Kompetensråd Göteborgsregionen", slug: "goteborgsregionen", subRegion: "Göteborgsregionen", mandate: "" });
      expect(res.status).toBe(200);
      councilId = (await s.db.selectFrom("councils").select("id").where("slug", "=", "goteborgsregionen").executeTakeFirstOrThrow()).id;
    });

    it("makes an existing account process leader at once", async () => {
      const fatimaId = await userId("ledamot.fyrbodal@samsyn.test");
      const fatima = await login(s.url, "ledamot.fyrbodal@samsyn.test");
      // Before: the council does not exist for her.
      expect((await get(s.url, "/councils/goteborgsregionen", fatima)).status).toBe(404);
      const invitesBefore = await s.db.selectFrom("invitations").select("id").where("council_id", "=", councilId).execute();

      const res = await postForm(
        s.url,
        "/admin",
        { intent: "appointLeader", councilId, email: "  Ledamot.Fyrbodal@samsyn.test ", organisation: "Högskolan Väst", perspective: "education" },
        admin,
      );
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain("Fatima Ali är nu processledare.");
      expect(res.text).not.toMatch(/\/invite\//);

      expect(await membership(councilId, fatimaId)).toMatchObject({
        role: "process_leader",
        organisation: "Högskolan Väst",
        perspective: "education",
        valid_from: null,
        valid_to: null,
      });
      expect(await s.db.selectFrom("invitations").select("id").where("council_id", "=", councilId).execute()).toEqual(invitesBefore);
      const audit = await s.db
        .selectFrom("audit_log")
        .selectAll()
        .where("council_id", "=", councilId)
        .where("action", "=", "membership.leader_appointed")
        .execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_id: adminId, subject: fatimaId });
      expect(JSON.parse(audit[0].after_json!)).toEqual({ role: "process_leader" });

      // Her Fyrbodal membership is untouched.
      const fyrbodal = await s.db.selectFrom("councils").select("id").where("slug", "=", "fyrbodal").executeTakeFirstOrThrow();
      expect((await membership(fyrbodal.id, fatimaId))?.role).toBe("member");

      // With the same session she can now manage the new council.
      const councilPage = await get(s.url, "/councils/goteborgsregionen", fatima);
      expect(councilPage.status).toBe(200);
      expect(textOf(councilPage.text)).toContain("Din roll: Processledare");
      expect((await get(s.url, "/councils/goteborgsregionen/members", fatima)).status).toBe(200);
      // The admin list names her as leader.
      expect(textOf((await get(s.url, "/admin", admin)).text)).toMatch(/Processledare\s*:\s*Fatima Ali/);
    });

    it("gives an unknown address an invite link whose acceptance makes that person process leader", async () => {
      const email = "ny.processledare@example.se";
      const res = await postForm(
        s.url,
        "/admin",
        { intent: "appointLeader", councilId, email, organisation: "Göteborgsregionen (GR)", perspective: "municipal_federation" },
        admin,
      );
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain(`Det finns inget konto för ${email}. Skicka den här inbjudningslänken:`);
      const token = inviteToken(res.text);
      expect(token).toBeDefined();
      expect(res.text).toContain(`value="${s.url}/invite/${token}"`);
      // Nobody is made leader yet, and no account exists.
      expect(await s.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirst()).toBeUndefined();
      const invitation = await s.db.selectFrom("invitations").selectAll().where("email", "=", email).executeTakeFirstOrThrow();
      expect(invitation).toMatchObject({ council_id: councilId, role: "process_leader", created_by: adminId, accepted_at: null });
      expect(invitation.token_hash).not.toBe(token);

      const landing = await get(s.url, `/invite/${token}`);
      expect(landing.status).toBe(200);
      expect(textOf(landing.text)).toContain("Inbjudan till Kompetensråd Göteborgsregionen");
      expect(textOf(landing.text)).toContain("Du är inbjuden som processledare");

      const accept = await postForm(s.url, `/invite/${token}`, {
        name: "Nora Processledare",
        password: "ett-bra-losenord",
        passwordConfirm: "ett-bra-losenord",
      });
      expect(accept.status).toBe(302);
      expect(accept.headers.get("location")).toBe("/councils/goteborgsregionen");
      const cookie = cookiesFrom(accept.headers);
      expect(cookie).toContain("samsyn_session=");

      const uid = await userId(email);
      expect(await membership(councilId, uid)).toMatchObject({
        role: "process_leader",
        organisation: "Göteborgsregionen (GR)",
        perspective: "municipal_federation",
      });
      const members = await get(s.url, "/councils/goteborgsregionen/members", cookie);
      expect(members.status).toBe(200);
      expect(textOf(members.text)).toContain("Nora Processledare");
      // And she is an ordinary leader: no admin rights.
      expect((await get(s.url, "/admin", cookie)).status).toBe(404);
    });

    it("refuses an invalid e-mail address or an unknown council", async () => {
      const invitesBefore = await s.db.selectFrom("invitations").select("id").execute();
      const bad = await postForm(
        s.url,
        "/admin",
        { intent: "appointLeader", councilId, email: "inte-en-adress", organisation: "X", perspective: "other" },
        admin,
      );
      expect(bad.status).toBe(400);
      expect(textOf(bad.text)).toContain(MSG.email);

      const noCouncil = await postForm(
        s.url,
        "/admin",
        { intent: "appointLeader", councilId: "00000000-0000-4000-8000-000000000000", email: "x@example.se", organisation: "X", perspective: "other" },
        admin,
      );
      expect(noCouncil.status).toBe(404);
      expect(await s.db.selectFrom("invitations").select("id").execute()).toEqual(invitesBefore);
    });
  });

  describe("the council page /councils/skaraborg", () => {
    let page: string;
    beforeAll(async () => {
      const res = await get(s.url, "/councils/skaraborg", await login(s.url, "ledamot@samsyn.test"));
      expect(res.status).toBe(200);
      page = res.text;
    });

    it("shows the council's name and its mandate, paragraph by paragraph", async () => {
      const council = await s.db.selectFrom("councils").selectAll().where("slug", "=", "skaraborg").executeTakeFirstOrThrow();
      const text = textOf(page);
      expect(text).toContain(council.name);
      expect(text).toContain("Uppdrag (avsiktsförklaring)");
      const paragraphs = council.mandate.split(/\n\s*\n/);
      expect(paragraphs.length).toBeGreaterThan(1);
      for (const p of paragraphs) expect(page).toContain(`<p>${p}</p>`);
    });

    it("groups the active composition under perspective headings, in the fixed order", async () => {
      const groups = [...page.matchAll(/<div class="perspective-group"><h3>([\s\S]*?)<\/h3><ul>([\s\S]*?)<\/ul><\/div>/g)].map(
        (m) => ({ heading: textOf(m[1]), items: [...m[2].matchAll(/<li>([\s\S]*?)<\/li>/g)].map((li) => textOf(li[1])) }),
      );
      // Expected from the database: active memberships of Skaraborg by perspective.
      const rows = await s.db
        .selectFrom("memberships as m")
        .innerJoin("councils as c", "c.id", "m.council_id")
        .innerJoin("users as u", "u.id", "m.user_id")
        .select(["u.name", "m.role", "m.perspective", "m.valid_from", "m.valid_to", "m.organisation"])
        .where("c.slug", "=", "skaraborg")
        .execute();
      const active = rows.filter((r) => isActive(r));
      expect(active.length).toBeLessThan(rows.length); // the seed has an expired adjunct
      const expected = PERSPECTIVES.map((p) => ({ p, names: active.filter((r) => r.perspective === p).map((r) => r.name).sort() })).filter(
        (g) => g.names.length > 0,
      );
      expect(groups.map((g) => g.heading)).toEqual(expected.map((g) => `${sv[`perspective.${g.p}`]} (${g.names.length})`));
      for (const [i, g] of expected.entries()) {
        expect(groups[i].items.map((item) => item.split(",")[0]).sort()).toEqual(g.names);
      }
      expect(textOf(page)).toContain(`${active.length} deltagare fördelade på perspektiv.`);

      // Concretely: the seeded people sit under the right headings.
      const byHeading = (label: string) => groups.find((g) => g.heading.startsWith(`${label} (`))?.items.join(" | ") ?? "";
      expect(byHeading("Utbildning")).toContain("Maria Andersson, Högskolan i Skövde");
      expect(byHeading("Utbildning")).toContain("Ahmed Hassan");
      expect(byHeading("Arbetsgivare/bransch")).toContain("Anders Johansson, Teknikföretagen Skaraborg");
      expect(byHeading("Arbetsgivare/bransch")).toContain("Lena Svensson");
      expect(byHeading("Kommunalförbund")).toContain("Karin Lindqvist");
      expect(byHeading("Kommunalförbund")).toContain("Processledare");
      expect(byHeading("Myndighet")).toContain("Eva Berg");
      expect(byHeading("Myndighet")).toContain("Observatör");
      // The active adjunct is listed with the end of her period.
      expect(byHeading("Övrigt")).toMatch(/Ingrid Larsson, Kompetensnavet Skaraborg Adjungerad \(adjungerad t\.o\.m\. \d{1,2} \p{L}+ \d{4}\)/u);
    });

    it("does not list the adjunct whose period has ended", () => {
      expect(page).not.toContain("Oskar Dahl");
      expect(page).not.toContain("Unionen");
    });

    it("carries no NUL bytes (React 18's streaming renderer padded 2 KB chunks ending mid-character)", () => {
      expect(page.includes("\0")).toBe(false);
    });

    it("renders long Swedish text intact, whatever falls on the 2 KB chunk boundaries", async () => {
      const paragraph = "Kompetensförsörjning " + "ö".repeat(150) + " å ä";
      for (const shift of [0, 1, 2, 3]) {
        const slug = `nul-test-${shift}`;
        const mandate = "x".repeat(shift) + Array.from({ length: 40 }, () => paragraph).join("\n\n");
        const created = await createCouncil({ name: `Teckenrådet ${shift}`, slug, subRegion: "Testbygden", mandate });
        expect(created.status).toBe(200);
        const councilId = (await s.db.selectFrom("councils").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
        const appointed = await postForm(
          s.url,
          "/admin",
          { intent: "appointLeader", councilId, email: "ledamot@samsyn.test", organisation: "Test", perspective: "other" },
          admin,
        );
        expect(appointed.status).toBe(200);
        const res = await get(s.url, `/councils/${slug}`, await login(s.url, "ledamot@samsyn.test"));
        expect(res.status).toBe(200);
        expect(res.text.includes("\0"), `NUL byte in the page (shift ${shift})`).toBe(false);
        expect(res.text.split(`${paragraph}</p>`).length - 1).toBe(40);
      }
    });

    it("shows nothing of Fyrbodal", () => {
      expect(page).not.toMatch(/fyrbodal/i);
      for (const name of ["Fatima Ali", "Mikael Strand", "Anna Lund", "Henrik Berg", "Emma Karlsson", "Högskolan Väst"]) {
        expect(page).not.toContain(name);
      }
    });
  });
});
