// Who may do what, on the real routes: the role × route matrix, what a process
// leader can and cannot change in the members list, council scoping of ids,
// a person in two councils, and the append-only audit log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookiesFrom, get, login, postForm, type FetchResult } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { decode, textOf } from "../helpers/html";

const MSG = {
  forbidden: "Du har inte behörighet",
  adjunctEnded: "Din adjungering i rådet har upphört.",
  notFound: "Sidan finns inte",
  leaderByAdmin: "Processledare utses och tas bort av administratören.",
  memberNotFound: "Ledamoten finns inte i rådet.",
  unknown: "Okänt värde.",
};

/** The page's <h1> and the text under it (the error boundary renders both into <main>). */
const mainText = (html: string) => textOf(html.match(/<main[\s\S]*?<\/main>/)?.[0] ?? "");

const PEOPLE = {
  leader: "processledare@samsyn.test",
  member: "ledamot@samsyn.test",
  adjunct: "ingrid.larsson@samsyn.test",
  expiredAdjunct: "oskar.dahl@samsyn.test",
  observer: "observator@samsyn.test",
  fyrbodalOnly: "ledamot.fyrbodal@samsyn.test",
  admin: "admin@samsyn.test",
} as const;
type Persona = keyof typeof PEOPLE | "signedOut";
const PERSONAS: Persona[] = ["leader", "member", "adjunct", "expiredAdjunct", "observer", "fyrbodalOnly", "admin", "signedOut"];

type Outcome = "ok" | "forbidden" | "ended" | "notFound" | "login";

/** For the council's sub-pages and actions: only the leader; the admin is no member. */
const MANAGE: Record<Persona, Outcome> = {
  leader: "ok",
  member: "forbidden",
  adjunct: "forbidden",
  expiredAdjunct: "ended",
  observer: "forbidden",
  fyrbodalOnly: "notFound",
  admin: "notFound",
  signedOut: "login",
};
const VIEW: Record<Persona, Outcome> = { ...MANAGE, member: "ok", adjunct: "ok", observer: "ok" };
const ADMIN: Record<Persona, Outcome> = {
  leader: "notFound",
  member: "notFound",
  adjunct: "notFound",
  expiredAdjunct: "notFound",
  observer: "notFound",
  fyrbodalOnly: "notFound",
  admin: "ok",
  signedOut: "login",
};

