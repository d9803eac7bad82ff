// socket.io over a real server: authentication of the connection, the rooms each
// person joins, and which sockets hear about membership changes made through the
// members page form.
import { DateTime } from "luxon";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ZONE } from "../../server/domain/time";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { Client, EVENT_TIMEOUT_MS } from "../helpers/socket";

/** How long to keep listening for an event that must not come, after a positive control arrived elsewhere. */
const SILENCE_MS = 300;

/** Wait for a connect_error, failing if the connection is accepted or nothing happens in time. */
function expectConnectError(c: Client): Promise<Error> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("neither connect nor connect_error")), EVENT_TIMEOUT_MS);
    c.socket.once("connect_error", (err) => {
      clearTimeout(timer);
      resolve(err);
    });
    c.socket.once("connect", () => {
      clearTimeout(timer);
      reject(new Error("connection was accepted"));
    });
    c.socket.connect();
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("realtime (socket.io)", () => {
  let s: TestServer;
  let councilId: Record<"skaraborg" | "fyrbodal", string>;
  const cookies = new Map<string, string>();
  const open: Client[] = [];

  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };

  const client = (headers: Record<string, string>) => {
    const c = new Client(s.url, headers);
    open.push(c);
    return c;
  };

  /** Connect as `email` and wait for the `ready` event (rooms joined). */
  const connectAs = async (email: string) => {
    const c = client({ cookie: await cookieFor(email), origin: s.url });
    c.socket.connect();
    const ready = await c.waitFor<{ userId: string; councils: string[] }>("ready");
    return { c, ready };
  };

  const membershipId = async (email: string, slug: "skaraborg" | "fyrbodal") =>
    (
      await s.db
        .selectFrom("memberships as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .select("m.id")
        .where("u.email", "=", email)
        .where("m.council_id", "=", councilId[slug])
        .executeTakeFirstOrThrow()
    ).id;

  /** Submit the members page form as a process leader, as a browser without JS would. */
  const membersForm = async (leader: string, slug: "skaraborg" | "fyrbodal", fields: Record<string, string>) => {
    const res = await postForm(s.url, `/councils/${slug}/members`, fields, await cookieFor(leader));
    expect(res.status, res.text.slice(0, 500)).toBe(200);
    return res;
  };

  const changeRole = (leader: string, slug: "skaraborg" | "fyrbodal", id: string, role: string, validFrom = "", validTo = "") =>
    membersForm(leader, slug, { intent: "changeRole", membershipId: id, role, validFrom, validTo });

  beforeAll(async () => {
    s = await startTestServer();
    const rows = await s.db.selectFrom("councils").select(["id", "slug"]).execute();
    councilId = Object.fromEntries(rows.map((r) => [r.slug, r.id])) as typeof councilId;
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(() => s?.close());

  describe("connecting", () => {
    it("refuses a connection without a session cookie with connect_error 'unauthorized'", async () => {
      const c = client({ origin: s.url });
      const err = await expectConnectError(c);
      expect(err.message).toBe("unauthorized");
      expect(c.received("ready")).toEqual([]);
    });

    it("refuses a tampered cookie and a signed-out cookie with 'unauthorized'", async () => {
      const good = await login(s.url, "ledamot@samsyn.test");
      const tampered = client({ origin: s.url, cookie: good.replace(/.$/, (ch) => (ch === "A" ? "B" : "A")) });
      expect((await expectConnectError(tampered)).message).toBe("unauthorized");

      expect((await postForm(s.url, "/logout", {}, good)).status).toBe(302);
      const signedOut = client({ origin: s.url, cookie: good });
      expect((await expectConnectError(signedOut)).message).toBe("unauthorized");
    });

    it("refuses a connection from a foreign Origin even with a valid cookie", async () => {
      const c = client({ origin: "https://evil.example", cookie: await cookieFor("ledamot@samsyn.test") });
      await expectConnectError(c);
      expect(c.socket.connected).toBe(false);
      expect(c.received("ready")).toEqual([]);
    });

    it("Johan's ready event lists both his councils", async () => {
      const { ready } = await connectAs("johan.nilsson@samsyn.test");
      const user = await s.db.selectFrom("users").select("id").where("email", "=", "johan.nilsson@samsyn.test").executeTakeFirstOrThrow();
      expect(ready.userId).toBe(user.id);
      expect([...ready.councils].sort()).toEqual(["fyrbodal", "skaraborg"]);
    });

    it.each([
      ["oskar.dahl@samsyn.test", []],
      ["ingrid.larsson@samsyn.test", ["skaraborg"]],
      ["ledamot.fyrbodal@samsyn.test", ["fyrbodal"]],
      ["observator@samsyn.test", ["skaraborg"]],
      ["admin@samsyn.test", []],
    ])("%s is ready with councils %j", async (email, expected) => {
      const { ready } = await connectAs(email);
      expect(ready.councils).toEqual(expected);
    });
  });

  describe("membership events", () => {
    it("a role change in Skaraborg reaches Skaraborg's sockets and no one else's", async () => {
      const member = await connectAs("ledamot@samsyn.test");
      const both = await connectAs("johan.nilsson@samsyn.test");
      const changed = await connectAs("maria.andersson@samsyn.test");
      const fyrbodalOnly = await connectAs("ledamot.fyrbodal@samsyn.test");
      const ended = await connectAs("oskar.dahl@samsyn.test");
      const all = [member, both, changed, fyrbodalOnly, ended];
      const marks = all.map(({ c }) => c.mark());

      const id = await membershipId("maria.andersson@samsyn.test", "skaraborg");
      const res = await changeRole("processledare@samsyn.test", "skaraborg", id, "observer");
      expect(res.text).toContain("Maria Andersson");
      const row = await s.db.selectFrom("memberships").select("role").where("id", "=", id).executeTakeFirstOrThrow();
      expect(row.role).toBe("observer");

      const expected = { councilId: councilId.skaraborg };
      expect(await member.c.waitFor("council:members-changed", marks[0])).toEqual(expected);
      expect(await both.c.waitFor("council:members-changed", marks[1])).toEqual(expected);
      // The person whose role changed is still in the council (as observer) and hears it too.
      expect(await changed.c.waitFor("council:members-changed", marks[2])).toEqual(expected);

      await sleep(SILENCE_MS);
      expect(fyrbodalOnly.c.events.slice(marks[3])).toEqual([]);
      expect(ended.c.events.slice(marks[4])).toEqual([]);
      // Nobody lost access, so nobody was told so.
      for (const [i, { c }] of all.entries()) expect(c.received("council:access-revoked", marks[i])).toEqual([]);
    });

    it("a role change in Fyrbodal reaches Fyrbodal's sockets and not Skaraborg-only ones", async () => {
      const fyrbodalOnly = await connectAs("ledamot.fyrbodal@samsyn.test");
      const both = await connectAs("johan.nilsson@samsyn.test");
      const skaraborgOnly = await connectAs("ledamot@samsyn.test");
      const m = [fyrbodalOnly.c.mark(), both.c.mark(), skaraborgOnly.c.mark()];

      const id = await membershipId("anna.lund@samsyn.test", "fyrbodal");
      await changeRole("fyrbodal.processledare@samsyn.test", "fyrbodal", id, "observer");

      const expected = { councilId: councilId.fyrbodal };
      expect(await fyrbodalOnly.c.waitFor("council:members-changed", m[0])).toEqual(expected);
      expect(await both.c.waitFor("council:members-changed", m[1])).toEqual(expected);
      await sleep(SILENCE_MS);
      expect(skaraborgOnly.c.events.slice(m[2])).toEqual([]);
    });

    it("a refused change (a leader of another council) sends nothing", async () => {
      const member = await connectAs("ledamot@samsyn.test");
      const control = await connectAs("ledamot.fyrbodal@samsyn.test");
      const [m0, m1] = [member.c.mark(), control.c.mark()];
      const id = await membershipId("sara.ek@samsyn.test", "skaraborg");

      // Fyrbodal's leader is not in Skaraborg: the council does not exist for them.
      const refused = await postForm(
        s.url,
        "/councils/skaraborg/members",
        { intent: "changeRole", membershipId: id, role: "observer", validFrom: "", validTo: "" },
        await cookieFor("fyrbodal.processledare@samsyn.test"),
      );
      expect(refused.status).toBe(404);
      // Nor can a Skaraborg id be changed through Fyrbodal's page.
      const crossCouncil = await postForm(
        s.url,
        "/councils/fyrbodal/members",
        { intent: "changeRole", membershipId: id, role: "observer", validFrom: "", validTo: "" },
        await cookieFor("fyrbodal.processledare@samsyn.test"),
      );
      expect(crossCouncil.status).toBe(404);
      expect((await s.db.selectFrom("memberships").select("role").where("id", "=", id).executeTakeFirstOrThrow()).role).toBe("member");

      // Positive control in the other council, then silence in Skaraborg.
      await changeRole("fyrbodal.processledare@samsyn.test", "fyrbodal", await membershipId("henrik.berg@samsyn.test", "fyrbodal"), "observer");
      await control.c.waitFor("council:members-changed", m1);
      await sleep(SILENCE_MS);
      expect(member.c.events.slice(m0)).toEqual([]);
    });

    it("a removed member is told access was revoked, and hears nothing more from that council", async () => {
      const removed = await connectAs("per.holm@samsyn.test");
      const member = await connectAs("ledamot@samsyn.test");
      expect(removed.ready.councils).toEqual(["skaraborg"]);
      const [r0, m0] = [removed.c.mark(), member.c.mark()];

      const id = await membershipId("per.holm@samsyn.test", "skaraborg");
      const res = await membersForm("processledare@samsyn.test", "skaraborg", { intent: "remove", membershipId: id });
      expect(res.text).toContain("Per Holm");
      expect(await s.db.selectFrom("memberships").select("id").where("id", "=", id).executeTakeFirst()).toBeUndefined();
      const audit = await s.db
        .selectFrom("audit_log")
        .select(["action", "council_id"])
        .where("action", "=", "membership.removed")
        .where("subject", "=", removed.ready.userId)
        .execute();
      expect(audit).toEqual([{ action: "membership.removed", council_id: councilId.skaraborg }]);

      expect(await removed.c.waitFor("council:access-revoked", r0)).toEqual({ councilId: councilId.skaraborg });
      expect(await member.c.waitFor("council:members-changed", m0)).toEqual({ councilId: councilId.skaraborg });

      // Later changes in Skaraborg: the member hears them (positive control), the removed person does not.
      const [r1, m1] = [removed.c.mark(), member.c.mark()];
      await changeRole("processledare@samsyn.test", "skaraborg", await membershipId("lena.svensson@samsyn.test", "skaraborg"), "observer");
      expect(await member.c.waitFor("council:members-changed", m1)).toEqual({ councilId: councilId.skaraborg });
      await sleep(SILENCE_MS);
      expect(removed.c.events.slice(r1)).toEqual([]);
      // The only council event the removed person ever got was the revocation.
      expect(removed.c.received("council:members-changed", r0)).toEqual([]);
      expect(removed.c.socket.connected).toBe(true);

      // Over HTTP too, the council is gone for them; a new connection lists no council.
      expect((await get(s.url, "/councils/skaraborg", await cookieFor("per.holm@samsyn.test"))).status).toBe(404);
      const again = await connectAs("per.holm@samsyn.test");
      expect(again.ready.councils).toEqual([]);
    });

    it("a role change that ends a member's access (adjunct period not yet begun) revokes it live", async () => {
      const affected = await connectAs("ahmed.hassan@samsyn.test");
      const member = await connectAs("ledamot@samsyn.test");
      const [a0, m0] = [affected.c.mark(), member.c.mark()];

      const today = DateTime.now().setZone(ZONE).startOf("day");
      const id = await membershipId("ahmed.hassan@samsyn.test", "skaraborg");
      await changeRole("processledare@samsyn.test", "skaraborg", id, "adjunct", today.plus({ days: 7 }).toISODate()!, today.plus({ days: 60 }).toISODate()!);
      const councils = await get(s.url, "/api/v1/councils", await cookieFor("ahmed.hassan@samsyn.test"));
      expect(JSON.parse(councils.text)).toEqual([]);

      expect(await member.c.waitFor("council:members-changed", m0)).toEqual({ councilId: councilId.skaraborg });
      expect(await affected.c.waitFor("council:access-revoked", a0)).toEqual({ councilId: councilId.skaraborg });

      const [a1, m1] = [affected.c.mark(), member.c.mark()];
      await changeRole("processledare@samsyn.test", "skaraborg", await membershipId("observator@samsyn.test", "skaraborg"), "member");
      await member.c.waitFor("council:members-changed", m1);
      await sleep(SILENCE_MS);
      expect(affected.c.events.slice(a1)).toEqual([]);
    });

    it("an ended adjunct given a new period joins the council's room at once", async () => {
      const oskar = await connectAs("oskar.dahl@samsyn.test");
      expect(oskar.ready.councils).toEqual([]);
      const o0 = oskar.c.mark();

      const today = DateTime.now().setZone(ZONE).startOf("day");
      const id = await membershipId("oskar.dahl@samsyn.test", "skaraborg");
      await changeRole("processledare@samsyn.test", "skaraborg", id, "adjunct", today.toISODate()!, today.plus({ days: 30 }).toISODate()!);
      expect(await oskar.c.waitFor("council:members-changed", o0)).toEqual({ councilId: councilId.skaraborg });
      expect(oskar.c.received("council:access-revoked", o0)).toEqual([]);

      // And hears the next change in the council, without reconnecting.
      const o1 = oskar.c.mark();
      await changeRole("processledare@samsyn.test", "skaraborg", await membershipId("observator@samsyn.test", "skaraborg"), "observer");
      expect(await oskar.c.waitFor("council:members-changed", o1)).toEqual({ councilId: councilId.skaraborg });
    });
  });
});
