// Invitations over real HTTP: a process leader creates a one-time link, the
// invited person accepts it (new account or existing one), and every way a link
// can stop working (used, expired, revoked, unknown) is refused without side effects.
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashToken } from "../../server/domain/ids";
import { stockholmToday, ZONE } from "../../server/domain/time";
import { cookiesFrom, get, login, postForm, type FetchResult } from "../helpers/http";
import { linkIn, readOutbox } from "../helpers/outbox";
import { DEMO_PASSWORD, startTestServer, type TestServer } from "../helpers/server";
import { decode, fieldError, textOf } from "../helpers/html";

const MSG = {
  used: "Inbjudan har redan använts.",
  expired: "Inbjudan har gått ut. Be processledaren om en ny.",
  revoked: "Inbjudan är återkallad. Be processledaren om en ny.",
  notFound: "Inbjudan finns inte. Kontrollera länken.",
  alreadyMember: "Personen är redan med i rådet.",
  required: "Fyll i fältet.",
  dateOrder: "Slutdatumet måste vara samma dag som eller efter startdatumet.",
  datePast: "Perioden har redan tagit slut.",
  passwordShort: "Lösenordet måste ha minst 10 tecken.",
  passwordMismatch: "Lösenorden är inte lika.",
  loginFailed: "Fel e-postadress eller lösenord.",
  otherAccount: "Inbjudan gäller ett annat konto.",
};
const GOOD_PASSWORD = "ett-langt-losenord-2025";

const plusDays = (days: number) => DateTime.now().setZone(ZONE).startOf("day").plus({ days }).toISODate()!;

