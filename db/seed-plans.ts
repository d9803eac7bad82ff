import { createHash } from "node:crypto";
// Demo action plans (handlingsplaner) for the current year, in the spirit of the
// seed texts: priority areas → goals → actions with owners, dates and status.
import type { ActionInit, IndicatorDirection, IndicatorInit } from "../server/domain/plan-doc";

type Owner = string; // demo e-mail of the responsible person
/** An indicator as the demo writes it: the plan's year gives its dates (baseline at the year's start, target at its end). */
interface Ind {
  name: string;
  unit: string;
  baseline: number;
  target: number;
  direction: IndicatorDirection;
}
const ind = (name: string, unit: string, baseline: number, target: number, direction: IndicatorDirection = "higher"): Ind => ({ name, unit, baseline, target, direction });
type A = Omit<ActionInit, "responsibleUserId" | "startDate" | "dueDate" | "indicators"> & { owner?: Owner; start?: string; due?: string; indicators?: Ind[] };
interface G {
  title: string;
  actions: A[];
}
interface Area {
  title: string;
  description: string;
  goals: G[];
}

export function skaraborgPlan(): Area[] {
  return [
    {
      title: "Strategisk påverkan och omvärldsbevakning",
      description: "Rådet samlar kunskap om kompetensbehoven i Skaraborg och driver gemensamma frågor mot region och stat.",
      goals: [
        {
          title: "En gemensam bild av delregionens kompetensbehov",
          actions: [
            { title: "Ta fram en årlig kompetensbehovsanalys för Skaraborg", description: "Sammanställ statistik från Arbetsförmedlingen, SCB och regionen med arbetsgivarnas egna prognoser.\n\nResultatet presenteras på rådets höstmöte.", responsibleOrg: "Skaraborgs Kommunalförbund", owner: "processledare@samsyn.test", start: "01-15", due: "10-31", status: "on_track", progress: 60, indicators: [ind("Antal arbetsgivare som bidragit med prognoser", "arbetsgivare", 12, 40)] },
            { title: "Genomföra omvärldsbevakning två gånger per år", description: "Inbjudna talare om teknikskiften, elektrifiering och vårdens kompetensbehov.", responsibleOrg: "Västra Götalandsregionen", owner: "johan.nilsson@samsyn.test", start: "02-01", due: "11-30", status: "on_track", progress: 50 },
            { title: "Kartlägga bristyrken inom industri och vård", responsibleOrg: "Arbetsförmedlingen", owner: "sara.ek@samsyn.test", start: "03-01", due: "06-30", status: "done", progress: 100 },
          ],
        },
        {
          title: "Rådet talar med en röst i regionala frågor",
          actions: [
            { title: "Gemensamt uttalande om yrkesvux-platser i Skaraborg", description: "Uttalande till regionens utbildningsnämnd om behovet av fler platser inom yrkesvux.", responsibleOrg: "Skaraborgs Kommunalförbund", owner: "processledare@samsyn.test", start: "04-01", due: "05-31", status: "done", progress: 100 },
            { title: "Remissvar på den regionala utvecklingsstrategins kompetensdel", responsibleOrg: "Västra Götalandsregionen", owner: "johan.nilsson@samsyn.test", start: "08-15", due: "09-30", status: "delayed", progress: 30 },
          ],
        },
      ],
    },
    {
      title: "Matchning och omställning på arbetsmarknaden",
      description: "Bättre matchning mellan arbetsgivarnas behov och de arbetssökandes kompetens, med särskilt fokus på omställning i industrin.",
      goals: [
        {
          title: "Fler arbetssökande går vidare till jobb i bristyrken",
          actions: [
            { title: "Branschvisa rekryteringsträffar för industrin", description: "Fyra träffar per år tillsammans med Teknikföretagen och Arbetsförmedlingen.", responsibleOrg: "Teknikföretagen Skaraborg", owner: "ledamot@samsyn.test", start: "02-01", due: "12-15", status: "on_track", progress: 50, indicators: [ind("Genomförda rekryteringsträffar", "träffar", 0, 4), ind("Anställningar inom sex månader efter en träff", "personer", 0, 60)] },
            { title: "Validering av yrkeskompetens inom svets och CNC", responsibleOrg: "Skövde kommun, vuxenutbildningen", owner: "ahmed.hassan@samsyn.test", start: "01-15", due: "09-30", status: "at_risk", progress: 35 },
            { title: "Samordnad information om omställningsstöd", responsibleOrg: "IF Metall Skaraborg", owner: "per.holm@samsyn.test", start: "03-01", due: "08-31", status: "done", progress: 100 },
            { title: "Mentorprogram för utrikes födda ingenjörer", responsibleOrg: "Teknikföretagen Skaraborg", owner: "ledamot@samsyn.test", start: "05-01", due: "12-31", status: "not_started", progress: 0 },
          ],
        },
        {
          title: "Vård och omsorg får den kompetens som behövs",
          actions: [
            { title: "Utöka platserna på undersköterskeutbildningen", responsibleOrg: "Skövde kommun, vuxenutbildningen", owner: "ahmed.hassan@samsyn.test", start: "01-10", due: "08-15", status: "delayed", progress: 40, indicators: [ind("Platser på undersköterskeutbildningen", "platser", 40, 60), ind("Avbrott under utbildningen", "%", 22, 12, "lower")] },
            { title: "Praktikplatser inom Skaraborgs Sjukhus för SFI-studerande", responsibleOrg: "Skaraborgs Sjukhus", owner: "lena.svensson@samsyn.test", start: "02-15", due: "11-30", status: "on_track", progress: 55 },
            { title: "Språkombud på arbetsplatser i äldreomsorgen", responsibleOrg: "Skaraborgs Sjukhus", owner: "lena.svensson@samsyn.test", start: "09-01", due: "12-31", status: "not_started", progress: 0 },
          ],
        },
      ],
    },
    {
      title: "Attraktiva och behovsanpassade utbildningar",
      description: "Utbildningsutbudet i Skaraborg ska svara mot arbetsmarknadens behov, från gymnasiet till högskolan.",
      goals: [
        {
          title: "Utbudet av yrkesutbildningar följer efterfrågan",
          actions: [
            { title: "Gemensam planering av yrkesvux i Skaraborgs kommuner", responsibleOrg: "Skaraborgs Kommunalförbund", owner: "processledare@samsyn.test", start: "01-01", due: "06-30", status: "done", progress: 100 },
            { title: "Ansökan om nya YH-utbildningar inom automation", description: "Tillsammans med arbetsgivare och Högskolan i Skövde.", responsibleOrg: "Högskolan i Skövde", owner: "maria.andersson@samsyn.test", start: "04-01", due: "09-15", status: "done", progress: 100 },
            { title: "Branschråd för vård och omsorg startas", responsibleOrg: "Skaraborgs Sjukhus", owner: "lena.svensson@samsyn.test", start: "03-01", due: "10-31", status: "at_risk", progress: 20 },
          ],
        },
        {
          title: "Fler unga väljer utbildningar med goda jobbchanser",
          actions: [
            { title: "Studie- och yrkesvägledning med arbetsgivarbesök", responsibleOrg: "Skövde kommun, vuxenutbildningen", owner: "ahmed.hassan@samsyn.test", start: "01-15", due: "12-15", status: "on_track", progress: 65 },
            { title: "Teknikcollege-certifiering för ytterligare två skolor", responsibleOrg: "Teknikföretagen Skaraborg", owner: "ledamot@samsyn.test", start: "02-01", due: "11-30", status: "on_track", progress: 45 },
            { title: "Kampanj om vårdyrken riktad till unga", responsibleOrg: "Skaraborgs Sjukhus", owner: "lena.svensson@samsyn.test", start: "10-01", due: "12-31", status: "cancelled", progress: 0 },
          ],
        },
      ],
    },
    {
      title: "Kompetensutveckling i arbetslivet",
      description: "Livslångt lärande: de som redan arbetar ska kunna bygga på sin kompetens.",
      goals: [
        {
          title: "Små och medelstora företag får stöd i kompetensplanering",
          actions: [
            { title: "Kompetensnavet erbjuder kompetenskartläggning till 30 företag", responsibleOrg: "Kompetensnavet Skaraborg", owner: "ingrid.larsson@samsyn.test", start: "02-01", due: "12-15", status: "on_track", progress: 55, indicators: [ind("Kartlagda företag", "företag", 0, 30)] },
            { title: "Korta högskolekurser för yrkesverksamma inom AI och digitalisering", responsibleOrg: "Högskolan i Skövde", owner: "maria.andersson@samsyn.test", start: "08-20", due: "12-20", status: "at_risk", progress: 25 },
            { title: "Nätverk för HR-ansvariga i Skaraborg", responsibleOrg: "Teknikföretagen Skaraborg", owner: "ledamot@samsyn.test", start: "03-01", due: "12-31", status: "on_track", progress: 60 },
          ],
        },
      ],
    },
  ];
}

