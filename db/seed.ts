// Demo installation: two councils of the Västra Götaland competence platform.
// Runs once, on an empty database (SAMSYN_DEMO=0 skips it).
import { DateTime } from "luxon";
import type { Db } from "./index";
import { LOCK, withLock } from "./locks";
import type { Perspective, Role } from "./schema";
import { hashPassword } from "../server/auth/password";
import { planToJson } from "../server/domain/plan-doc";
import { createPlan, planDocName, writeProjection } from "../server/domain/plans";
import { nullSink } from "../server/domain/events";
import { docStoreFor, loadDoc } from "../server/collab/store";
import { saveAgendaTemplate, STANDARD_TEMPLATE } from "../server/domain/agenda-templates";
import { fyrbodalPlan, previousYear, resolvePlan, skaraborgPlan } from "./seed-plans";
import { adoptPlan } from "../server/domain/revisions";
import { recordFollowup } from "../server/domain/followups";
import { insertIndicatorValues } from "../server/domain/indicators";
import { seedCouncilLife } from "./seed-life";
import { seedStatements } from "./seed-statements";
import { seedGroups } from "./seed-groups";
import { seedMeetings } from "./seed-meetings";
import { newId } from "../server/domain/ids";
import { ZONE } from "../server/domain/time";

export const DEMO_PASSWORD = "samsyn-demo";

export const DEMO_LOGINS = [
  { email: "admin@samsyn.test", what: "site admin / webbplatsadministratör" },
  { email: "processledare@samsyn.test", what: "process leader, Skaraborg" },
  { email: "ledamot@samsyn.test", what: "member, Skaraborg" },
  { email: "observator@samsyn.test", what: "observer, Skaraborg" },
  { email: "ledamot.fyrbodal@samsyn.test", what: "member, Fyrbodal only" },
] as const;

const SKARABORG_MANDATE = `Kompetensrådet Skaraborg samlar representanter från många aktörer för att skapa samsyn kring delregionens kompetensbehov samt för matchande åtgärder. Rådets kraft ligger i helhetsperspektivet på Skaraborgs kompetensförsörjning där respektive part, genom sina unika uppdrag och förmågor, bidrar för att uppnå gemensamt uppsatta mål.

Kompetensrådet verkar utifrån en gemensam avsiktsförklaring mellan Västra Götalandsregionen och Skaraborgs Kommunalförbund. Avsiktsförklaringen tar avstamp i den regionala och den delregionala utvecklingsstrategin 2030 och den långsiktiga prioriteringen ”Bygga kompetens”, där det övergripande målet är en bättre matchning på arbetsmarknaden.

Rådet skapar förutsättningar för strategisk dialog och omvärldsbevakning mellan organisationer, branscher och nätverk, som blir riktningsgivande för det operativa matchningsarbetet. Det kan ske genom åtgärdsförslag eller gemensamma uttalanden. En strategisk handlingsplan med prioriterade områden tas fram, följs upp kontinuerligt och revideras i slutet av varje år.`;

const FYRBODAL_MANDATE = `Kompetensrådet Fyrbodal är delregionens mötesplats för kompetensförsörjning, där arbetsgivare, utbildningsanordnare, Fyrbodals kommunalförbund, Västra Götalandsregionen och arbetsmarknadens parter gemensamt analyserar behoven och enas om åtgärder.

Rådet verkar utifrån avsiktsförklaringen mellan Västra Götalandsregionen och Fyrbodals kommunalförbund. Arbetet följer en strategisk handlingsplan som följs upp under året och revideras vid årets slut.`;

interface SeedPerson {
  email: string;
  name: string;
  admin?: boolean;
  in: { council: "skaraborg" | "fyrbodal"; role: Role; organisation: string; perspective: Perspective; from?: number; to?: number }[];
}