describe("invitations", () => {
  let s: TestServer;
  let leader: string;
  let leaderId: string;
  let skaraborgId: string;

  const count = async (table: "users" | "memberships" | "invitations" | "audit_log" | "sessions") =>
    Number((await s.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const userByEmail = (email: string) => s.db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
  const membershipsOf = (email: string) =>
    s.db
      .selectFrom("memberships as m")
      .innerJoin("users as u", "u.id", "m.user_id")
      .innerJoin("councils as c", "c.id", "m.council_id")
      .selectAll("m")
      .select("c.slug")
      .where("u.email", "=", email)
      .execute();
  const invitationByToken = (token: string) =>
    s.db.selectFrom("invitations").selectAll().where("token_hash", "=", hashToken(token)).executeTakeFirstOrThrow();

  /** POST intent=invite as the leader; returns the response and the token from the shown link. */
  async function invite(fields: Record<string, string>, cookie = leader): Promise<{ res: FetchResult; token: string }> {
    const res = await postForm(
      s.url,
      "/councils/skaraborg/members",
      { intent: "invite", role: "member", organisation: "Volvo Cars Skövde", perspective: "employer", ...fields },
      cookie,
    );
    const token = res.text.match(/id="invite-link"[^>]*value="[^"]*\/invite\/([A-Za-z0-9_-]+)"/)?.[1] ?? "";
    return { res, token };
  }

  async function inviteOk(fields: Record<string, string>): Promise<string> {
    const { res, token } = await invite(fields);
    expect(res.status, textOf(res.text).slice(0, 500)).toBe(200);
    expect(token).not.toBe("");
    return token;
  }

  const acceptNew = (token: string, fields: Partial<Record<"name" | "password" | "passwordConfirm", string>> = {}) =>
    postForm(s.url, `/invite/${token}`, { name: "Ny Person", password: GOOD_PASSWORD, passwordConfirm: GOOD_PASSWORD, ...fields });

  beforeAll(async () => {
    s = await startTestServer();
    leader = await login(s.url, "processledare@samsyn.test");
    leaderId = (await userByEmail("processledare@samsyn.test"))!.id;
    skaraborgId = (await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id;
  });
  afterAll(() => s.close());

  describe("inviting a new person and accepting", () => {
    const email = "klara.nystrom@example.se";
    let token: string;
    let newUserId: string;

    it("the leader's invite shows the one-time link and stores only its hash", async () => {
      const auditBefore = await count("audit_log");
      const { res, token: t } = await invite({ email: "  Klara.Nystrom@Example.se " });
      expect(res.status).toBe(200);
      token = t;
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(textOf(res.text)).toContain(`Inbjudan är skickad till ${email}. Du kan också kopiera länken:`);
      expect(res.text).toContain(`value="${s.url}/invite/${token}"`);

      // The same link is e-mailed to the person, in Swedish, with the council, the inviter and the role.
      const mails = (await readOutbox(s)).filter((m) => m.to === email);
      expect(mails).toHaveLength(1);
      expect(mails[0].subject).toBe("Inbjudan till Kompetensråd Skaraborg i Samsyn");
      expect(linkIn(mails[0], "invite").url).toBe(`${s.url}/invite/${token}`);
      expect(mails[0].text).toMatch(/bjuder in dig till Kompetensråd Skaraborg i Samsyn, som ledamot\./);
      expect(mails[0].html).toContain(`href="${s.url}/invite/${token}"`);

      const row = await invitationByToken(token);
      expect(row).toMatchObject({
        council_id: skaraborgId,
        email,
        role: "member",
        organisation: "Volvo Cars Skövde",
        perspective: "employer",
        valid_from: null,
        valid_to: null,
        created_by: leaderId,
        accepted_at: null,
        revoked_at: null,
      });
      // The token itself is nowhere in the row.
      expect(JSON.stringify(row)).not.toContain(token);
      // Valid for 14 days.
      const ttl = Date.parse(row.expires_at) - Date.parse(row.created_at);
      expect(ttl).toBe(14 * 24 * 3600 * 1000);
      expect(await count("audit_log")).toBe(auditBefore + 1);
      const audit = await s.db.selectFrom("audit_log").selectAll().where("action", "=", "invitation.created").where("subject", "=", email).execute();
      expect(audit).toHaveLength(1);
      expect(audit[0].actor_id).toBe(leaderId);

      // It is listed as pending on the members page.
      const page = await get(s.url, "/councils/skaraborg/members", leader);
      expect(decode(page.text)).toContain(`aria-label="Återkalla inbjudan till ${email}"`);
      expect(decode(page.text)).toContain(`aria-label="Skicka inbjudan till ${email} igen"`);
    });

    it("GET /invite/<token> shows the council's name and the offered role, and asks for name and password", async () => {
      const res = await get(s.url, `/invite/${token}`);
      expect(res.status).toBe(200);
      const text = textOf(res.text);
      expect(text).toContain("Inbjudan till Kompetensråd Skaraborg");
      expect(text).toContain("Du är inbjuden som ledamot och representerar Volvo Cars Skövde.");
      expect(text).toContain(`E-postadress: ${email}`);
      expect(res.text).toMatch(/name="name"/);
      expect(res.text).toMatch(/name="passwordConfirm"/);
      expect(res.headers.getSetCookie().some((c) => c.startsWith("samsyn_session="))).toBe(false);
    });

    it("accepting with name and password signs the person in and takes them to the council", async () => {
      const usersBefore = await count("users");
      const res = await acceptNew(token, { name: "Klara Nyström" });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/councils/skaraborg");
      const cookie = cookiesFrom(res.headers);
      expect(cookie).toContain("samsyn_session=");

      expect(await count("users")).toBe(usersBefore + 1);
      const user = await userByEmail(email);
      expect(user).toMatchObject({ name: "Klara Nyström", is_site_admin: 0 });
      expect(user!.password_hash).toBeTruthy();
      expect(user!.password_hash).not.toContain(GOOD_PASSWORD);
      newUserId = user!.id;
      const ms = await membershipsOf(email);
      expect(ms).toHaveLength(1);
      expect(ms[0]).toMatchObject({ slug: "skaraborg", role: "member", organisation: "Volvo Cars Skövde", perspective: "employer" });
      const inv = await invitationByToken(token);
      expect(inv.accepted_at).not.toBeNull();
      expect(inv.accepted_by).toBe(newUserId);
      const audit = await s.db.selectFrom("audit_log").selectAll().where("action", "=", "invitation.accepted").where("subject", "=", newUserId).execute();
      expect(audit).toHaveLength(1);

      const council = await get(s.url, "/councils/skaraborg", cookie);
      expect(council.status).toBe(200);
      const text = textOf(council.text);
      expect(text).toContain("Kompetensråd Skaraborg");
      expect(text).toContain("Din roll: Ledamot");
      expect(text).toContain("Klara Nyström, Volvo Cars Skövde");
      // A member, not a leader.
      expect((await get(s.url, "/councils/skaraborg/members", cookie)).status).toBe(403);
      // The new password works on the login form too.
      expect(await login(s.url, email, GOOD_PASSWORD)).toContain("samsyn_session=");
      // And the invite is no longer pending.
      expect(textOf((await get(s.url, "/councils/skaraborg/members", leader)).text)).not.toContain(`Återkalla inbjudan till ${email}`);
    });

    it("the same link cannot be used again: 410, and no second account or membership", async () => {
      const users = await count("users");
      const memberships = await count("memberships");
      const page = await get(s.url, `/invite/${token}`);
      expect(page.status).toBe(410);
      expect(textOf(page.text)).toContain(MSG.used);

      const again = await acceptNew(token, { name: "Någon Annan" });
      expect(again.status).toBe(410);
      expect(textOf(again.text)).toContain(MSG.used);
      expect(again.headers.getSetCookie().some((c) => c.startsWith("samsyn_session="))).toBe(false);
      expect(await count("users")).toBe(users);
      expect(await count("memberships")).toBe(memberships);
      expect(await membershipsOf(email)).toHaveLength(1);
      expect((await userByEmail(email))!.name).toBe("Klara Nyström");
    });
  });

  describe("links that no longer work", () => {
    it("an expired invite gives 410 on GET and POST and creates nothing", async () => {
      const email = "utgangen@example.se";
      const token = await inviteOk({ email });
      await s.db
        .updateTable("invitations")
        .set({ expires_at: new Date(Date.now() - 60_000).toISOString() })
        .where("token_hash", "=", hashToken(token))
        .execute();
      const page = await get(s.url, `/invite/${token}`);
      expect(page.status).toBe(410);
      expect(textOf(page.text)).toContain(MSG.expired);
      const users = await count("users");
      const post = await acceptNew(token);
      expect(post.status).toBe(410);
      expect(textOf(post.text)).toContain(MSG.expired);
      expect(await count("users")).toBe(users);
      expect(await userByEmail(email)).toBeUndefined();
      expect((await invitationByToken(token)).accepted_at).toBeNull();
    });

    it("a revoked invite (intent=revoke) gives 410 and creates nothing", async () => {
      const email = "aterkallad@example.se";
      const token = await inviteOk({ email });
      const inv = await invitationByToken(token);
      expect((await get(s.url, `/invite/${token}`)).status).toBe(200);

      const revoke = await postForm(s.url, "/councils/skaraborg/members", { intent: "revoke", invitationId: inv.id }, leader);
      expect(revoke.status).toBe(200);
      expect(textOf(revoke.text)).toContain("Inbjudan är återkallad.");
      expect((await invitationByToken(token)).revoked_at).not.toBeNull();
      const audit = await s.db.selectFrom("audit_log").selectAll().where("action", "=", "invitation.revoked").where("subject", "=", inv.id).execute();
      expect(audit).toHaveLength(1);

      const page = await get(s.url, `/invite/${token}`);
      expect(page.status).toBe(410);
      expect(textOf(page.text)).toContain(MSG.revoked);
      const users = await count("users");
      const post = await acceptNew(token);
      expect(post.status).toBe(410);
      expect(textOf(post.text)).toContain(MSG.revoked);
      expect(await count("users")).toBe(users);
      expect(await userByEmail(email)).toBeUndefined();

      // Revoking it twice is "not found", not a second audit row.
      const twice = await postForm(s.url, "/councils/skaraborg/members", { intent: "revoke", invitationId: inv.id }, leader);
      expect(twice.status).toBe(404);
      expect(await s.db.selectFrom("audit_log").select("id").where("action", "=", "invitation.revoked").where("subject", "=", inv.id).execute()).toHaveLength(1);
    });

    it("a leader cannot revoke another council's invitation", async () => {
      const fyrbodalLeader = await login(s.url, "fyrbodal.processledare@samsyn.test");
      const created = await postForm(
        s.url,
        "/councils/fyrbodal/members",
        { intent: "invite", email: "fyrbodal.inbjuden@example.se", role: "member", organisation: "Trollhättans Stad", perspective: "employer" },
        fyrbodalLeader,
      );
      expect(created.status).toBe(200);
      const token = created.text.match(/\/invite\/([A-Za-z0-9_-]{43})/)?.[1] ?? "";
      const inv = await invitationByToken(token);
      expect(inv.council_id).not.toBe(skaraborgId);
      const auditBefore = await count("audit_log");

      const res = await postForm(s.url, "/councils/skaraborg/members", { intent: "revoke", invitationId: inv.id }, leader);
      expect(res.status).toBe(404);
      expect(textOf(res.text)).toContain(MSG.notFound);
      expect(await invitationByToken(token)).toEqual(inv);
      expect(await count("audit_log")).toBe(auditBefore);
      const page = await get(s.url, `/invite/${token}`);
      expect(page.status).toBe(200);
      expect(textOf(page.text)).toContain("Inbjudan till Kompetensråd Fyrbodal");

      const malformed = await postForm(s.url, "/councils/skaraborg/members", { intent: "revoke", invitationId: "inte-ett-id" }, leader);
      expect(malformed.status).toBe(400);
    });

    it("a new invite to the same address replaces the earlier unused link", async () => {
      const email = "ersatt@example.se";
      const first = await inviteOk({ email });
      const second = await inviteOk({ email, role: "observer" });
      expect((await get(s.url, `/invite/${first}`)).status).toBe(410);
      expect(textOf((await get(s.url, `/invite/${first}`)).text)).toContain(MSG.revoked);
      const page = await get(s.url, `/invite/${second}`);
      expect(page.status).toBe(200);
      expect(textOf(page.text)).toContain("Du är inbjuden som observatör");
    });

    it("an unknown token gives 404", async () => {
      const users = await count("users");
      for (const token of ["finns-inte", "A".repeat(43), "x".repeat(500)]) {
        const page = await get(s.url, `/invite/${token}`);
        expect(page.status, token).toBe(404);
        expect(textOf(page.text)).toContain(MSG.notFound);
        const post = await acceptNew(token);
        expect(post.status, token).toBe(404);
      }
      expect(await count("users")).toBe(users);
    });
  });

  describe("unused invitations: listed, sent again, revoked", () => {
    const membersPage = async () => textOf((await get(s.url, "/councils/skaraborg/members", leader)).text);
    const expire = (token: string, msAgo: number) =>
      s.db
        .updateTable("invitations")
        .set({ expires_at: new Date(Date.now() - msAgo).toISOString() })
        .where("token_hash", "=", hashToken(token))
        .execute();

    it("an expired invitation is listed apart, and sending it again e-mails a new link while the old one stops working", async () => {
      const email = "glomd.inbjudan@example.se";
      const old = await inviteOk({ email, role: "observer", organisation: "Högskolan i Skövde", perspective: "education" });
      await expire(old, 3 * 24 * 3600 * 1000);
      const page = await membersPage();
      const expiredPart = page.slice(page.indexOf("Inbjudningar som har gått ut"));
      expect(page).toContain("Inbjudningar som har gått ut");
      expect(expiredPart).toContain(email);
      expect(expiredPart).toMatch(/Gick ut \d{1,2} \S+ \d{4}/);
      const before = (await invitationByToken(old));

      const resent = await postForm(s.url, "/councils/skaraborg/members", { intent: "resend", invitationId: before.id }, leader);
      expect(resent.status).toBe(200);
      expect(textOf(resent.text)).toContain(`En ny inbjudan är skickad till ${email}; den förra länken gäller inte längre.`);
      const fresh = resent.text.match(/id="invite-link"[^>]*value="[^"]*\/invite\/([A-Za-z0-9_-]+)"/)?.[1] ?? "";
      expect(fresh).not.toBe("");
      expect(fresh).not.toBe(old);

      const mails = (await readOutbox(s)).filter((m) => m.to === email);
      expect(mails).toHaveLength(2);
      expect(linkIn(mails[1], "invite").token).toBe(fresh);
      // Same role, organisation and perspective; valid 14 days again.
      const row = await invitationByToken(fresh);
      expect(row).toMatchObject({ role: "observer", organisation: "Högskolan i Skövde", perspective: "education", accepted_at: null, revoked_at: null });
      expect(new Date(row.expires_at).getTime() - Date.now()).toBeGreaterThan(13.9 * 24 * 3600 * 1000);
      expect((await get(s.url, `/invite/${old}`)).status).toBe(410);
      expect((await get(s.url, `/invite/${fresh}`)).status).toBe(200);
      const after = await membersPage();
      expect(after.slice(after.indexOf("Inbjudningar som har gått ut") >= 0 ? after.indexOf("Inbjudningar som har gått ut") : after.length)).not.toContain(email);
      expect(after).toContain(email);
    });

    it("an invitation expired more than 90 days ago is no longer listed", async () => {
      const email = "mycket.gammal@example.se";
      const token = await inviteOk({ email });
      await expire(token, 91 * 24 * 3600 * 1000);
      expect(await membersPage()).not.toContain(email);
    });

    it("a revoked or used invitation cannot be sent again; another council's cannot either", async () => {
      const token = await inviteOk({ email: "aterkallas.sedan@example.se" });
      const inv = await invitationByToken(token);
      expect((await postForm(s.url, "/councils/skaraborg/members", { intent: "revoke", invitationId: inv.id }, leader)).status).toBe(200);
      const mailsBefore = (await readOutbox(s)).length;
      const res = await postForm(s.url, "/councils/skaraborg/members", { intent: "resend", invitationId: inv.id }, leader);
      expect(res.status).toBe(404);
      expect(textOf(res.text)).toContain(MSG.notFound);
      expect((await readOutbox(s)).length).toBe(mailsBefore);
      expect((await get(s.url, `/invite/${token}`)).status).toBe(410);

      const fyrbodalLeader = await login(s.url, "fyrbodal.processledare@samsyn.test");
      const created = await postForm(
        s.url,
        "/councils/fyrbodal/members",
        { intent: "invite", email: "fyrbodal.igen@example.se", role: "member", organisation: "Uddevalla kommun", perspective: "employer" },
        fyrbodalLeader,
      );
      const other = await invitationByToken(created.text.match(/\/invite\/([A-Za-z0-9_-]{43})/)?.[1] ?? "");
      const cross = await postForm(s.url, "/councils/skaraborg/members", { intent: "resend", invitationId: other.id }, leader);
      expect(cross.status).toBe(404);
      expect(await invitationByToken(created.text.match(/\/invite\/([A-Za-z0-9_-]{43})/)?.[1] ?? "")).toEqual(other);
    });

    it("a member cannot send invitations again (403), and nothing is mailed", async () => {
      const token = await inviteOk({ email: "inte.av.ledamot@example.se" });
      const inv = await invitationByToken(token);
      const member = await login(s.url, "ledamot@samsyn.test");
      const mailsBefore = (await readOutbox(s)).length;
      const res = await postForm(s.url, "/councils/skaraborg/members", { intent: "resend", invitationId: inv.id }, member);
      expect(res.status).toBe(403);
      expect((await readOutbox(s)).length).toBe(mailsBefore);
      expect((await get(s.url, `/invite/${token}`)).status).toBe(200);
    });
  });

  describe("adjuncts", () => {
    it("an adjunct invite without dates is refused with 400 and no invitation", async () => {
      const before = await count("invitations");
      const { res } = await invite({ email: "adjunkt.utan@example.se", role: "adjunct" });
      expect(res.status).toBe(400);
      expect(fieldError(res.text, "validFrom")).toBe(MSG.required);
      expect(fieldError(res.text, "validTo")).toBe(MSG.required);
      expect(res.text).not.toMatch(/\/invite\//);
      // Only one date is not enough either.
      const half = await invite({ email: "adjunkt.utan@example.se", role: "adjunct", validFrom: plusDays(0) });
      expect(half.res.status).toBe(400);
      expect(fieldError(half.res.text, "validTo")).toBe(MSG.required);
      expect(await count("invitations")).toBe(before);
    });

    it("an adjunct invite whose end is before its start is refused with 400", async () => {
      const before = await count("invitations");
      const { res } = await invite({ email: "adjunkt.bakvand@example.se", role: "adjunct", validFrom: plusDays(30), validTo: plusDays(10) });
      expect(res.status).toBe(400);
      expect(fieldError(res.text, "validTo")).toBe(MSG.dateOrder);
      // The typed values are kept.
      expect(res.text).toContain(`value="${plusDays(30)}"`);
      const past = await invite({ email: "adjunkt.bakvand@example.se", role: "adjunct", validFrom: plusDays(-30), validTo: plusDays(-1) });
      expect(past.res.status).toBe(400);
      expect(fieldError(past.res.text, "validTo")).toBe(MSG.datePast);
      const bogus = await invite({ email: "adjunkt.bakvand@example.se", role: "adjunct", validFrom: "2025-02-30", validTo: plusDays(10) });
      expect(bogus.res.status).toBe(400);
      expect(fieldError(bogus.res.text, "validFrom")).toBe("Ange ett datum som ÅÅÅÅ-MM-DD.");
      expect(await count("invitations")).toBe(before);
    });

    it("an adjunct invite with valid dates works, and the membership carries the period", async () => {
      const email = "adjunkt.giltig@example.se";
      const from = stockholmToday();
      const to = plusDays(90);
      const token = await inviteOk({ email, role: "adjunct", validFrom: from, validTo: to, organisation: "Almi Skaraborg", perspective: "other" });
      expect(await invitationByToken(token)).toMatchObject({ role: "adjunct", valid_from: from, valid_to: to });
      const accept = await acceptNew(token, { name: "Adam Adjunkt" });
      expect(accept.status).toBe(302);
      const ms = await membershipsOf(email);
      expect(ms).toHaveLength(1);
      expect(ms[0]).toMatchObject({ role: "adjunct", valid_from: from, valid_to: to, organisation: "Almi Skaraborg" });
      const page = await get(s.url, "/councils/skaraborg", cookiesFrom(accept.headers));
      expect(page.status).toBe(200);
      expect(textOf(page.text)).toContain("Din roll: Adjungerad");
    });

    it("an adjunct whose period starts later may join now but is told it has not started (not that it has ended)", async () => {
      const email = "adjunkt.senare@example.se";
      const from = plusDays(10);
      const token = await inviteOk({ email, role: "adjunct", validFrom: from, validTo: plusDays(40) });
      const accept = await acceptNew(token, { name: "Sixten Senare" });
      expect(accept.status).toBe(302);
      expect((await membershipsOf(email))[0]).toMatchObject({ role: "adjunct", valid_from: from });
      const page = await get(s.url, "/councils/skaraborg", cookiesFrom(accept.headers));
      expect(page.status).toBe(403);
      const text = textOf(page.text);
      expect(text).toContain("Din adjungering i rådet har inte börjat ännu.");
      expect(text).not.toContain("Din adjungering i rådet har upphört.");
      expect(text).not.toContain("Teknikföretagen Skaraborg");
      // The home page tells the start date.
      expect(textOf((await get(s.url, "/", cookiesFrom(accept.headers))).text)).toContain("Adjungeringen börjar");
    });

    it("dates sent with a non-adjunct role are not stored", async () => {
      const token = await inviteOk({ email: "ledamot.med.datum@example.se", role: "member", validFrom: plusDays(0), validTo: plusDays(5) });
      expect(await invitationByToken(token)).toMatchObject({ role: "member", valid_from: null, valid_to: null });
    });
  });

  describe("refusals when inviting", () => {
    it("inviting someone who is already a member gives 409 and no invitation", async () => {
      for (const email of ["ledamot@samsyn.test", "LEDAMOT@samsyn.test", "oskar.dahl@samsyn.test", "processledare@samsyn.test"]) {
        const before = await count("invitations");
        const { res } = await invite({ email });
        expect(res.status, email).toBe(409);
        expect(fieldError(res.text, "email")).toBe(MSG.alreadyMember);
        expect(await count("invitations")).toBe(before);
      }
    });

    it("refuses the role process_leader, an unknown perspective and a bad address with 400", async () => {
      const before = await count("invitations");
      const leaderRole = await invite({ email: "blivande.ledare@example.se", role: "process_leader" });
      expect(leaderRole.res.status).toBe(400);
      expect(fieldError(leaderRole.res.text, "role")).toBe("Välj en roll.");
      const persp = await invite({ email: "x@example.se", perspective: "pirate" });
      expect(persp.res.status).toBe(400);
      expect(fieldError(persp.res.text, "perspective")).toBe("Välj ett perspektiv.");
      const bad = await invite({ email: "inte en adress" });
      expect(bad.res.status).toBe(400);
      expect(fieldError(bad.res.text, "email")).toBe("Ange en giltig e-postadress, t.ex. namn@exempel.se.");
      const noOrg = await invite({ email: "x@example.se", organisation: " " });
      expect(noOrg.res.status).toBe(400);
      expect(fieldError(noOrg.res.text, "organisation")).toBe(MSG.required);
      expect(await count("invitations")).toBe(before);
    });
  });

  describe("an invite for an address that already has an account", () => {
    const email = "ledamot.fyrbodal@samsyn.test";
    let token: string;
    let fatimaId: string;

    beforeAll(async () => {
      token = await inviteOk({ email, role: "observer", organisation: "Högskolan Väst", perspective: "education" });
      fatimaId = (await userByEmail(email))!.id;
    });

    it("asks for that account's password instead of a new one", async () => {
      const res = await get(s.url, `/invite/${token}`);
      expect(res.status).toBe(200);
      const text = textOf(res.text);
      expect(text).toContain("Inbjudan till Kompetensråd Skaraborg");
      expect(text).toContain(`Det finns redan ett konto för ${email}. Ange lösenordet för kontot för att gå med.`);
      expect(res.text).not.toMatch(/name="name"/);
      expect(res.text).not.toMatch(/name="passwordConfirm"/);
      expect(res.text).toMatch(/name="password"/);
    });

    it("refuses a wrong password and adds nothing", async () => {
      const memberships = await count("memberships");
      const users = await count("users");
      const res = await postForm(s.url, `/invite/${token}`, { password: "fel-losenord-helt-och-hallet" });
      expect(res.status).toBe(401);
      expect(textOf(res.text)).toContain(MSG.loginFailed);
      expect(res.text).not.toContain("fel-losenord-helt-och-hallet");
      expect(res.headers.getSetCookie().some((c) => c.startsWith("samsyn_session="))).toBe(false);
      // A "new account" form post does not get around it.
      const asNew = await acceptNew(token, { name: "Kapare", password: "ett-helt-annat-losenord", passwordConfirm: "ett-helt-annat-losenord" });
      expect(asNew.status).toBe(401);
      expect(await count("memberships")).toBe(memberships);
      expect(await count("users")).toBe(users);
      expect((await membershipsOf(email)).map((m) => m.slug)).toEqual(["fyrbodal"]);
      expect((await invitationByToken(token)).accepted_at).toBeNull();
      // Her own password still works: the account was not changed.
      expect(await login(s.url, email)).toContain("samsyn_session=");
    });

    it("with the right password adds the membership to the existing account", async () => {
      const users = await count("users");
      const res = await postForm(s.url, `/invite/${token}`, { password: DEMO_PASSWORD });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/councils/skaraborg");
      const cookie = cookiesFrom(res.headers);
      expect(cookie).toContain("samsyn_session=");
      expect(await count("users")).toBe(users);

      const ms = await membershipsOf(email);
      expect(ms.map((m) => `${m.slug}:${m.role}`).sort()).toEqual(["fyrbodal:member", "skaraborg:observer"]);
      expect(ms.every((m) => m.user_id === fatimaId)).toBe(true);
      expect((await invitationByToken(token)).accepted_by).toBe(fatimaId);
      expect((await userByEmail(email))!.name).toBe("Fatima Ali");

      const skaraborg = await get(s.url, "/councils/skaraborg", cookie);
      expect(skaraborg.status).toBe(200);
      expect(textOf(skaraborg.text)).toContain("Din roll: Observatör");
      expect((await get(s.url, "/councils/fyrbodal", cookie)).status).toBe(200);
    });
  });

  describe("signed in while opening an invite", () => {
    it("a link for someone else refuses the signed-in account with 403", async () => {
      const token = await inviteOk({ email: "nagon.annan@example.se" });
      const observer = await login(s.url, "observator@samsyn.test");
      const page = await get(s.url, `/invite/${token}`, observer);
      expect(page.status).toBe(200);
      expect(textOf(page.text)).toContain("Inbjudan gäller nagon.annan@example.se, men du är inloggad med ett annat konto. Logga ut först.");
      const memberships = await count("memberships");
      const post = await postForm(s.url, `/invite/${token}`, {}, observer);
      expect(post.status).toBe(403);
      expect(textOf(post.text)).toContain(MSG.otherAccount);
      expect(await count("memberships")).toBe(memberships);
      expect((await invitationByToken(token)).accepted_at).toBeNull();
    });

    it("a link for the signed-in account joins with one click", async () => {
      const token = await inviteOk({ email: "anna.lund@samsyn.test", role: "observer", organisation: "Västsvenska Handelskammaren", perspective: "employer" });
      const anna = await login(s.url, "anna.lund@samsyn.test");
      expect((await get(s.url, "/councils/skaraborg", anna)).status).toBe(404);
      const page = await get(s.url, `/invite/${token}`, anna);
      expect(textOf(page.text)).toContain("Du är inloggad som Anna Lund. Gå med i rådet med det här kontot?");
      const post = await postForm(s.url, `/invite/${token}`, {}, anna);
      expect(post.status).toBe(302);
      expect(post.headers.get("location")).toBe("/councils/skaraborg");
      expect((await get(s.url, "/councils/skaraborg", anna)).status).toBe(200);
    });
  });

  describe("choosing a password", () => {
    const email = "losenord.test@example.se";
    let token: string;
    beforeAll(async () => {
      token = await inviteOk({ email });
    });

    const cases: { what: string; fields: Record<string, string>; field: string; message: string }[] = [
      { what: "a 9-character password", fields: { password: "kort12345", passwordConfirm: "kort12345" }, field: "password", message: MSG.passwordShort },
      { what: "an empty password", fields: { password: "", passwordConfirm: "" }, field: "password", message: MSG.passwordShort },
      {
        what: "a confirmation that does not match",
        fields: { password: GOOD_PASSWORD, passwordConfirm: `${GOOD_PASSWORD}x` },
        field: "passwordConfirm",
        message: MSG.passwordMismatch,
      },
      { what: "a missing name", fields: { name: "  " }, field: "name", message: MSG.required },
    ];
    for (const c of cases) {
      it(`refuses ${c.what} with 400 and creates no user`, async () => {
        const users = await count("users");
        const sessions = await count("sessions");
        const res = await acceptNew(token, { name: "Lova Lösenord", ...c.fields });
        expect(res.status).toBe(400);
        expect(fieldError(res.text, c.field)).toBe(c.message);
        // Passwords are never echoed back.
        if (c.fields.password) expect(res.text).not.toContain(c.fields.password);
        expect(res.headers.getSetCookie().some((h) => h.startsWith("samsyn_session="))).toBe(false);
        expect(await count("users")).toBe(users);
        expect(await count("sessions")).toBe(sessions);
        expect(await userByEmail(email)).toBeUndefined();
        expect((await invitationByToken(token)).accepted_at).toBeNull();
      });
    }

    it("after the refusals the link still works", async () => {
      const res = await acceptNew(token, { name: "Lova Lösenord" });
      expect(res.status).toBe(302);
      expect(await membershipsOf(email)).toHaveLength(1);
    });
  });

  describe("concurrency", () => {
    for (const round of [1, 2, 3]) {
      it(`two simultaneous acceptances of one link: exactly one succeeds (round ${round})`, async () => {
        const email = `samtidig.${round}@example.se`;
        const token = await inviteOk({ email });
        const users = await count("users");
        const memberships = await count("memberships");
        const [a, b] = await Promise.all([acceptNew(token, { name: "Första Fia" }), acceptNew(token, { name: "Andra Anna" })]);
        const statuses = [a.status, b.status].sort();
        expect(statuses).toEqual([302, 410]);
        const loser = a.status === 410 ? a : b;
        expect(textOf(loser.text)).toContain(MSG.used);
        expect(loser.headers.getSetCookie().some((h) => h.startsWith("samsyn_session="))).toBe(false);

        expect(await count("users")).toBe(users + 1);
        expect(await count("memberships")).toBe(memberships + 1);
        const winner = a.status === 302 ? "Första Fia" : "Andra Anna";
        expect((await userByEmail(email))!.name).toBe(winner);
        expect(await membershipsOf(email)).toHaveLength(1);
      });
    }
  });
});