export function fyrbodalPlan(): Area[] {
  return [
    {
      title: "Kompetensförsörjning i omställningen",
      description: "Fyrbodals industri och offentliga sektor står inför stora rekryteringsbehov.",
      goals: [
        {
          title: "Bättre matchning inom industri och energi",
          actions: [
            { title: "Kartläggning av kompetensbehov kopplade till industrins omställning", responsibleOrg: "Fyrbodals kommunalförbund", owner: "fyrbodal.processledare@samsyn.test", start: "01-15", due: "06-30", status: "done", progress: 100 },
            { title: "Yrkesvux-spår inom el och energi", responsibleOrg: "Uddevalla kommun, vuxenutbildningen", owner: "henrik.berg@samsyn.test", start: "02-01", due: "12-15", status: "on_track", progress: 45 },
            { title: "Rekryteringsmässa i Trollhättan", responsibleOrg: "Västsvenska Handelskammaren", owner: "anna.lund@samsyn.test", start: "03-01", due: "10-15", status: "done", progress: 100 },
            { title: "Validering av industriell kompetens", responsibleOrg: "Uddevalla kommun, vuxenutbildningen", owner: "henrik.berg@samsyn.test", start: "04-01", due: "11-30", status: "at_risk", progress: 30 },
          ],
        },
        {
          title: "Vård och omsorg i hela Fyrbodal",
          actions: [
            { title: "Gemensam utbildningsplanering för undersköterskor", responsibleOrg: "Kommunal Fyrbodal", owner: "emma.karlsson@samsyn.test", start: "01-10", due: "09-30", status: "delayed", progress: 40 },
            { title: "Introduktionsprogram för nyanställda i hemtjänsten", responsibleOrg: "Kommunal Fyrbodal", owner: "emma.karlsson@samsyn.test", start: "05-01", due: "12-31", status: "on_track", progress: 50 },
          ],
        },
      ],
    },
    {
      title: "Högskolan och arbetslivet",
      description: "Högskolan Väst som motor för kompetensutveckling i delregionen.",
      goals: [
        {
          title: "Fler uppdragsutbildningar för regionens arbetsgivare",
          actions: [
            { title: "Behovsinventering bland arbetsgivare", responsibleOrg: "Högskolan Väst", owner: "ledamot.fyrbodal@samsyn.test", start: "01-20", due: "04-30", status: "done", progress: 100 },
            { title: "Tre nya kurser i arbetsintegrerat lärande", responsibleOrg: "Högskolan Väst", owner: "ledamot.fyrbodal@samsyn.test", start: "05-01", due: "12-15", status: "on_track", progress: 60 },
            { title: "Alumnnätverk som kopplar studenter till arbetsgivare", responsibleOrg: "Högskolan Väst", owner: "ledamot.fyrbodal@samsyn.test", start: "08-15", due: "12-31", status: "not_started", progress: 0 },
          ],
        },
      ],
    },
    {
      title: "Unga och utbildningsval",
      description: "Fler unga ska välja utbildningar som leder till arbete i Fyrbodal.",
      goals: [
        {
          title: "Vägledning som bygger på arbetsmarknadens behov",
          actions: [
            { title: "Arbetsmarknadskunskap i grundskolans vägledning", responsibleOrg: "Fyrbodals kommunalförbund", owner: "fyrbodal.processledare@samsyn.test", start: "02-01", due: "12-15", status: "on_track", progress: 55 },
            { title: "Sommarjobb med handledning i industrin", responsibleOrg: "Västsvenska Handelskammaren", owner: "anna.lund@samsyn.test", start: "03-01", due: "08-31", status: "done", progress: 100 },
            { title: "Feriepraktik inom vård och omsorg", responsibleOrg: "Kommunal Fyrbodal", owner: "emma.karlsson@samsyn.test", start: "04-01", due: "08-31", status: "cancelled", progress: 0 },
          ],
        },
      ],
    },
    {
      title: "Validering och livslångt lärande",
      description: "Den kompetens människor redan har ska synas och räknas, och det ska vara lätt att bygga på den.",
      goals: [
        {
          title: "Validering blir en självklar del av vuxenutbildningen",
          actions: [
            { title: "Gemensam valideringsmodell för Fyrbodals kommuner", responsibleOrg: "Fyrbodals kommunalförbund", owner: "fyrbodal.processledare@samsyn.test", start: "01-15", due: "10-31", status: "on_track", progress: 70, indicators: [ind("Kommuner som använder modellen", "kommuner", 2, 14)] },
            { title: "Branschvalidering inom handel och logistik", responsibleOrg: "Västsvenska Handelskammaren", owner: "anna.lund@samsyn.test", start: "03-01", due: "11-30", status: "at_risk", progress: 25 },
            { title: "Valideringslotsar på tre vuxenutbildningar", responsibleOrg: "Uddevalla kommun, vuxenutbildningen", owner: "henrik.berg@samsyn.test", start: "02-01", due: "09-30", status: "delayed", progress: 45 },
          ],
        },
        {
          title: "Anställda kan vidareutbilda sig under arbetslivet",
          actions: [
            { title: "Information om omställningsstudiestödet till arbetsplatser", responsibleOrg: "Kommunal Fyrbodal", owner: "emma.karlsson@samsyn.test", start: "01-10", due: "06-30", status: "done", progress: 100 },
            { title: "Korta kurser på distans för yrkesverksamma inom industrin", responsibleOrg: "Högskolan Väst", owner: "ledamot.fyrbodal@samsyn.test", start: "08-20", due: "12-20", status: "on_track", progress: 40 },
            { title: "Lärcentrum i de mindre kommunerna", responsibleOrg: "Fyrbodals kommunalförbund", owner: "fyrbodal.processledare@samsyn.test", start: "03-01", due: "12-31", status: "on_track", progress: 50 },
            { title: "Kartläggning av digital kompetens i offentlig sektor", responsibleOrg: "Fyrbodals kommunalförbund", owner: "fyrbodal.processledare@samsyn.test", start: "09-01", due: "12-31", status: "not_started", progress: 0 },
          ],
        },
      ],
    },
  ];
}

