// Working groups (issue #6) over a real server, with plain form posts as a browser
// without JavaScript sends them: only the process leader creates and changes
// groups; validation errors come back per field in Swedish or English; a group's
// page shows its members and the current plan's actions in its areas to everyone
// in the council and to nobody outside it; a group meeting's notifications reach
// exactly the group's members who have access (expected lists written out by
// hand from the seed), and its convener manages the group's meetings but not the
// council's.
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationKind } from "../../db/schema";
import { DEMO_GROUP } from "../../db/seed-groups";
import { ZONE } from "../../server/domain/time";
import { fieldError, textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { recipients as recipientsOf } from "../helpers/notifications";
import { startTestServer, type TestServer } from "../helpers/server";
import { connect, synced, waitFor, type Client } from "../helpers/yjs";

const LEADER = "processledare@samsyn.test"; // Karin Lindqvist
const MEMBER = "ledamot@samsyn.test"; // Anders Johansson, in no group
const OBSERVER = "observator@samsyn.test";
const MARIA = "maria.andersson@samsyn.test"; // the demo group's convener
const AHMED = "ahmed.hassan@samsyn.test";
const SARA = "sara.ek@samsyn.test";
const INGRID = "ingrid.larsson@samsyn.test"; // adjunct, period running
const OSKAR = "oskar.dahl@samsyn.test"; // adjunct, period ended
const FYRBODAL_MEMBER = "ledamot.fyrbodal@samsyn.test";
const FYRBODAL_LEADER = "fyrbodal.processledare@samsyn.test";

/** The current plan's actions in the demo group's two areas (seed-plans.ts), and some that are not. */
const GROUP_ACTIONS = [
  "Branschvisa rekryteringsträffar för industrin",
  "Validering av yrkeskompetens inom svets och CNC",
  "Samordnad information om omställningsstöd",
  "Mentorprogram för utrikes födda ingenjörer",
  "Utöka platserna på undersköterskeutbildningen",
  "Praktikplatser inom Skaraborgs Sjukhus för SFI-studerande",
  "Språkombud på arbetsplatser i äldreomsorgen",
  "Gemensam planering av yrkesvux i Skaraborgs kommuner",
  "Ansökan om nya YH-utbildningar inom automation",
  "Branschråd för vård och omsorg startas",
  "Studie- och yrkesvägledning med arbetsgivarbesök",
  "Teknikcollege-certifiering för ytterligare två skolor",
  "Kampanj om vårdyrken riktad till unga",
];
const OTHER_ACTIONS = ["Ta fram en årlig kompetensbehovsanalys för Skaraborg", "Nätverk för HR-ansvariga i Skaraborg"];

describe("working groups", { timeout: 90_000 }, () => {
  let s: TestServer;
  let councilId: string;
  let demoGroupId: string;
  const cookies = new Map<string, string>();
  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const userId = async (email: string) => (await s.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  const day = (offset: number) => DateTime.now().setZone(ZONE).plus({ days: offset }).toISODate()!;
  const areaId = async (title: string) =>
    (
      await s.db
        .selectFrom("plan_areas as a")
        .innerJoin("plans as p", "p.id", "a.plan_id")
        .select("a.id")
        .where("p.council_id", "=", councilId)
        .where("p.year", "=", DateTime.now().setZone(ZONE).year)
        .where("a.title", "=", title)
        .executeTakeFirstOrThrow()
    ).id;

  const recipients = (kind: NotificationKind, marker: string) => recipientsOf(s.db, kind, marker);

  const groupsPost = async (fields: Record<string, string>, email = LEADER, slug = "skaraborg") =>
    postForm(s.url, `/councils/${slug}/groups`, { intent: "create", ...fields }, await cookieFor(email));
  const groupPost = async (groupId: string, fields: Record<string, string>, email = LEADER) =>
    postForm(s.url, `/councils/skaraborg/groups/${groupId}`, fields, await cookieFor(email));
  const meetingPost = async (id: string, fields: Record<string, string>, email = LEADER) =>
    postForm(s.url, `/councils/skaraborg/meetings/${id}`, fields, await cookieFor(email));
  const meetingFields = (title: string, offset: number, start = "09:00") => ({
    title,
    date: day(offset),
    startTime: start,
    endTime: "11:00",
    location: "Skövde",
    videoUrl: "",
    description: "",
  });
  /** A draft meeting of the group, created through the group page's form; returns its id. */
  async function createGroupMeeting(groupId: string, title: string, email: string, offset = 30): Promise<string> {
    const res = await groupPost(groupId, { intent: "createMeeting", ...meetingFields(title, offset) }, email);
    expect(res.status, res.text.slice(0, 300)).toBe(302);
    const location = res.headers.get("location")!;
    expect(location).toMatch(/^\/councils\/skaraborg\/meetings\/[0-9a-f-]{36}$/);
    return location.split("/").pop()!;
  }

  beforeAll(async () => {
    s = await startTestServer();
    councilId = (await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id;
    demoGroupId = (await s.db.selectFrom("working_groups").select("id").where("name", "=", DEMO_GROUP).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await s?.close();
  });

  it("the demo data has a working group: convener, members with the adjunct, two areas and an upcoming group meeting", async () => {
    const members = await s.db
      .selectFrom("working_group_members as gm")
      .innerJoin("users as u", "u.id", "gm.user_id")
      .select(["u.email", "gm.role"])
      .where("gm.group_id", "=", demoGroupId)
      .execute();
    expect(members.map((m) => `${m.email}:${m.role}`).sort()).toEqual([`${AHMED}:member`, `${INGRID}:member`, `${MARIA}:convener`, `${SARA}:member`]);
    const areas = (await s.db.selectFrom("working_group_areas").select("area_id").where("group_id", "=", demoGroupId).execute()).map((a) => a.area_id).sort();
    expect(areas).toEqual([await areaId("Matchning och omställning på arbetsmarknaden"), await areaId("Attraktiva och behovsanpassade utbildningar")].sort());
    const meetings = await s.db.selectFrom("meetings").select(["status", "starts_at"]).where("group_id", "=", demoGroupId).execute();
    expect(meetings).toHaveLength(1);
    expect(meetings[0].status).toBe("convened");
    expect(meetings[0].starts_at! > new Date().toISOString()).toBe(true);
  });

  it("a group meeting's attendance lists the group's members and the leaders, not the whole council", async () => {
    const meeting = await s.db.selectFrom("meetings").select("id").where("group_id", "=", demoGroupId).executeTakeFirstOrThrow();
    const page = await get(s.url, `/councils/skaraborg/meetings/${meeting.id}/minutes`, await cookieFor(LEADER));
    expect(page.status).toBe(200);
    const listed = [...new Set([...page.text.matchAll(/name="status-([0-9a-f-]{36})"/g)].map((m) => m[1]))].sort();
    const expected = await Promise.all([LEADER, MARIA, AHMED, SARA, INGRID].map(userId));
    expect(listed).toEqual(expected.sort());
  });

  it("only the process leader creates a group: a member and an observer get 403, another council's leader and someone outside 404", async () => {
    const valid = async () => ({
      name: "Arbetsgrupp behörighet",
      description: "",
      [`area-${await areaId("Kompetensutveckling i arbetslivet")}`]: "on",
      convenerId: await userId(AHMED),
    });
    expect((await groupsPost(await valid(), MEMBER)).status).toBe(403);
    expect((await groupsPost(await valid(), OBSERVER)).status).toBe(403);
    expect((await groupsPost(await valid(), MARIA)).status).toBe(403); // a convener is no leader
    expect((await groupsPost(await valid(), OSKAR)).status).toBe(403); // adjunct period over
    expect((await groupsPost(await valid(), FYRBODAL_LEADER)).status).toBe(404);
    expect((await groupsPost(await valid(), FYRBODAL_MEMBER)).status).toBe(404);
    const anonymous = await postForm(s.url, "/councils/skaraborg/groups", { intent: "create", ...(await valid()) });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login/);
    expect(await s.db.selectFrom("working_groups").select("id").where("name", "=", "Arbetsgrupp behörighet").execute()).toEqual([]);

    // The leader can; the form's convener and members are stored, and creation is audited and in the feed.
    const res = await groupsPost({ ...(await valid()), [`member-${await userId(SARA)}`]: "on", [`member-${await userId(INGRID)}`]: "on" });
    expect(res.status).toBe(302);
    const id = res.headers.get("location")!.match(/groups\/([0-9a-f-]{36})/)![1];
    const members = await s.db.selectFrom("working_group_members").select(["user_id", "role"]).where("group_id", "=", id).execute();
    expect(members.map((m) => `${m.user_id}:${m.role}`).sort()).toEqual(
      [`${await userId(AHMED)}:convener`, `${await userId(SARA)}:member`, `${await userId(INGRID)}:member`].sort(),
    );
    const audit = await s.db.selectFrom("audit_log").select(["actor_id", "after_json"]).where("action", "=", "group.created").where("subject", "=", id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_id).toBe(await userId(LEADER));
    expect(JSON.parse(audit[0].after_json!)).toMatchObject({ name: "Arbetsgrupp behörighet", convener: await userId(AHMED) });
    const page = await get(s.url, res.headers.get("location")!, await cookieFor(LEADER));
    expect(textOf(page.text)).toContain("Arbetsgruppen är skapad.");
    const feed = textOf((await get(s.url, "/councils/skaraborg/activity", await cookieFor(OBSERVER))).text);
    expect(feed).toContain("Karin Lindqvist skapade arbetsgruppen Arbetsgrupp behörighet");
  });

  it("refuses a bad form with per-field errors and an error summary, in Swedish and in English", async () => {
    const empty = await groupsPost({ name: "  ", description: "" });
    expect(empty.status).toBe(400);
    expect(fieldError(empty.text, "g-name")).toBe("Fyll i fältet.");
    expect(fieldError(empty.text, "g-areas")).toBe("Välj minst ett prioriterat område.");
    expect(fieldError(empty.text, "g-convenerId")).toBe("Välj en sammankallande bland rådets ledamöter och adjungerade.");
    expect(empty.text).toContain('href="#g-name"');
    expect(empty.text).toContain('href="#g-areas"');
    expect(textOf(empty.text)).toContain("Det finns problem i formuläret");

    const english = await postForm(s.url, "/councils/skaraborg/groups", { intent: "create", name: "", description: "" }, `${await cookieFor(LEADER)}; samsyn_lang=en`);
    expect(english.status).toBe(400);
    expect(fieldError(english.text, "g-areas")).toBe("Choose at least one priority area.");
    expect(fieldError(english.text, "g-convenerId")).toBe("Choose a convener among the council's members and adjunct parties.");

    const area = await areaId("Kompetensutveckling i arbetslivet");
    const base = { name: "Arbetsgrupp fel", description: "", [`area-${area}`]: "on", convenerId: await userId(AHMED) };
    // An observer writes nothing, so is in no group; nor is someone from another council, nor an adjunct whose period is over.
    const observer = await groupsPost({ ...base, [`member-${await userId(OBSERVER)}`]: "on" });
    expect(observer.status).toBe(400);
    expect(fieldError(observer.text, "g-members")).toBe("Välj medlemmar bland rådets ledamöter och adjungerade.");
    expect((await groupsPost({ ...base, [`member-${await userId(OSKAR)}`]: "on" })).status).toBe(400);
    const outsider = await groupsPost({ ...base, convenerId: await userId(FYRBODAL_MEMBER) });
    expect(outsider.status).toBe(400);
    expect(fieldError(outsider.text, "g-convenerId")).toBe("Välj en sammankallande bland rådets ledamöter och adjungerade.");
    // An area of another council's plan is unknown here.
    const fyrbodalArea = (await s.db.selectFrom("plan_areas as a").innerJoin("plans as p", "p.id", "a.plan_id").innerJoin("councils as c", "c.id", "p.council_id").select("a.id").where("c.slug", "=", "fyrbodal").executeTakeFirstOrThrow()).id;
    const foreign = await groupsPost({ ...base, [`area-${area}`]: "", [`area-${fyrbodalArea}`]: "on" });
    expect(foreign.status).toBe(400);
    expect(fieldError(foreign.text, "g-areas")).toBe("Okänt värde.");
    // The refused form keeps what was typed.
    expect(observer.text).toContain('value="Arbetsgrupp fel"');
    expect(await s.db.selectFrom("working_groups").select("id").where("name", "=", "Arbetsgrupp fel").execute()).toEqual([]);
  });

  it("everyone in the council sees the group page with the plan actions of its areas; nobody outside it does", async () => {
    for (const email of [MEMBER, OBSERVER, INGRID, LEADER]) {
      const res = await get(s.url, `/councils/skaraborg/groups/${demoGroupId}`, await cookieFor(email));
      expect(res.status, email).toBe(200);
      const text = textOf(res.text);
      expect(text).toContain(DEMO_GROUP);
      expect(text).toContain("Maria Andersson, Högskolan i Skövde (sammankallande)");
      for (const name of ["Ahmed Hassan", "Sara Ek", "Ingrid Larsson"]) expect(text).toContain(name);
      for (const title of GROUP_ACTIONS) expect(text, title).toContain(title);
      for (const title of OTHER_ACTIONS) expect(text, title).not.toContain(title);
      expect(text).toContain("Gruppmöte: validering inom industrin");
    }
    // The edit form is the leader's; the new-meeting form the convener's and the leader's.
    const observerPage = (await get(s.url, `/councils/skaraborg/groups/${demoGroupId}`, await cookieFor(OBSERVER))).text;
    expect(observerPage).not.toContain('value="update"');
    expect(observerPage).not.toContain('value="createMeeting"');
    const mariaPage = (await get(s.url, `/councils/skaraborg/groups/${demoGroupId}`, await cookieFor(MARIA))).text;
    expect(mariaPage).not.toContain('value="update"');
    expect(mariaPage).toContain('value="createMeeting"');
    expect(textOf(mariaPage)).toContain("Du är sammankallande i gruppen.");
    const leaderPage = (await get(s.url, `/councils/skaraborg/groups/${demoGroupId}`, await cookieFor(LEADER))).text;
    expect(leaderPage).toContain('value="update"');
    expect(leaderPage).toContain('value="createMeeting"');

    // The list and the council page link the group.
    expect(textOf((await get(s.url, "/councils/skaraborg/groups", await cookieFor(OBSERVER))).text)).toContain(DEMO_GROUP);
    expect((await get(s.url, "/councils/skaraborg", await cookieFor(MEMBER))).text).toContain(`/councils/skaraborg/groups/${demoGroupId}`);

    // Outside the council: not found, whichever way it is asked.
    expect((await get(s.url, `/councils/skaraborg/groups/${demoGroupId}`, await cookieFor(FYRBODAL_MEMBER))).status).toBe(404);
    expect((await get(s.url, `/councils/fyrbodal/groups/${demoGroupId}`, await cookieFor(FYRBODAL_LEADER))).status).toBe(404);
    expect((await get(s.url, "/councils/skaraborg/groups", await cookieFor(FYRBODAL_LEADER))).status).toBe(404);
    expect(textOf((await get(s.url, "/councils/fyrbodal/groups", await cookieFor(FYRBODAL_LEADER))).text)).not.toContain(DEMO_GROUP);
    expect((await get(s.url, `/councils/skaraborg/groups/${demoGroupId}`, await cookieFor(OSKAR))).status).toBe(403);
    expect((await get(s.url, `/councils/skaraborg/groups/${demoGroupId}`)).status).toBe(302);
    // The group's meeting: a Fyrbodal person does not get it either.
    const meetingId = (await s.db.selectFrom("meetings").select("id").where("group_id", "=", demoGroupId).executeTakeFirstOrThrow()).id;
    expect((await get(s.url, `/councils/skaraborg/meetings/${meetingId}`, await cookieFor(FYRBODAL_MEMBER))).status).toBe(404);
    const meetingPage = textOf((await get(s.url, `/councils/skaraborg/meetings/${meetingId}`, await cookieFor(MEMBER))).text);
    expect(meetingPage).toContain(`Arbetsgrupp ${DEMO_GROUP}`);
  });

  it("a group meeting's notifications reach exactly the group's members who have access", async () => {
    // Convened: the group but the convener who did it; not the leader, the other members, the observer or Fyrbodal.
    const id = await createGroupMeeting(demoGroupId, "Gruppnotis A", MARIA);
    expect(await recipients("meeting_convened", "Gruppnotis A")).toEqual([]);
    expect((await meetingPost(id, { intent: "convene" }, MARIA)).status).toBe(200);
    expect(await recipients("meeting_convened", "Gruppnotis A")).toEqual([AHMED, INGRID, SARA]);
    const [row] = await s.db.selectFrom("notifications").select("params_json").where("kind", "=", "meeting_convened").where("params_json", "like", "%Gruppnotis A%").execute();
    expect(JSON.parse(row.params_json)).toMatchObject({ title: "Gruppnotis A", group: DEMO_GROUP });

    // Ingrid's adjunct period ends: the move no longer reaches her, though she is still listed in the group.
    const ingrid = await userId(INGRID);
    const before = await s.db.selectFrom("memberships").select(["valid_from", "valid_to"]).where("user_id", "=", ingrid).where("council_id", "=", councilId).executeTakeFirstOrThrow();
    await s.db.updateTable("memberships").set({ valid_from: day(-60), valid_to: day(-1) }).where("user_id", "=", ingrid).where("council_id", "=", councilId).execute();
    try {
      const moved = await meetingPost(id, { intent: "update", ...meetingFields("Gruppnotis A", 31, "13:00"), endTime: "15:00" }, MARIA);
      expect(moved.status).toBe(200);
      expect(await recipients("meeting_moved", "Gruppnotis A")).toEqual([AHMED, SARA]);
      // The leader moves it back: the convener hears now, as a member of the group.
      expect((await meetingPost(id, { intent: "update", ...meetingFields("Gruppnotis A", 30) }, LEADER)).status).toBe(200);
      expect((await recipients("meeting_moved", "Gruppnotis A")).filter((e) => e === MARIA)).toEqual([MARIA]);
    } finally {
      await s.db.updateTable("memberships").set(before).where("user_id", "=", ingrid).where("council_id", "=", councilId).execute();
    }

    // An agenda proposal from a group member goes to those who manage the meeting: the leader and the convener.
    const propose = (email: string, title: string) => meetingPost(id, { intent: "addAgenda", title, kind: "discussion", minutes: "15", presenter: "", planLink: "" }, email);
    expect((await propose(AHMED, "Gruppförslag om handledare")).status).toBe(200);
    expect(await recipients("agenda_proposed", "Gruppförslag om handledare")).toEqual([MARIA, LEADER].sort());
    // Someone outside the group proposes nothing to it, nor answers for it.
    expect((await propose(MEMBER, "Utomstående förslag")).status).toBe(403);
    expect((await meetingPost(id, { intent: "rsvp", response: "attending", note: "" }, MEMBER)).status).toBe(403);
    expect((await meetingPost(id, { intent: "rsvp", response: "attending", note: "" }, OBSERVER)).status).toBe(403);
    expect((await meetingPost(id, { intent: "rsvp", response: "attending", note: "" }, SARA)).status).toBe(200);

    expect((await meetingPost(id, { intent: "cancel", reason: "Krockar med rådsmötet" }, MARIA)).status).toBe(200);
    expect(await recipients("meeting_cancelled", "Gruppnotis A")).toEqual([AHMED, INGRID, SARA]);
  });

  it("a group's time poll asks the group's members, and its reminder reaches only those of them who have not answered", async () => {
    const id = await createGroupMeeting(demoGroupId, "Gruppnotis B", MARIA, 40);
    const res = await meetingPost(
      id,
      { intent: "createPoll", slot0Date: day(40), slot0Start: "09:00", slot0End: "10:00", slot1Date: day(41), slot1Start: "09:00", slot1End: "10:00", deadlineDate: day(10) },
      MARIA,
    );
    expect(res.status).toBe(200);
    expect(await recipients("poll_opened", "Gruppnotis B")).toEqual([AHMED, INGRID, SARA]);
    // The draft with its poll is open to the group, and still to nobody else but the leaders.
    expect((await get(s.url, `/councils/skaraborg/meetings/${id}`, await cookieFor(AHMED))).status).toBe(200);
    expect((await get(s.url, `/councils/skaraborg/meetings/${id}`, await cookieFor(MEMBER))).status).toBe(404);
    expect((await get(s.url, `/councils/skaraborg/meetings/${id}`, await cookieFor(OBSERVER))).status).toBe(404);

    const slots = await s.db.selectFrom("poll_slots as sl").innerJoin("polls as p", "p.id", "sl.poll_id").select(["sl.id", "p.deadline"]).where("p.meeting_id", "=", id).orderBy("sl.position").execute();
    const answers = Object.fromEntries(slots.map((sl) => [`answer-${sl.id}`, "yes"]));
    expect((await meetingPost(id, { intent: "answerPoll", ...answers }, AHMED)).status).toBe(200);
    // The draft does not exist for a member outside the group, whatever they ask of it (requireMeeting): 404, as for its page.
    expect((await meetingPost(id, { intent: "answerPoll", ...answers }, MEMBER)).status).toBe(404);
    const deadline = new Date(slots[0].deadline);
    await s.server.jobs.run(new Date(deadline.getTime() - 12 * 3600_000));
    // The convener too (she may answer like anyone in the group); not the council's leader or members outside the group.
    expect(await recipients("poll_deadline", "Gruppnotis B")).toEqual([INGRID, MARIA, SARA]);

    // Choosing the slot calls nobody yet (decision 027); convening it, the next step, tells the group.
    expect((await meetingPost(id, { intent: "chooseSlot", slotId: slots[0].id }, MARIA)).status).toBe(200);
    expect(await recipients("meeting_convened", "Gruppnotis B")).toEqual([]);
    expect((await meetingPost(id, { intent: "convene" }, MARIA)).status).toBe(200);
    expect(await recipients("meeting_convened", "Gruppnotis B")).toEqual([AHMED, INGRID, SARA]);
  });

  it("the convener manages the group's meetings but not the council's; other group members manage neither", async () => {
    const councilDraft = await postForm(s.url, "/councils/skaraborg/meetings", { intent: "create", ...meetingFields("Rådets eget utkast", 50) }, await cookieFor(LEADER));
    expect(councilDraft.status).toBe(302);
    const councilId_ = councilDraft.headers.get("location")!.split("/").pop()!;
    // Maria convenes no council meeting, creates none, and does not see the council's drafts.
    expect((await meetingPost(councilId_, { intent: "convene" }, MARIA)).status).toBe(404);
    expect((await get(s.url, `/councils/skaraborg/meetings/${councilId_}`, await cookieFor(MARIA))).status).toBe(404);
    expect((await postForm(s.url, "/councils/skaraborg/meetings", { intent: "create", ...meetingFields("Konvenentens rådsmöte", 50) }, await cookieFor(MARIA))).status).toBe(403);
    // Nor another group's meetings.
    const other = (await s.db.selectFrom("working_groups").select("id").where("name", "=", "Arbetsgrupp behörighet").executeTakeFirstOrThrow()).id;
    expect((await groupPost(other, { intent: "createMeeting", ...meetingFields("Fel grupp", 50) }, MARIA)).status).toBe(403);

    // In her own group she drafts, sees her draft, edits it and convenes it; Ahmed (member, not convener) cannot.
    expect((await groupPost(demoGroupId, { intent: "createMeeting", ...meetingFields("Ahmeds möte", 50) }, AHMED)).status).toBe(403);
    const id = await createGroupMeeting(demoGroupId, "Gruppens utkast", MARIA, 50);
    expect((await get(s.url, `/councils/skaraborg/meetings/${id}`, await cookieFor(MARIA))).status).toBe(200);
    expect((await get(s.url, `/councils/skaraborg/meetings/${id}`, await cookieFor(AHMED))).status).toBe(404);
    expect(textOf((await get(s.url, "/councils/skaraborg/meetings", await cookieFor(MARIA))).text)).toContain("Gruppens utkast");
    expect(textOf((await get(s.url, "/councils/skaraborg/meetings", await cookieFor(AHMED))).text)).not.toContain("Gruppens utkast");
    // A draft they do not see: 404, as for its page (requireMeeting).
    expect((await meetingPost(id, { intent: "convene" }, AHMED)).status).toBe(404);
    expect((await meetingPost(id, { intent: "convene" }, MEMBER)).status).toBe(404);
    expect((await meetingPost(id, { intent: "convene" }, MARIA)).status).toBe(200);
    expect((await s.db.selectFrom("meetings").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("convened");
    // The council's meetings list shows the group's meeting with the group's name, to everyone.
    expect(textOf((await get(s.url, "/councils/skaraborg/meetings", await cookieFor(OBSERVER))).text)).toContain(`Gruppens utkast`);
    // The feed says a group met.
    const feed = textOf((await get(s.url, "/councils/skaraborg/activity", await cookieFor(OBSERVER))).text);
    expect(feed).toContain(`Maria Andersson kallade ${DEMO_GROUP} till Gruppens utkast`);

    // Once she is no longer convener (the leader changes the group), she manages nothing.
    const area = await areaId("Matchning och omställning på arbetsmarknaden");
    const res = await groupPost(demoGroupId, {
      intent: "update",
      name: DEMO_GROUP,
      description: "",
      [`area-${area}`]: "on",
      convenerId: await userId(AHMED),
      [`member-${await userId(MARIA)}`]: "on",
      [`member-${await userId(SARA)}`]: "on",
      [`member-${await userId(INGRID)}`]: "on",
    });
    expect(res.status).toBe(200);
    expect((await meetingPost(id, { intent: "cancel", reason: "Ny sammankallande" }, MARIA)).status).toBe(403);
    expect((await meetingPost(id, { intent: "cancel", reason: "Ny sammankallande" }, AHMED)).status).toBe(200);
    const audit = await s.db.selectFrom("audit_log").select(["before_json", "after_json"]).where("action", "=", "group.updated").where("subject", "=", demoGroupId).execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0].before_json!)).toMatchObject({ convener: await userId(MARIA) });
    expect(JSON.parse(audit[0].after_json!)).toMatchObject({ convener: await userId(AHMED), areas: [area] });
  });

  it("a member taken out of the group stops writing its meeting's minutes at once; the group's other members go on", async () => {
    const meeting = await s.db
      .selectFrom("meetings")
      .select("id")
      .where("group_id", "=", demoGroupId)
      .where("status", "=", "convened")
      .orderBy("starts_at")
      .executeTakeFirstOrThrow();
    const clients: Client[] = [];
    const open = async (email: string) => {
      const c = connect(s.url, `doc:${meeting.id}`, await cookieFor(email));
      clients.push(c);
      await synced(c);
      return c;
    };
    try {
      const sara = await open(SARA);
      const maria = await open(MARIA);
      const leader = await open(LEADER);
      const seen = () => leader.doc.getText("probe").toString();
      sara.doc.getText("probe").insert(0, "S");
      await waitFor(() => seen().includes("S"), "Sara's write while in the group");
      // The leader takes Sara out of the group (its other members and areas stay as they are).
      const current = await s.db.selectFrom("working_group_members").select(["user_id", "role"]).where("group_id", "=", demoGroupId).execute();
      const areas = await s.db.selectFrom("working_group_areas").select("area_id").where("group_id", "=", demoGroupId).execute();
      const saraId = await userId(SARA);
      expect(current.map((m) => m.user_id)).toContain(saraId);
      const res = await groupPost(demoGroupId, {
        intent: "update",
        name: DEMO_GROUP,
        description: "",
        convenerId: current.find((m) => m.role === "convener")!.user_id,
        ...Object.fromEntries(areas.map((a) => [`area-${a.area_id}`, "on"])),
        ...Object.fromEntries(current.filter((m) => m.role === "member" && m.user_id !== saraId).map((m) => [`member-${m.user_id}`, "on"])),
      });
      expect(res.status).toBe(200);
      // Her open editor is not closed (the council reads a group's minutes), but her writes are dropped from now on.
      const dropped = s.server.collab.stats().droppedWrites;
      for (let i = 0; s.server.collab.stats().droppedWrites === dropped; i++) {
        expect(i, "Sara's writes are refused within a second").toBeLessThan(50);
        sara.doc.getText("probe").insert(0, "x");
        await new Promise((r) => setTimeout(r, 20));
      }
      sara.doc.getText("probe").insert(0, "EFTER");
      maria.doc.getText("probe").insert(0, "M");
      await waitFor(() => seen().includes("M"), "Maria's write, still in the group");
      expect(seen()).not.toContain("EFTER");
      expect(sara.provider.wsconnected).toBe(true);
    } finally {
      for (const c of clients) c.destroy();
    }
  });

  it("only the leader changes or deletes a group; a group with meetings is kept", async () => {
    const other = (await s.db.selectFrom("working_groups").select("id").where("name", "=", "Arbetsgrupp behörighet").executeTakeFirstOrThrow()).id;
    expect((await groupPost(other, { intent: "delete" }, AHMED)).status).toBe(403); // its convener
    expect((await groupPost(other, { intent: "update", name: "Kapad" }, MEMBER)).status).toBe(403);
    expect((await postForm(s.url, `/councils/skaraborg/groups/${other}`, { intent: "delete" }, await cookieFor(FYRBODAL_LEADER))).status).toBe(404);
    const kept = await groupPost(demoGroupId, { intent: "delete" });
    expect(kept.status).toBe(409);
    expect(textOf(kept.text)).toContain("Arbetsgruppen har möten och kan inte tas bort.");
    const gone = await groupPost(other, { intent: "delete" });
    expect(gone.status).toBe(302);
    expect(gone.headers.get("location")).toBe("/councils/skaraborg/groups");
    expect(await s.db.selectFrom("working_groups").select("id").where("id", "=", other).execute()).toEqual([]);
    expect(await s.db.selectFrom("audit_log").select("id").where("action", "=", "group.deleted").where("subject", "=", other).execute()).toHaveLength(1);
  });
});