function expectOutcome(res: FetchResult, outcome: Outcome, path: string) {
  switch (outcome) {
    case "ok":
      expect(res.status).toBe(200);
      break;
    case "forbidden":
      expect(res.status).toBe(403);
      expect(mainText(res.text)).toBe(`${MSG.forbidden} ${MSG.forbidden} Till mina råd`);
      break;
    case "ended":
      expect(res.status).toBe(403);
      expect(mainText(res.text)).toBe(`${MSG.forbidden} ${MSG.adjunctEnded} Till mina råd`);
      break;
    case "notFound":
      expect(res.status).toBe(404);
      expect(mainText(res.text)).toContain(MSG.notFound);
      break;
    case "login":
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(path)}`);
      break;
  }
}

describe("roles", () => {
  let s: TestServer;
  const cookies = {} as Record<Persona, string>;
  const ids = {} as Record<string, string>;

  const membershipId = async (email: string, slug: string) =>
    (
      await s.db
        .selectFrom("memberships as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .innerJoin("councils as c", "c.id", "m.council_id")
        .select("m.id")
        .where("u.email", "=", email)
        .where("c.slug", "=", slug)
        .executeTakeFirstOrThrow()
    ).id;

  /** Everything a members action could touch. */
  const snapshot = async () => ({
    memberships: await s.db.selectFrom("memberships").selectAll().orderBy("id").execute(),
    invitations: await s.db.selectFrom("invitations").selectAll().orderBy("id").execute(),
    audit: await s.db.selectFrom("audit_log").select("id").orderBy("id").execute(),
    councils: await s.db.selectFrom("councils").selectAll().orderBy("id").execute(),
  });

  beforeAll(async () => {
    s = await startTestServer();
    for (const p of PERSONAS) cookies[p] = p === "signedOut" ? "" : await login(s.url, PEOPLE[p]);
    ids.ahmed = await membershipId("ahmed.hassan@samsyn.test", "skaraborg");
    ids.maria = await membershipId("maria.andersson@samsyn.test", "skaraborg");
  });
  afterAll(() => s.close());

  describe("the role × route matrix", () => {
    for (const p of PERSONAS) {
      it(`GET /councils/skaraborg as ${p}: ${VIEW[p]}`, async () => {
        const res = await get(s.url, "/councils/skaraborg", cookies[p]);
        expectOutcome(res, VIEW[p], "/councils/skaraborg");
        if (VIEW[p] === "ok") {
          expect(textOf(res.text)).toContain("Kompetensråd Skaraborg");
          // Only the leader is offered the members page.
          expect(res.text.includes('href="/councils/skaraborg/members"')).toBe(p === "leader");
        } else {
          expect(res.text).not.toContain("Teknikföretagen Skaraborg");
        }
      });

      it(`GET /councils/skaraborg/members as ${p}: ${MANAGE[p]}`, async () => {
        const res = await get(s.url, "/councils/skaraborg/members", cookies[p]);
        expectOutcome(res, MANAGE[p], "/councils/skaraborg/members");
        if (MANAGE[p] === "ok") {
          expect(textOf(res.text)).toContain("Ledamöter och inbjudningar");
          // The leader sees everyone, including the expired adjunct (marked inactive).
          expect(textOf(res.text)).toMatch(/Oskar Dahl .*inte aktiv/);
        } else {
          expect(res.text).not.toContain("maria.andersson@samsyn.test");
        }
      });

      const posts: { intent: string; fields: () => Record<string, string> }[] = [
        {
          intent: "invite",
          fields: () => ({ email: `inbjuden.av.${p.toLowerCase()}@example.se`, role: "member", organisation: "Org", perspective: "employer" }),
        },
        { intent: "changeRole", fields: () => ({ membershipId: ids.ahmed, role: "observer" }) },
        { intent: "remove", fields: () => ({ membershipId: ids.maria }) },
      ];
      for (const post of posts) {
        // The leader's changeRole and remove are exercised below, on a server of their own.
        if (p === "leader" && post.intent !== "invite") continue;
        it(`POST /councils/skaraborg/members intent=${post.intent} as ${p}: ${MANAGE[p]}`, async () => {
          const before = await snapshot();
          const res = await postForm(s.url, "/councils/skaraborg/members", { intent: post.intent, ...post.fields() }, cookies[p]);
          expectOutcome(res, MANAGE[p], "/councils/skaraborg/members");
          const after = await snapshot();
          if (MANAGE[p] === "ok") {
            expect(res.text).toMatch(/id="invite-link"[^>]*value="[^"]*\/invite\/[A-Za-z0-9_-]{43}"/);
            expect(after.invitations.length).toBe(before.invitations.length + 1);
            expect(after.memberships).toEqual(before.memberships);
          } else {
            expect(after).toEqual(before);
            expect(res.text).not.toMatch(/\/invite\/[A-Za-z0-9_-]{43}/);
          }
        });
      }

      it(`GET /admin as ${p}: ${ADMIN[p]}`, async () => {
        const res = await get(s.url, "/admin", cookies[p]);
        expectOutcome(res, ADMIN[p], "/admin");
        if (ADMIN[p] === "ok") expect(textOf(res.text)).toContain("Skapa ett kompetensråd");
        else expect(res.text).not.toContain("Skapa ett kompetensråd");
      });

      it(`POST /admin intent=createCouncil as ${p}: ${ADMIN[p]}`, async () => {
        const slug = `rad-${p.toLowerCase()}`;
        const before = await snapshot();
        const res = await postForm(s.url, "/admin", { intent: "createCouncil", name: `Råd av ${p}`, slug, subRegion: "X", mandate: "" }, cookies[p]);
        expectOutcome(res, ADMIN[p], "/admin");
        const created = await s.db.selectFrom("councils").select("id").where("slug", "=", slug).executeTakeFirst();
        if (ADMIN[p] === "ok") {
          expect(created).toBeDefined();
        } else {
          expect(created).toBeUndefined();
          expect(await snapshot()).toEqual(before);
        }
      });
    }
  });

  describe("a council you are not in does not exist for you", () => {
    /** Same page whatever the slug: per-request nonces and the slug itself taken out. */
    const normalise = (html: string, slug: string) => html.replace(/nonce="[^"]*"/g, 'nonce=""').split(slug).join("SLUG");

    const cases: { who: Persona; slug: string }[] = [
      { who: "fyrbodalOnly", slug: "skaraborg" },
      { who: "member", slug: "fyrbodal" },
      { who: "admin", slug: "skaraborg" },
    ];
    for (const { who, slug } of cases) {
      it(`${who}: /councils/${slug} answers exactly like a slug that does not exist`, async () => {
        const ghost = "finns-inte-alls";
        for (const sub of ["", "/members"]) {
          const real = await get(s.url, `/councils/${slug}${sub}`, cookies[who]);
          const none = await get(s.url, `/councils/${ghost}${sub}`, cookies[who]);
          expect(real.status).toBe(404);
          expect(none.status).toBe(404);
          expect(real.headers.get("content-type")).toBe(none.headers.get("content-type"));
          expect(normalise(real.text, slug)).toBe(normalise(none.text, ghost));
          expect(real.text).not.toMatch(/Kompetensråd (Skaraborg|Fyrbodal)/);
        }
        const before = await snapshot();
        const fields = { intent: "invite", email: "spion@example.se", role: "member", organisation: "X", perspective: "other" };
        const realPost = await postForm(s.url, `/councils/${slug}/members`, fields, cookies[who]);
        const nonePost = await postForm(s.url, `/councils/${ghost}/members`, fields, cookies[who]);
        expect(realPost.status).toBe(404);
        expect(nonePost.status).toBe(404);
        expect(normalise(realPost.text, slug)).toBe(normalise(nonePost.text, ghost));
        expect(await snapshot()).toEqual(before);
      });
    }
  });

  describe("a person in two councils (Johan: member of Skaraborg, observer of Fyrbodal)", () => {
    let johan: string;
    beforeAll(async () => {
      johan = await login(s.url, "johan.nilsson@samsyn.test");
    });

    it("sees both councils, each with his role there", async () => {
      const skaraborg = await get(s.url, "/councils/skaraborg", johan);
      expect(skaraborg.status).toBe(200);
      expect(textOf(skaraborg.text)).toContain("Din roll: Ledamot");
      expect(textOf(skaraborg.text)).toContain("Kompetensråd Skaraborg");
      const fyrbodal = await get(s.url, "/councils/fyrbodal", johan);
      expect(fyrbodal.status).toBe(200);
      expect(textOf(fyrbodal.text)).toContain("Din roll: Observatör");
      expect(textOf(fyrbodal.text)).toContain("Kompetensråd Fyrbodal");
      // A member sees the others' e-mail addresses; an observer does not.
      expect(skaraborg.text).toContain("mailto:maria.andersson@samsyn.test");
      expect(fyrbodal.text).not.toContain("mailto:");
      const home = textOf((await get(s.url, "/", johan)).text);
      expect(home).toContain("Kompetensråd Skaraborg");
      expect(home).toContain("Kompetensråd Fyrbodal");
    });

    it("manages neither", async () => {
      const fyrbodalMember = await membershipId("anna.lund@samsyn.test", "fyrbodal");
      for (const [slug, target] of [
        ["skaraborg", ids.ahmed],
        ["fyrbodal", fyrbodalMember],
      ] as const) {
        const page = await get(s.url, `/councils/${slug}/members`, johan);
        expectOutcome(page, "forbidden", `/councils/${slug}/members`);
        const before = await snapshot();
        const attempts: Record<string, string>[] = [
          { intent: "invite", email: "johans.van@example.se", role: "member", organisation: "X", perspective: "other" },
          { intent: "changeRole", membershipId: target, role: "observer" },
          { intent: "remove", membershipId: target },
        ];
        for (const fields of attempts) {
          const res = await postForm(s.url, `/councils/${slug}/members`, fields, johan);
          expectOutcome(res, "forbidden", `/councils/${slug}/members`);
        }
        expect(await snapshot()).toEqual(before);
      }
    });
  });

  describe("what the process leader can change", () => {
    let w: TestServer;
    let leader: string;
    let leaderUserId: string;
    let skaraborgId: string;

    const member = (id: string) => w.db.selectFrom("memberships").selectAll().where("id", "=", id).executeTakeFirst();
    const mid = async (email: string, slug: string) =>
      (
        await w.db
          .selectFrom("memberships as m")
          .innerJoin("users as u", "u.id", "m.user_id")
          .innerJoin("councils as c", "c.id", "m.council_id")
          .select("m.id")
          .where("u.email", "=", email)
          .where("c.slug", "=", slug)
          .executeTakeFirstOrThrow()
      ).id;
    const auditRows = () => w.db.selectFrom("audit_log").selectAll().orderBy("created_at").execute();
    const act = (fields: Record<string, string>) => postForm(w.url, "/councils/skaraborg/members", fields, leader);

    beforeAll(async () => {
      w = await startTestServer();
      leader = await login(w.url, PEOPLE.leader);
      leaderUserId = (await w.db.selectFrom("users").select("id").where("email", "=", PEOPLE.leader).executeTakeFirstOrThrow()).id;
      skaraborgId = (await w.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id;
    });
    afterAll(() => w.close());

    it("changes a member to observer: the row changes and audit_log records before and after", async () => {
      const id = await mid("per.holm@samsyn.test", "skaraborg");
      const per = await login(w.url, "per.holm@samsyn.test");
      expect(textOf((await get(w.url, "/councils/skaraborg", per)).text)).toContain("Din roll: Ledamot");
      const auditBefore = (await auditRows()).length;

      const res = await act({ intent: "changeRole", membershipId: id, role: "observer" });
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain("Rollen för Per Holm är ändrad.");
      expect(await member(id)).toMatchObject({ role: "observer", valid_from: null, valid_to: null, organisation: "IF Metall Skaraborg" });

      const audit = await auditRows();
      expect(audit.length).toBe(auditBefore + 1);
      const row = audit.find((a) => a.action === "membership.role_changed");
      expect(row).toBeDefined();
      const perId = (await member(id))!.user_id;
      expect(row).toMatchObject({ council_id: skaraborgId, actor_id: leaderUserId, subject: perId });
      expect(JSON.parse(row!.before_json!)).toEqual({ role: "member", validFrom: null, validTo: null });
      expect(JSON.parse(row!.after_json!)).toEqual({ role: "observer", validFrom: null, validTo: null });

      // His next page load reflects it: an observer sees no e-mail addresses.
      const page = await get(w.url, "/councils/skaraborg", per);
      expect(textOf(page.text)).toContain("Din roll: Observatör");
      expect(page.text).not.toContain("mailto:");
    });

    it("makes a member an adjunct only with a valid period", async () => {
      const id = await mid("lena.svensson@samsyn.test", "skaraborg");
      const before = await member(id);
      const noDates = await act({ intent: "changeRole", membershipId: id, role: "adjunct" });
      expect(noDates.status).toBe(400);
      expect(textOf(noDates.text)).toContain("Fyll i fältet.");
      expect(await member(id)).toEqual(before);

      const from = "2020-01-01";
      const to = "2099-12-31";
      const ok = await act({ intent: "changeRole", membershipId: id, role: "adjunct", validFrom: from, validTo: to });
      expect(ok.status).toBe(200);
      expect(await member(id)).toMatchObject({ role: "adjunct", valid_from: from, valid_to: to });
    });

    it("cannot change a process leader's role", async () => {
      const karin = await mid(PEOPLE.leader, "skaraborg");
      const before = await member(karin);
      const auditBefore = (await auditRows()).length;
      for (const role of ["member", "observer"]) {
        const res = await act({ intent: "changeRole", membershipId: karin, role });
        expect(res.status).toBe(403);
        expect(textOf(res.text)).toContain(MSG.leaderByAdmin);
      }
      expect(await member(karin)).toEqual(before);
      expect((await auditRows()).length).toBe(auditBefore);
    });

    it("cannot make anyone process leader", async () => {
      const id = await mid("maria.andersson@samsyn.test", "skaraborg");
      const before = await member(id);
      const res = await act({ intent: "changeRole", membershipId: id, role: "process_leader" });
      expect(res.status).toBe(400);
      expect(textOf(res.text)).toContain("Välj en roll.");
      expect(await member(id)).toEqual(before);
    });

    it("cannot remove a process leader", async () => {
      const karin = await mid(PEOPLE.leader, "skaraborg");
      const before = await member(karin);
      const auditBefore = (await auditRows()).length;
      const res = await act({ intent: "remove", membershipId: karin });
      expect(res.status).toBe(403);
      expect(textOf(res.text)).toContain(MSG.leaderByAdmin);
      expect(await member(karin)).toEqual(before);
      expect((await auditRows()).length).toBe(auditBefore);
      expect((await get(w.url, "/councils/skaraborg/members", leader)).status).toBe(200);
    });

    it("removes a member: the row goes, audit_log records it, and the council is gone for that person", async () => {
      const id = await mid("sara.ek@samsyn.test", "skaraborg");
      const saraId = (await member(id))!.user_id;
      const sara = await login(w.url, "sara.ek@samsyn.test");
      expect((await get(w.url, "/councils/skaraborg", sara)).status).toBe(200);
      const auditBefore = (await auditRows()).length;

      const res = await act({ intent: "remove", membershipId: id });
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain("Sara Ek är borttagen ur rådet.");
      expect(await member(id)).toBeUndefined();
      // The account itself stays.
      expect(await w.db.selectFrom("users").select("id").where("id", "=", saraId).executeTakeFirst()).toBeDefined();

      const audit = await auditRows();
      expect(audit.length).toBe(auditBefore + 1);
      const row = audit.find((a) => a.action === "membership.removed" && a.subject === saraId);
      expect(row).toMatchObject({ council_id: skaraborgId, actor_id: leaderUserId });
      expect(JSON.parse(row!.before_json!)).toEqual({ role: "member", organisation: "Arbetsförmedlingen", perspective: "public_agency" });

      // Same session, next request: the council does not exist for her.
      const after = await get(w.url, "/councils/skaraborg", sara);
      expect(after.status).toBe(404);
      expect(textOf(after.text)).not.toContain("Kompetensråd Skaraborg");
      expect(textOf((await get(w.url, "/", sara)).text)).not.toContain("Kompetensråd Skaraborg");
      // Removing her again: not found.
      const again = await act({ intent: "remove", membershipId: id });
      expect(again.status).toBe(404);
      expect(textOf(again.text)).toContain(MSG.memberNotFound);
    });

    it("refuses a membershipId from another council (Fyrbodal) like an unknown one, and leaves that row alone", async () => {
      const anna = await mid("anna.lund@samsyn.test", "fyrbodal");
      const mikael = await mid("fyrbodal.processledare@samsyn.test", "fyrbodal");
      const rowsBefore = [await member(anna), await member(mikael)];
      const auditBefore = (await auditRows()).length;
      for (const target of [anna, mikael]) {
        const change = await act({ intent: "changeRole", membershipId: target, role: "observer" });
        expect(change.status).toBe(404);
        expect(textOf(change.text)).toContain(MSG.memberNotFound);
        const remove = await act({ intent: "remove", membershipId: target });
        expect(remove.status).toBe(404);
        expect(textOf(remove.text)).toContain(MSG.memberNotFound);
      }
      // Exactly what an id that exists nowhere gets.
      const unknown = await act({ intent: "remove", membershipId: "3f1c2b7a-9d4e-4f6a-8b2c-1d0e9f8a7b6c" });
      expect(unknown.status).toBe(404);
      expect(textOf(unknown.text)).toContain(MSG.memberNotFound);
      expect([await member(anna), await member(mikael)]).toEqual(rowsBefore);
      expect((await auditRows()).length).toBe(auditBefore);
      // And nothing leaked into Skaraborg either.
      const leaked = await w.db
        .selectFrom("memberships")
        .select("id")
        .where("council_id", "=", skaraborgId)
        .where("user_id", "in", rowsBefore.map((r) => r!.user_id))
        .execute();
      expect(leaked).toEqual([]);
    });

    it("refuses a malformed membershipId with 400", async () => {
      const before = await w.db.selectFrom("memberships").selectAll().orderBy("id").execute();
      const auditBefore = (await auditRows()).length;
      for (const bad of ["", "not-a-uuid", "1 OR 1=1", "' OR ''='", "%", "a".repeat(5000)]) {
        for (const intent of ["changeRole", "remove"]) {
          const res = await act({ intent, membershipId: bad, role: "observer" });
          expect(res.status, `${intent} ${bad.slice(0, 20)}`).toBe(400);
          expect(textOf(res.text)).toContain(MSG.unknown);
        }
      }
      // Absent altogether.
      const absent = await act({ intent: "remove" });
      expect(absent.status).toBe(400);
      expect(await w.db.selectFrom("memberships").selectAll().orderBy("id").execute()).toEqual(before);
      expect((await auditRows()).length).toBe(auditBefore);
    });
  });

  describe("the audit log is append-only in the database itself", () => {
    it("refuses UPDATE and DELETE", async () => {
      const rows = await s.db.selectFrom("audit_log").selectAll().orderBy("id").execute();
      expect(rows.length).toBeGreaterThan(0);
      const target = rows[0];
      await expect(s.db.updateTable("audit_log").set({ action: "tampered" }).where("id", "=", target.id).execute()).rejects.toThrow(
        /append-only/,
      );
      await expect(s.db.updateTable("audit_log").set({ before_json: null }).execute()).rejects.toThrow(/append-only/);
      await expect(s.db.deleteFrom("audit_log").where("id", "=", target.id).execute()).rejects.toThrow(/append-only/);
      await expect(s.db.deleteFrom("audit_log").execute()).rejects.toThrow(/append-only/);
      expect(await s.db.selectFrom("audit_log").selectAll().orderBy("id").execute()).toEqual(rows);
      // Appending still works.
      await s.db
        .insertInto("audit_log")
        .values({ id: "test-append", council_id: null, actor_id: null, action: "test.append", subject: null, before_json: null, after_json: null, created_at: new Date().toISOString() })
        .execute();
      expect(await s.db.selectFrom("audit_log").select("id").where("id", "=", "test-append").executeTakeFirst()).toBeDefined();
    });
  });

  it("a signed-out visitor's stale cookie is cleared on the way to /login", async () => {
    const res = await get(s.url, "/councils/skaraborg", "samsyn_session=bogus.value");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?redirectTo=%2Fcouncils%2Fskaraborg");
    expect(cookiesFrom(res.headers)).toBe("samsyn_session=");
  });
});
