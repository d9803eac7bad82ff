// Demo statements: the joint statement on vocational adult education that the
// first seeded meeting decided (adopted, frozen, published), and an action
// proposal under decision, with an open poll, votes and comments.
import type { NotNull } from "kysely";
import * as Y from "yjs";
import { writeInitialState } from "../server/collab/store";
import { paragraphsState } from "./seed-text";
import { newId } from "../server/domain/ids";
import { xmlToText } from "../server/domain/plan-doc";
import type { Db } from "./index";
import { statementDocName } from "../server/domain/doc-names";

const YRKESVUX = [
  "Kompetensrådet Skaraborg står bakom att antalet platser inom regionalt yrkesvux i Skaraborg ökar under de kommande två åren.",
  "Industrins omställning och vårdens växande behov gör att arbetsgivare i hela delregionen har svårt att rekrytera personer med yrkesutbildning. Yrkesvux är den snabbaste vägen för vuxna att ställa om och för arbetsgivare att få den kompetens de behöver.",
  "Rådet uppmanar Skaraborgs kommuner och Västra Götalandsregionen att prioritera medel till yrkesvux inom industri, el och automation samt vård och omsorg, och att samordna utbudet över kommungränserna.",
];

const PROPOSAL = [
  "Validering av yrkeskompetens är en nyckel för att korta vägen till arbete för den som redan kan ett yrke. Arbetsgruppen för validering föreslår tre åtgärder för nästa år.",
  "Åtgärderna bygger på erfarenheterna från valideringen inom svets och CNC, där bristen på handledare har varit det största hindret.",
];

export async function seedStatements(db: Db, councilId: string, users: Map<string, string>, now: Date): Promise<void> {
  const leader = users.get("processledare@samsyn.test")!;
  const member = users.get("ledamot@samsyn.test")!;
  const maria = users.get("maria.andersson@samsyn.test")!;
  const ahmed = users.get("ahmed.hassan@samsyn.test")!;
  const day = 86_400_000;

  // The adopted statement: decided at the first seeded meeting (its agenda has the decision).
  const meeting = await db
    .selectFrom("agenda_items as i")
    .innerJoin("meetings as m", "m.id", "i.meeting_id")
    .select(["m.id", "m.starts_at", "i.decision"])
    .where("m.council_id", "=", councilId)
    .where("i.title", "=", "Gemensamt uttalande om yrkesvux")
    .$narrowType<{ starts_at: NotNull }>()
    .executeTakeFirst();
  const adoptedId = newId();
  const state = paragraphsState(YRKESVUX);
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  const frozenText = xmlToText(doc.getXmlFragment("content"));
  doc.destroy();
  const adoptedAt = meeting ? new Date(Date.parse(meeting.starts_at) + 3 * 3600_000) : new Date(now.getTime() - 200 * day);
  await writeInitialState(db, statementDocName(adoptedId), state);
  await db
    .insertInto("statements")
    .values({
      id: adoptedId,
      council_id: councilId,
      kind: "statement",
      title: "Fler platser inom yrkesvux i Skaraborg",
      status: "adopted",
      created_by: leader,
      created_at: new Date(adoptedAt.getTime() - 21 * day).toISOString(),
      adopted_at: adoptedAt.toISOString(),
      adopted_by: leader,
      decided_via: meeting ? "meeting" : null,
      meeting_id: meeting?.id ?? null,
      decision_text: meeting?.decision ?? null,
      frozen_text: frozenText,
      frozen_state: state,
      converted_plan_id: null,
      converted_at: null,
    })
    .execute();
  await db
    .insertInto("statement_comments")
    .values([
      { id: newId(), statement_id: adoptedId, user_id: maria, body: "Bra att vi nämner samordningen över kommungränserna.", created_at: new Date(adoptedAt.getTime() - 10 * day).toISOString() },
      { id: newId(), statement_id: adoptedId, user_id: member, body: "Teknikföretagen står bakom texten.", created_at: new Date(adoptedAt.getTime() - 8 * day).toISOString() },
    ])
    .execute();

  // The proposal under decision: a poll open for another five days.
  const proposalId = newId();
  await writeInitialState(db, statementDocName(proposalId), paragraphsState(PROPOSAL));
  await db
    .insertInto("statements")
    .values({
      id: proposalId,
      council_id: councilId,
      kind: "proposal",
      title: "Åtgärdsförslag: validering med handledarstöd",
      status: "deciding",
      created_by: maria,
      created_at: new Date(now.getTime() - 14 * day).toISOString(),
      adopted_at: null,
      adopted_by: null,
      decided_via: null,
      meeting_id: null,
      decision_text: null,
      frozen_text: null,
      frozen_state: null,
      converted_plan_id: null,
      converted_at: null,
    })
    .execute();
  await db
    .insertInto("proposal_actions")
    .values([
      { id: newId(), statement_id: proposalId, position: 0, title: "Utbilda 20 handledare för validering inom industrin", responsible_org: "Kompetensnavet Skaraborg", due_date: null, plan_action_id: null },
      { id: newId(), statement_id: proposalId, position: 1, title: "Gemensam valideringsmodell för vård och omsorg", responsible_org: "Skövde kommun, vuxenutbildningen", due_date: null, plan_action_id: null },
      { id: newId(), statement_id: proposalId, position: 2, title: "Informationsinsats om validering till arbetsgivare", responsible_org: "Arbetsförmedlingen", due_date: null, plan_action_id: null },
    ])
    .execute();
  const pollId = newId();
  await db
    .insertInto("decision_polls")
    .values({
      id: pollId,
      statement_id: proposalId,
      created_by: leader,
      created_at: new Date(now.getTime() - 2 * day).toISOString(),
      closes_at: new Date(now.getTime() + 5 * day).toISOString(),
      quorum: 5,
      status: "open",
      outcome: null,
      closed_at: null,
    })
    .execute();
  await db
    .insertInto("decision_votes")
    .values([
      { poll_id: pollId, user_id: maria, vote: "agree", reason: "", updated_at: new Date(now.getTime() - 2 * day).toISOString() },
      { poll_id: pollId, user_id: ahmed, vote: "agree", reason: "Vuxenutbildningen kan ta ansvar för vårdmodellen.", updated_at: new Date(now.getTime() - 1 * day).toISOString() },
    ])
    .execute();
  await db
    .insertInto("statement_comments")
    .values({ id: newId(), statement_id: proposalId, user_id: ahmed, body: "Vi behöver klara besked om finansieringen av handledarutbildningen.", created_at: new Date(now.getTime() - 6 * day).toISOString() })
    .execute();
}