/** A stable id per council and title, so that the same action keeps its id from one year's plan to the next. */
function stableId(scope: string, title: string): string {
  const h = createHash("sha256").update(`${scope}:${title}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Last year's plan, derived from this year's: the actions started this year are
 * not there yet, two finished ones are, and statuses are as they stood then.
 */
export function previousYear(areas: Area[]): Area[] {
  const newThisYear = new Set(["Mentorprogram för utrikes födda ingenjörer", "Språkombud på arbetsplatser i äldreomsorgen", "Korta högskolekurser för yrkesverksamma inom AI och digitalisering"]);
  return areas.map((a, ai) => ({
    ...a,
    goals: a.goals.map((g, gi) => ({
      ...g,
      actions: [
        ...g.actions
          .filter((x) => !newThisYear.has(x.title))
          .map((x) => ({ ...x, status: x.status === "done" ? ("on_track" as const) : x.status === "delayed" ? ("at_risk" as const) : ("on_track" as const), progress: Math.max(0, (x.progress ?? 0) - 40) })),
        ...(ai === 0 && gi === 0 ? [{ title: "Kartläggning av delregionens utbildningsutbud", responsibleOrg: "Skaraborgs Kommunalförbund", owner: "processledare@samsyn.test", start: "02-01", due: "09-30", status: "done" as const, progress: 100 }] : []),
        ...(ai === 1 && gi === 0 ? [{ title: "Jobbmässa för industrin i Skövde", responsibleOrg: "Teknikföretagen Skaraborg", owner: "ledamot@samsyn.test", start: "03-01", due: "05-31", status: "done" as const, progress: 100 }] : []),
      ],
    })),
  }));
}

/** Resolve owners and month-day dates to the shape the plan document takes. */
export function resolvePlan(areas: Area[], year: number, userIdByEmail: Map<string, string>, scope?: string) {
  return areas.map((a) => ({
    title: a.title,
    description: a.description,
    ...(scope ? { id: stableId(scope, `area:${a.title}`) } : {}),
    goals: a.goals.map((g) => ({
      title: g.title,
      ...(scope ? { id: stableId(scope, `goal:${g.title}`) } : {}),
      actions: g.actions.map(({ owner, start, due, indicators, ...rest }) => ({
        ...rest,
        ...(scope ? { id: stableId(scope, `action:${rest.title}`) } : {}),
        // The same indicator keeps its id from one year's plan to the next, as a revision keeps it.
        indicators: (indicators ?? []).map(
          (i): IndicatorInit => ({ ...i, ...(scope ? { id: stableId(scope, `indicator:${rest.title}:${i.name}`) } : {}), baselineDate: `${year - 1}-12-31`, targetDate: `${year}-12-31` }),
        ),
        responsibleUserId: owner ? (userIdByEmail.get(owner) ?? null) : null,
        startDate: start ? `${year}-${start}` : null,
        dueDate: due ? `${year}-${due}` : null,
      })),
    })),
  }));
}
