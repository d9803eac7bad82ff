// A person's own account (issue #16) through real HTTP and the outbox: "Glömt
// lösenord?" end to end (one answer for known and unknown addresses, a single-use
// link valid for an hour, other sessions ended, throttled), and /settings: a new
// name, a new password (current one required, other sessions ended) and a new
// e-mail address confirmed by a link sent to it. The e-mails are parsed back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestPasswordReset, resetPassword } from "../../server/domain/account";
import { hashToken } from "../../server/domain/ids";
import { fieldError, textOf } from "../helpers/html";
import { cookiesFrom, get, login, postForm } from "../helpers/http";
import { linkIn, readOutbox } from "../helpers/outbox";
import { DEMO_PASSWORD, startTestServer, type TestServer } from "../helpers/server";

describe("accounts: reset, password, name and e-mail", { timeout: 60_000 }, () => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  const outbox = () => readOutbox(s);
  const mailsTo = async (to: string) => (await outbox()).filter((m) => m.to === to);
  const signedIn = async (cookie: string) => (await get(s.url, "/api/v1/me", cookie)).status === 200;

  it("the login page links to 'Glömt lösenord?', and the form answers alike for a known and an unknown address", async () => {
    expect(textOf((await get(s.url, "/login")).text)).toContain("Glömt lösenord?");
    const page = await get(s.url, "/forgot-password");
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("Skriv den e-postadress du loggar in med.");

    const known = await postForm(s.url, "/forgot-password", { email: "Ledamot@Samsyn.test" });
    const unknown = await postForm(s.url, "/forgot-password", { email: "ingen.alls@samsyn.test" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    const answer = (html: string) => textOf(html).match(/Om adressen finns hos oss[^.]*\./)?.[0];
    expect(answer(known.text)).toBe("Om adressen finns hos oss har vi skickat en länk till den.");
    expect(answer(unknown.text)).toBe(answer(known.text));
    // Only the known address got an e-mail; nothing stored for the unknown one.
    const mails = await outbox();
    expect(mails.map((m) => m.to)).toEqual(["ledamot@samsyn.test"]);
    expect(mails[0].subject).toBe("Återställ ditt lösenord i Samsyn");
    expect(mails[0].text).toContain("Hej Anders Johansson!");
    expect(mails[0].html).toContain('<a href="http://127.0.0.1:');
    // A bad address is refused with a message, not answered as sent.
    const bad = await postForm(s.url, "/forgot-password", { email: "inte-en-adress" });
    expect(bad.status).toBe(400);
    expect(fieldError(bad.text, "email")).toBeTruthy();
  });

  it("the link sets a new password once: other sessions end, the person is signed in, the old password and the link stop working", async () => {
    const elsewhere = await login(s.url, "ledamot@samsyn.test");
    expect(await signedIn(elsewhere)).toBe(true);
    const [mail] = await mailsTo("ledamot@samsyn.test");
    const link = linkIn(mail, "reset-password");
    // Only the hash is stored.
    const row = await s.db.selectFrom("account_tokens").selectAll().where("purpose", "=", "password_reset").executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(link.token));
    expect(JSON.stringify(row)).not.toContain(link.token);

    // Opening the link (a mail scanner does) uses nothing up.
    expect((await get(s.url, link.path)).status).toBe(200);
    expect((await get(s.url, link.path)).status).toBe(200);
    // Too short, or not repeated alike: refused with the field's message.
    const short = await postForm(s.url, link.path, { password: "kort", passwordConfirm: "kort" });
    expect(short.status).toBe(400);
    expect(fieldError(short.text, "password")).toBe("Lösenordet måste ha minst 10 tecken.");
    const mismatch = await postForm(s.url, link.path, { password: "ett nytt lösenord", passwordConfirm: "ett annat lösenord" });
    expect(fieldError(mismatch.text, "passwordConfirm")).toBeTruthy();

    const done = await postForm(s.url, link.path, { password: "ett nytt lösenord", passwordConfirm: "ett nytt lösenord" });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/");
    const fresh = cookiesFrom(done.headers);
    expect(await signedIn(fresh)).toBe(true);
    expect(await signedIn(elsewhere)).toBe(false);
    // The old password no longer signs in; the new one does.
    expect((await postForm(s.url, "/login", { email: "ledamot@samsyn.test", password: DEMO_PASSWORD })).status).toBe(401);
    await login(s.url, "ledamot@samsyn.test", "ett nytt lösenord");
    // An address confirmation link never resets a password, nor the other way round.
    expect((await get(s.url, `/confirm-email/${link.token}`)).status).toBe(410);
    // Used once.
    const again = await get(s.url, link.path);
    expect(again.status).toBe(410);
    expect(textOf(again.text)).toContain("Länken har redan använts eller har gått ut.");
    expect((await postForm(s.url, link.path, { password: "ett tredje lösenord", passwordConfirm: "ett tredje lösenord" })).status).toBe(410);
    const audit = await s.db.selectFrom("audit_log").select("action").where("action", "=", "user.password_reset").execute();
    expect(audit).toHaveLength(1);
  });

  it("a link expires after an hour, and a newer request replaces an older link", async () => {
    const t0 = new Date("2026-12-01T10:00:00Z");
    const first = await requestPasswordReset(s.db, "maria.andersson@samsyn.test", t0);
    const second = await requestPasswordReset(s.db, "maria.andersson@samsyn.test", t0);
    await expect(resetPassword(s.db, first!.token, "ett nytt lösenord", new Date(t0.getTime() + 60_000))).rejects.toThrow("account.resetInvalid");
    await expect(resetPassword(s.db, second!.token, "ett nytt lösenord", new Date(t0.getTime() + 3600_000 + 1))).rejects.toThrow("account.resetInvalid");
    expect((await get(s.url, `/reset-password/${second!.token}`)).status).toBe(410);
    expect((await get(s.url, "/reset-password/not-a-token")).status).toBe(410);
  });

  it("is throttled like signing in: the sixth request for one address within 15 minutes gets 429", async () => {
    const email = "sara.ek@samsyn.test";
    for (let i = 0; i < 5; i++) expect((await postForm(s.url, "/forgot-password", { email })).status).toBe(200);
    const sixth = await postForm(s.url, "/forgot-password", { email });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(textOf(sixth.text)).toContain("För många förfrågningar.");
    // The same for an unknown address: the throttle tells nothing about who exists.
    for (let i = 0; i < 5; i++) await postForm(s.url, "/forgot-password", { email: "okand@samsyn.test" });
    expect((await postForm(s.url, "/forgot-password", { email: "okand@samsyn.test" })).status).toBe(429);
  });

  it("settings: a new name shows at once; a new password needs the current one and ends the other sessions", async () => {
    const me = await login(s.url, "per.holm@samsyn.test");
    const other = await login(s.url, "per.holm@samsyn.test");
    const named = await postForm(s.url, "/settings", { intent: "name", name: "Per Holm-Lind" }, me);
    expect(named.status).toBe(200);
    expect(textOf(named.text)).toContain("Namnet är sparat.");
    expect(JSON.parse((await get(s.url, "/api/v1/me", me)).text).name).toBe("Per Holm-Lind");
    expect((await postForm(s.url, "/settings", { intent: "name", name: "" }, me)).status).toBe(400);

    const wrong = await postForm(s.url, "/settings", { intent: "password", currentPassword: "fel lösenord", password: "per holms nya lösenord", passwordConfirm: "per holms nya lösenord" }, me);
    expect(wrong.status).toBe(400);
    expect(fieldError(wrong.text, "currentPassword")).toBe("Lösenordet stämmer inte.");
    // No password is ever echoed back into the page.
    expect(wrong.text).not.toContain("fel lösenord");
    expect(wrong.text).not.toContain("per holms nya lösenord");
    expect(await signedIn(other)).toBe(true);

    const changed = await postForm(s.url, "/settings", { intent: "password", currentPassword: DEMO_PASSWORD, password: "per holms nya lösenord", passwordConfirm: "per holms nya lösenord" }, me);
    expect(changed.status).toBe(200);
    expect(textOf(changed.text)).toContain("Lösenordet är bytt.");
    expect(await signedIn(me)).toBe(true);
    expect(await signedIn(other)).toBe(false);
    await login(s.url, "per.holm@samsyn.test", "per holms nya lösenord");
  });

  it("settings: a new e-mail address changes only once the link sent to it is confirmed; a taken address is refused", async () => {
    const me = await login(s.url, "lena.svensson@samsyn.test");
    const taken = await postForm(s.url, "/settings", { intent: "email", newEmail: "ledamot@samsyn.test", emailPassword: DEMO_PASSWORD }, me);
    expect(taken.status).toBe(409);
    expect(fieldError(taken.text, "newEmail")).toBe("Adressen används redan av ett annat konto.");
    const wrongPassword = await postForm(s.url, "/settings", { intent: "email", newEmail: "lena@vgregion.test", emailPassword: "fel" }, me);
    expect(fieldError(wrongPassword.text, "emailPassword")).toBe("Lösenordet stämmer inte.");

    const asked = await postForm(s.url, "/settings", { intent: "email", newEmail: "Lena@VGRegion.test", emailPassword: DEMO_PASSWORD }, me);
    expect(asked.status).toBe(200);
    expect(textOf(asked.text)).toContain("Vi har skickat en länk till lena@vgregion.test.");
    const [mail] = await mailsTo("lena@vgregion.test");
    expect(mail.subject).toBe("Bekräfta din nya e-postadress i Samsyn");
    const link = linkIn(mail, "confirm-email");
    // Not changed yet; opening the link changes nothing either.
    const page = await get(s.url, link.path);
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("bekräfta att du vill logga in med lena@vgregion.test");
    expect(JSON.parse((await get(s.url, "/api/v1/me", me)).text).email).toBe("lena.svensson@samsyn.test");

    const confirmed = await postForm(s.url, link.path, {});
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("location")).toBe(link.path);
    expect(textOf((await get(s.url, link.path)).text)).toContain("Din e-postadress är nu lena@vgregion.test.");
    expect(JSON.parse((await get(s.url, "/api/v1/me", me)).text).email).toBe("lena@vgregion.test");
    await login(s.url, "lena@vgregion.test");
    expect((await postForm(s.url, "/login", { email: "lena.svensson@samsyn.test", password: DEMO_PASSWORD })).status).toBe(401);
    // A second click changes nothing more; another person's later change makes the link void.
    expect((await postForm(s.url, link.path, {})).status).toBe(302);
    expect(await s.db.selectFrom("audit_log").select("id").where("action", "=", "user.email_changed").execute()).toHaveLength(1);
    const audit = await s.db.selectFrom("audit_log").select(["before_json", "after_json"]).where("action", "=", "user.email_changed").executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!)).toEqual({ email: "lena@vgregion.test" });
  });

  it("an anonymised person's links are gone", async () => {
    const reset = await requestPasswordReset(s.db, "oskar.dahl@samsyn.test");
    const user = await s.db.selectFrom("users").select("id").where("email", "=", "oskar.dahl@samsyn.test").executeTakeFirstOrThrow();
    const { anonymiseUser } = await import("../../server/domain/personal-data");
    const admin = await s.db.selectFrom("users").select("id").where("email", "=", "admin@samsyn.test").executeTakeFirstOrThrow();
    await anonymiseUser({ db: s.db, events: s.server.bus }, { userId: user.id, actorId: admin.id });
    expect(await s.db.selectFrom("account_tokens").select("id").where("user_id", "=", user.id).execute()).toEqual([]);
    expect((await get(s.url, `/reset-password/${reset!.token}`)).status).toBe(410);
  });
});
