// Demo working group (arbetsgrupp) in Skaraborg: tied to the priority areas that
// hold validation and vocational adult education, convened by Maria Andersson,
// with the adjunct Ingrid Larsson among its members and one upcoming group
// meeting. Made through the domain functions, so audit, activity and the group
// members' notifications are the real ones.
import { DateTime } from "luxon";
import type { Db } from "./index";
import { addAgendaItem } from "../server/domain/agenda";
import { nullSink } from "../server/domain/events";
import { createGroup } from "../server/domain/groups";
import { conveneMeeting, createMeeting, setRsvp } from "../server/domain/meetings";
import { stockholmToUtc, ZONE } from "../server/domain/time";

export const DEMO_GROUP = "Arbetsgrupp validering och yrkesvux";

export async function seedGroups(db: Db, users: Map<string, string>, now: Date): Promise<void> {
  const deps = { db, events: nullSink };
  const council = await db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow();
  const year = DateTime.fromJSDate(now).setZone(ZONE).year;
  const plan = await db.selectFrom("plans").select("id").where("council_id", "=", council.id).where("year", "=", year).executeTakeFirstOrThrow();
  const areas = await db
    .selectFrom("plan_areas")
    .select(["id", "title"])
    .where("plan_id", "=", plan.id)
    .where("title", "in", ["Matchning och omställning på arbetsmarknaden", "Attraktiva och behovsanpassade utbildningar"])
    .execute();
  const leader = users.get("processledare@samsyn.test")!;
  const convener = users.get("maria.andersson@samsyn.test")!;
  const days = (n: number) => new Date(now.getTime() + n * 86_400_000);
  const group = await createGroup(
    deps,
    {
      councilId: council.id,
      actorId: leader,
      name: DEMO_GROUP,
      description:
        "Gruppen samordnar validering av yrkeskompetens och planeringen av yrkesvux i Skaraborg, och bereder rådets beslut i frågorna.",
      areaIds: areas.map((a) => a.id),
      convenerId: convener,
      memberIds: ["ahmed.hassan@samsyn.test", "sara.ek@samsyn.test", "ingrid.larsson@samsyn.test"].map((e) => users.get(e)!),
    },
    days(-21),
  );

  // The group's next meeting: a Thursday about three weeks ahead, convened a few days ago.
  const today = DateTime.fromJSDate(now).setZone(ZONE).startOf("day");
  const day = today.plus({ days: 21 + ((4 - today.weekday + 7) % 7) }).toISODate()!;
  const meeting = await createMeeting(
    deps,
    {
      councilId: council.id,
      groupId: group.id,
      actorId: convener,
      title: "Gruppmöte: validering inom industrin",
      location: "Skövde kommun, vuxenutbildningen",
      videoUrl: null,
      description: "Läget för valideringen inom svets och CNC, och hur handledarbristen kan lösas.",
      startsAt: stockholmToUtc(day, "10:00")!,
      endsAt: stockholmToUtc(day, "12:00")!,
    },
    days(-5),
  );
  for (const [title, minutes, presenter] of [
    ["Läget för valideringen inom svets och CNC", 40, "Ahmed Hassan"],
    ["Handledare från industrin: förslag till rådet", 50, "Maria Andersson"],
  ] as const) {
    await addAgendaItem(
      deps,
      { councilId: council.id, meetingId: meeting.id, actorId: convener, title, kind: "discussion", presenter, minutes, planAreaId: null, planActionId: null, asProposal: false },
      days(-5),
    );
  }
  await conveneMeeting(deps, { councilId: council.id, meetingId: meeting.id, actorId: convener }, days(-4));
  await setRsvp(deps, { councilId: council.id, meetingId: meeting.id, userId: users.get("ingrid.larsson@samsyn.test")!, response: "attending", note: "" }, days(-3));
}