const PEOPLE: SeedPerson[] = [
  { email: "admin@samsyn.test", name: "Sofia Admin", admin: true, in: [] },
  {
    email: "processledare@samsyn.test",
    name: "Karin Lindqvist",
    in: [{ council: "skaraborg", role: "process_leader", organisation: "Skaraborgs Kommunalförbund", perspective: "municipal_federation" }],
  },
  {
    email: "ledamot@samsyn.test",
    name: "Anders Johansson",
    in: [{ council: "skaraborg", role: "member", organisation: "Teknikföretagen Skaraborg", perspective: "employer" }],
  },
  {
    email: "observator@samsyn.test",
    name: "Eva Berg",
    in: [{ council: "skaraborg", role: "observer", organisation: "Tillväxtverket", perspective: "public_agency" }],
  },
  {
    email: "ledamot.fyrbodal@samsyn.test",
    name: "Fatima Ali",
    in: [{ council: "fyrbodal", role: "member", organisation: "Högskolan Väst", perspective: "education" }],
  },
  {
    email: "maria.andersson@samsyn.test",
    name: "Maria Andersson",
    in: [{ council: "skaraborg", role: "member", organisation: "Högskolan i Skövde", perspective: "education" }],
  },
  {
    email: "ahmed.hassan@samsyn.test",
    name: "Ahmed Hassan",
    in: [{ council: "skaraborg", role: "member", organisation: "Skövde kommun, vuxenutbildningen", perspective: "education" }],
  },
  {
    email: "johan.nilsson@samsyn.test",
    name: "Johan Nilsson",
    in: [
      { council: "skaraborg", role: "member", organisation: "Västra Götalandsregionen", perspective: "region" },
      { council: "fyrbodal", role: "observer", organisation: "Västra Götalandsregionen", perspective: "region" },
    ],
  },
  {
    email: "sara.ek@samsyn.test",
    name: "Sara Ek",
    in: [{ council: "skaraborg", role: "member", organisation: "Arbetsförmedlingen", perspective: "public_agency" }],
  },
  {
    email: "per.holm@samsyn.test",
    name: "Per Holm",
    in: [{ council: "skaraborg", role: "member", organisation: "IF Metall Skaraborg", perspective: "labour_market_party" }],
  },
  {
    email: "lena.svensson@samsyn.test",
    name: "Lena Svensson",
    in: [{ council: "skaraborg", role: "member", organisation: "Skaraborgs Sjukhus", perspective: "employer" }],
  },
  {
    email: "ingrid.larsson@samsyn.test",
    name: "Ingrid Larsson",
    in: [{ council: "skaraborg", role: "adjunct", organisation: "Kompetensnavet Skaraborg", perspective: "other", from: -30, to: 150 }],
  },
  {
    email: "oskar.dahl@samsyn.test",
    name: "Oskar Dahl",
    in: [{ council: "skaraborg", role: "adjunct", organisation: "Unionen", perspective: "labour_market_party", from: -200, to: -20 }],
  },
  {
    email: "fyrbodal.processledare@samsyn.test",
    name: "Mikael Strand",
    in: [{ council: "fyrbodal", role: "process_leader", organisation: "Fyrbodals kommunalförbund", perspective: "municipal_federation" }],
  },
  {
    email: "anna.lund@samsyn.test",
    name: "Anna Lund",
    in: [{ council: "fyrbodal", role: "member", organisation: "Västsvenska Handelskammaren", perspective: "employer" }],
  },
  {
    email: "henrik.berg@samsyn.test",
    name: "Henrik Berg",
    in: [{ council: "fyrbodal", role: "member", organisation: "Uddevalla kommun, vuxenutbildningen", perspective: "education" }],
  },
  {
    email: "emma.karlsson@samsyn.test",
    name: "Emma Karlsson",
    in: [{ council: "fyrbodal", role: "member", organisation: "Kommunal Fyrbodal", perspective: "labour_market_party" }],
  },
];

export async function isEmpty(db: Db): Promise<boolean> {
  const row = await db.selectFrom("users").select("id").limit(1).executeTakeFirst();
  return !row;
}

export async function seedDemo(db: Db, now = new Date()): Promise<void> {
  const at = now.toISOString();
  const today = DateTime.fromJSDate(now).setZone(ZONE).startOf("day");
  const councils = {
    skaraborg: { id: newId(), slug: "skaraborg", name: "Kompetensråd Skaraborg", sub_region: "Skaraborg", mandate: SKARABORG_MANDATE },
    fyrbodal: { id: newId(), slug: "fyrbodal", name: "Kompetensråd Fyrbodal", sub_region: "Fyrbodal", mandate: FYRBODAL_MANDATE },
  };
  const hashes = await Promise.all(PEOPLE.map(() => hashPassword(DEMO_PASSWORD)));
  const userIdByEmail = new Map(PEOPLE.map((p) => [p.email, newId()]));
  await db.transaction().execute(async (trx) => {
    for (const c of Object.values(councils)) {
      await trx.insertInto("councils").values({ ...c, created_at: at, created_by: null }).execute();
    }
    for (const [i, p] of PEOPLE.entries()) {
      const userId = userIdByEmail.get(p.email)!;
      await trx
        .insertInto("users")
        .values({
          id: userId,
          email: p.email,
          name: p.name,
          password_hash: hashes[i],
          is_site_admin: p.admin ? 1 : 0,
          created_at: at,
          anonymised_at: null,
        })
        .execute();
      for (const m of p.in) {
        await trx
          .insertInto("memberships")
          .values({
            id: newId(),
            council_id: councils[m.council].id,
            user_id: userId,
            role: m.role,
            organisation: m.organisation,
            perspective: m.perspective,
            valid_from: m.from === undefined ? null : today.plus({ days: m.from }).toISODate(),
            valid_to: m.to === undefined ? null : today.plus({ days: m.to }).toISODate(),
            created_at: at,
          })
          .execute();
      }
    }
  });

  // This year's action plans, created as Yjs updates (never re-inserted from JSON).
  const year = today.year;
  const store = docStoreFor(db);
  const plans: { slug: "skaraborg" | "fyrbodal"; year: number; areas: ReturnType<typeof skaraborgPlan>; adopt?: string }[] = [
    // Last year's plan, adopted at a meeting: the comparison with this year's has something to show.
    { slug: "skaraborg", year: year - 1, areas: previousYear(skaraborgPlan()), adopt: `Rådet fastställde handlingsplanen för ${year - 1}.` },
    { slug: "skaraborg", year, areas: skaraborgPlan() },
    { slug: "fyrbodal", year, areas: fyrbodalPlan() },
  ];
  for (const p of plans) {
    const council = councils[p.slug];
    const plan = await createPlan(
      { db, events: nullSink },
      { councilId: council.id, year: p.year, title: `Handlingsplan ${p.year}`, actorId: null, areas: resolvePlan(p.areas, p.year, userIdByEmail, p.slug) },
      // Each year's plan was drafted the December before (its actions' timelines read in order).
      new Date(Math.min(Date.UTC(p.year - 1, 11, 1, 9), now.getTime())),
    );
    const doc = await loadDoc(store, planDocName(plan.id));
    await writeProjection(db, plan.id, planToJson(doc), now);
    doc.destroy();
    if (p.adopt) {
      // No live room while seeding: the stored state is the whole document.
      const freeze = async (name: string, _id: string | null, fn: (state: Uint8Array, trx: Db) => Promise<void>) => {
        const { updates } = await store.load(name);
        await store.freeze(name, () => updates[0]!, fn);
      };
      await adoptPlan({ db, events: nullSink }, { freeze }, { councilId: council.id, year: p.year, actorId: userIdByEmail.get("processledare@samsyn.test")!, decision: p.adopt, meetingId: null }, new Date(Date.UTC(p.year, 0, 20, 10)));
    }
  }

  // This year's follow-up history: reports with comments over the year.
  const current = await db
    .selectFrom("plans")
    .select("id")
    .where("council_id", "=", councils.skaraborg.id)
    .where("year", "=", year)
    .executeTakeFirstOrThrow();
  const reports: [title: string, by: string, daysAgo: number, from: string, to: string, fromP: number, toP: number, comment: string][] = [
    ["Kartlägga bristyrken inom industri och vård", "sara.ek@samsyn.test", 150, "on_track", "done", 80, 100, "Kartläggningen är klar och presenterades på rådsmötet."],
    ["Validering av yrkeskompetens inom svets och CNC", "ahmed.hassan@samsyn.test", 90, "on_track", "at_risk", 30, 35, "Brist på handledare gör att valideringen riskerar att försenas."],
    ["Utöka platserna på undersköterskeutbildningen", "ahmed.hassan@samsyn.test", 60, "at_risk", "delayed", 40, 40, "Regionens beslut om finansiering dröjer."],
    ["Branschvisa rekryteringsträffar för industrin", "ledamot@samsyn.test", 40, "on_track", "on_track", 25, 50, "Två av fyra träffar genomförda, 38 deltagare."],
    ["Remissvar på den regionala utvecklingsstrategins kompetensdel", "johan.nilsson@samsyn.test", 20, "on_track", "delayed", 30, 30, "Remisstiden förlängdes av regionen."],
    ["Branschråd för vård och omsorg startas", "lena.svensson@samsyn.test", 10, "on_track", "at_risk", 20, 20, "Svårt att hitta en ordförande."],
  ];
  for (const [title, by, daysAgo, from, to, fromP, toP, comment] of reports) {
    const action = await db.selectFrom("plan_actions").select("id").where("plan_id", "=", current.id).where("title", "=", title).executeTakeFirst();
    if (!action) continue;
    await recordFollowup(
      db,
      { planId: current.id, actionId: action.id, by: userIdByEmail.get(by) ?? null, source: "report", oldStatus: from, newStatus: to, oldProgress: fromP, newProgress: toP, comment },
      new Date(now.getTime() - daysAgo * 86_400_000),
    );
  }

  // Measured values of this year's indicators (and last year's, for a trend across years).
  const lastYear = await db.selectFrom("plans").select("id").where("council_id", "=", councils.skaraborg.id).where("year", "=", year - 1).executeTakeFirstOrThrow();
  const measured: [indicator: string, by: string, daysAgo: number, value: number, comment: string, plan?: string][] = [
    ["Platser på undersköterskeutbildningen", "ahmed.hassan@samsyn.test", 400, 36, "Vårterminen förra året.", lastYear.id],
    ["Platser på undersköterskeutbildningen", "ahmed.hassan@samsyn.test", 200, 42, "Höstterminens antagning.", current.id],
    ["Platser på undersköterskeutbildningen", "ahmed.hassan@samsyn.test", 60, 44, "Fyra nya platser i Falköping; fler väntar på regionens beslut.", current.id],
    ["Avbrott under utbildningen", "ahmed.hassan@samsyn.test", 200, 20, "", current.id],
    ["Avbrott under utbildningen", "ahmed.hassan@samsyn.test", 60, 17, "Språkstödet har minskat avbrotten.", current.id],
    ["Genomförda rekryteringsträffar", "ledamot@samsyn.test", 120, 1, "Träff i Skövde, 21 deltagare.", current.id],
    ["Genomförda rekryteringsträffar", "ledamot@samsyn.test", 40, 2, "Träff i Lidköping, 17 deltagare.", current.id],
    ["Anställningar inom sex månader efter en träff", "ledamot@samsyn.test", 40, 9, "Enligt arbetsgivarnas uppgifter.", current.id],
    ["Antal arbetsgivare som bidragit med prognoser", "processledare@samsyn.test", 90, 25, "Enkäten stängde i september.", current.id],
    ["Kartlagda företag", "ingrid.larsson@samsyn.test", 150, 6, "", current.id],
    ["Kartlagda företag", "ingrid.larsson@samsyn.test", 80, 14, "", current.id],
    ["Kartlagda företag", "ingrid.larsson@samsyn.test", 15, 19, "Tre företag till har tackat ja.", current.id],
  ];
  for (const [name, by, daysAgo, value, comment, planId] of measured) {
    const indicator = await db.selectFrom("plan_indicators").select(["id", "action_id"]).where("plan_id", "=", planId!).where("name", "=", name).executeTakeFirst();
    if (!indicator) continue;
    const at = new Date(now.getTime() - daysAgo * 86_400_000);
    await insertIndicatorValues(
      db,
      { councilId: councils.skaraborg.id, planId: planId!, actionId: indicator.action_id, by: userIdByEmail.get(by) ?? null, values: [{ indicatorId: indicator.id, date: DateTime.fromJSDate(at, { zone: ZONE }).toISODate()!, value, comment }] },
      at,
    );
  }

  await seedMeetings(db, { skaraborg: councils.skaraborg.id, fyrbodal: councils.fyrbodal.id }, userIdByEmail, now);
  for (const council of [councils.skaraborg, councils.fyrbodal]) {
    await saveAgendaTemplate(db, { councilId: council.id, actorId: null, ...STANDARD_TEMPLATE }, now);
  }
  await seedStatements(db, councils.skaraborg.id, userIdByEmail, now);
  await seedCouncilLife(db, userIdByEmail, now);
  // After the council life: the demo member's inbox points at the council's own next meeting.
  await seedGroups(db, userIdByEmail, now);
  // The demo's past was never e-mailed: its notifications (meeting notices go by e-mail
  // by default) stay in the app, so a fresh demo does not mail its own history.
  await db.updateTable("notifications").set({ email_state: "none" }).where("email_state", "=", "pending").execute();
}

/**
 * First start: seed the demo installation if the database is empty, once. Several
 * nodes may start at the same moment on one PostgreSQL database; "is it empty? then
 * seed" runs under an advisory lock, so the second node waits and then finds it
 * seeded (docs/decisions/037). Returns whether this call seeded.
 */
export async function seedDemoOnce(db: Db, now = new Date()): Promise<boolean> {
  return withLock(db, LOCK.seed, async () => {
    if (!(await isEmpty(db))) return false;
    await seedDemo(db, now);
    return true;
  });
}
