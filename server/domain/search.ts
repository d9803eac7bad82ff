// Search across one council (issue #17, docs/decisions/049-search.md).
//
// What is searchable is read from its source tables (`collectDocs`): plan actions
// and priority areas of every year, meetings, their accepted agenda items, approved
// minutes, recorded decisions, statements and proposals, working groups. The index
// (`search_docs`, plus `search_fts` on SQLite) is brought up to date with the
// sources before each search by comparing a hash per row: only what changed is
// written, on any node, with no hook in each place that writes (a missed hook would
// be a stale index). A council holds hundreds of such rows, so the comparison is a
// few milliseconds.
//
// Rights are not in the index: each hit passes the same rules its page applies
// (`can`, `meetingVisibleTo`, `minutesPublishedTo`, `statementPublishedTo`), so an
// observer never finds a draft meeting, an unadopted statement or unapproved minutes.
import { createHash } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../../db";
import { dialectOf, inTransaction } from "../../db";
import { meetingVisibility } from "./meetings";
import { can, type MembershipFacts } from "./permissions";
import { minutesPublishedTo, statementPublishedTo } from "./publication";

export const SEARCH_KINDS = ["action", "area", "meeting", "agenda", "minutes", "decision", "statement", "proposal", "group"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

interface SourceDoc {
  kind: SearchKind;
  refId: string;
  title: string;
  body: string;
  /** Under /councils/<slug>/. */
  path: string;
  meetingId: string | null;
}

const clean = (s: string | null | undefined) => (s ?? "").replace(/\s+/g, " ").trim();

/** Everything searchable in the council, as it is now. */
async function collectDocs(db: Db, councilId: string): Promise<SourceDoc[]> {
  const docs: SourceDoc[] = [];
  const plans = await db.selectFrom("plans").select(["id", "year"]).where("council_id", "=", councilId).execute();
  const yearOf = new Map(plans.map((p) => [p.id, p.year]));
  if (plans.length) {
    const planIds = plans.map((p) => p.id);
    const areas = await db.selectFrom("plan_areas").select(["id", "plan_id", "title", "description"]).where("plan_id", "in", planIds).execute();
    for (const a of areas) {
      const year = yearOf.get(a.plan_id)!;
      docs.push({ kind: "area", refId: `${a.plan_id}:${a.id}`, title: clean(a.title), body: clean(a.description), path: `plans/${year}#area-${a.id}`, meetingId: null });
    }
    const actions = await db
      .selectFrom("plan_actions")
      .select(["id", "plan_id", "title", "description", "responsible_org", "indicators"])
      .where("plan_id", "in", planIds)
      .execute();
    for (const a of actions) {
      const year = yearOf.get(a.plan_id)!;
      const body = [a.description, a.responsible_org, a.indicators].map(clean).filter(Boolean).join(" · ");
      docs.push({ kind: "action", refId: `${a.plan_id}:${a.id}`, title: clean(a.title), body, path: `plans/${year}/actions/${a.id}`, meetingId: null });
    }
  }

  const meetings = await db.selectFrom("meetings").select(["id", "title", "description", "location"]).where("council_id", "=", councilId).execute();
  for (const m of meetings) {
    docs.push({ kind: "meeting", refId: m.id, title: clean(m.title), body: [m.description, m.location].map(clean).filter(Boolean).join(" · "), path: `meetings/${m.id}`, meetingId: m.id });
  }
  const items = await db
    .selectFrom("agenda_items as i")
    .innerJoin("meetings as m", "m.id", "i.meeting_id")
    .select(["i.id", "i.meeting_id", "i.title", "i.presenter", "i.decision", "i.status"])
    .where("m.council_id", "=", councilId)
    .where("i.status", "=", "accepted")
    .execute();
  for (const i of items) {
    docs.push({ kind: "agenda", refId: i.id, title: clean(i.title), body: clean(i.presenter), path: `meetings/${i.meeting_id}#agenda-h`, meetingId: i.meeting_id });
    if (clean(i.decision)) docs.push({ kind: "decision", refId: i.id, title: clean(i.title), body: clean(i.decision), path: `meetings/${i.meeting_id}/minutes`, meetingId: i.meeting_id });
  }
  const minutes = await db
    .selectFrom("minutes as mi")
    .innerJoin("meetings as m", "m.id", "mi.meeting_id")
    .select(["mi.meeting_id", "m.title", "mi.frozen_text"])
    .where("m.council_id", "=", councilId)
    .where("mi.status", "=", "approved")
    .execute();
  for (const mi of minutes) {
    docs.push({ kind: "minutes", refId: mi.meeting_id, title: clean(mi.title), body: clean(mi.frozen_text), path: `meetings/${mi.meeting_id}/minutes`, meetingId: mi.meeting_id });
  }
  const statements = await db
    .selectFrom("statements")
    .select(["id", "kind", "title", "status", "frozen_text", "decision_text"])
    .where("council_id", "=", councilId)
    .execute();
  for (const s of statements) {
    // A draft's text is live (Yjs) and changes by the keystroke: its title is found; the text once adopted.
    const body = [s.status === "adopted" ? s.frozen_text : "", s.decision_text].map(clean).filter(Boolean).join(" · ");
    docs.push({ kind: s.kind === "proposal" ? "proposal" : "statement", refId: s.id, title: clean(s.title), body, path: `statements/${s.id}`, meetingId: null });
  }
  const groups = await db.selectFrom("working_groups").select(["id", "name", "description"]).where("council_id", "=", councilId).execute();
  for (const g of groups) docs.push({ kind: "group", refId: g.id, title: clean(g.name), body: clean(g.description), path: `groups/${g.id}`, meetingId: null });
  return docs;
}

const hashOf = (d: SourceDoc) => createHash("sha256").update(JSON.stringify([d.title, d.body, d.path, d.meetingId])).digest("base64url");

/** Bring the council's index up to date with its sources; returns how many rows were written or removed. */
export async function syncSearchIndex(db: Db, councilId: string): Promise<{ written: number; removed: number }> {
  const docs = await collectDocs(db, councilId);
  const pg = dialectOf(db) === "postgres";
  return inTransaction(db, async (trx) => {
    const stored = await trx.selectFrom("search_docs").select(["id", "kind", "ref_id", "hash"]).where("council_id", "=", councilId).execute();
    const byKey = new Map(stored.map((r) => [`${r.kind}/${r.ref_id}`, r]));
    let written = 0;
    for (const d of docs) {
      const key = `${d.kind}/${d.refId}`;
      const hash = hashOf(d);
      const old = byKey.get(key);
      byKey.delete(key);
      if (old?.hash === hash) continue;
      written++;
      if (pg) {
        await sql`insert into search_docs (kind, ref_id, council_id, hash, path, meeting_id, title, body)
          values (${d.kind}, ${d.refId}, ${councilId}, ${hash}, ${d.path}, ${d.meetingId}, ${d.title}, ${d.body})
          on conflict (kind, ref_id) do update set council_id = excluded.council_id, hash = excluded.hash, path = excluded.path,
            meeting_id = excluded.meeting_id, title = excluded.title, body = excluded.body`.execute(trx);
      } else if (old) {
        await trx.updateTable("search_docs").set({ hash, path: d.path, meeting_id: d.meetingId }).where("id", "=", old.id).execute();
        await sql`delete from search_fts where rowid = ${old.id}`.execute(trx);
        await sql`insert into search_fts (rowid, title, body) values (${old.id}, ${d.title}, ${d.body})`.execute(trx);
      } else {
        const row = await trx
          .insertInto("search_docs")
          .values({ kind: d.kind, ref_id: d.refId, council_id: councilId, hash, path: d.path, meeting_id: d.meetingId })
          .returning("id")
          .executeTakeFirstOrThrow();
        await sql`insert into search_fts (rowid, title, body) values (${row.id}, ${d.title}, ${d.body})`.execute(trx);
      }
    }
    // What is no longer there (deleted, or no longer searchable: minutes reopened, a proposal declined).
    for (const gone of byKey.values()) {
      if (!pg) await sql`delete from search_fts where rowid = ${gone.id}`.execute(trx);
      await trx.deleteFrom("search_docs").where("id", "=", gone.id).execute();
    }
    return { written, removed: byKey.size };
  });
}

/** A snippet as text with the matched words marked. */
export type Snippet = { text: string; hit: boolean }[];
export interface SearchHit {
  kind: SearchKind;
  title: string;
  /** Under /councils/<slug>/. */
  path: string;
  snippet: Snippet;
}

const OPEN = "\uE000";
const CLOSE = "\uE001";
const MAX_TERMS = 8;
export const MAX_QUERY_LENGTH = 200;

/** The words of a query: letters and digits only (nothing reaches MATCH or to_tsquery as syntax). */
export function queryTerms(q: string): string[] {
  const words = q.slice(0, MAX_QUERY_LENGTH).normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  return [...new Set(words.filter((w) => w.length >= 2 || /\d/.test(w)))].slice(0, MAX_TERMS);
}

function toSnippet(s: string | null): Snippet {
  if (!s) return [];
  const out: Snippet = [];
  for (const [i, part] of s.split(new RegExp(`[${OPEN}${CLOSE}]`)).entries()) if (part) out.push({ text: part, hit: i % 2 === 1 });
  return out;
}

interface RawHit {
  kind: SearchKind;
  ref_id: string;
  path: string;
  meeting_id: string | null;
  title: string;
  snippet: string | null;
}

async function matches(db: Db, councilId: string, terms: string[], limit: number): Promise<RawHit[]> {
  if (dialectOf(db) === "postgres") {
    const query = terms.map((t) => `${t}:*`).join(" & ");
    const { rows } = await sql<RawHit>`
      select d.kind, d.ref_id, d.path, d.meeting_id, d.title,
        ts_headline('swedish', d.body, q, ${`StartSel=${OPEN},StopSel=${CLOSE},MaxWords=28,MinWords=10,MaxFragments=1`}) as snippet
      from search_docs d, to_tsquery('swedish', ${query}) q
      where d.council_id = ${councilId} and d.tsv @@ q
      order by ts_rank(d.tsv, q) desc, d.title
      limit ${limit}`.execute(db);
    return rows;
  }
  const match = terms.map((t) => `"${t}"*`).join(" AND ");
  const { rows } = await sql<RawHit>`
    select d.kind, d.ref_id, d.path, d.meeting_id, search_fts.title as title,
      snippet(search_fts, 1, ${OPEN}, ${CLOSE}, '…', 16) as snippet
    from search_fts join search_docs d on d.id = search_fts.rowid
    where search_fts match ${match} and d.council_id = ${councilId}
    order by bm25(search_fts, 8.0, 1.0), d.kind
    limit ${limit}`.execute(db);
  return rows;
}

/**
 * Search the council for `q` as this member: the index is synced first, then each
 * hit passes its page's rule. At most `limit` hits, best first.
 */
export async function searchCouncil(
  db: Db,
  input: { councilId: string; q: string; membership: MembershipFacts; userId: string; limit?: number },
): Promise<{ terms: string[]; hits: SearchHit[] }> {
  const terms = queryTerms(input.q);
  if (!terms.length) return { terms, hits: [] };
  await syncSearchIndex(db, input.councilId);
  const limit = input.limit ?? 50;
  // Ask for more than shown: some hits are filtered out by rights below.
  const raw = await matches(db, input.councilId, terms, limit * 4);

  const m = input.membership;
  const meetingVisible = meetingVisibility(db, m, input.userId);
  const statementIds = raw.filter((h) => h.kind === "statement" || h.kind === "proposal").map((h) => h.ref_id);
  const statementStatus = new Map(
    statementIds.length ? (await db.selectFrom("statements").select(["id", "status"]).where("id", "in", statementIds).execute()).map((s) => [s.id, s.status]) : [],
  );
  const minutesIds = [...new Set(raw.filter((h) => h.kind === "decision" || h.kind === "minutes").map((h) => h.meeting_id!))];
  const minutesStatus = new Map(
    minutesIds.length ? (await db.selectFrom("minutes").select(["meeting_id", "status"]).where("meeting_id", "in", minutesIds).execute()).map((r) => [r.meeting_id, r.status]) : [],
  );

  const hits: SearchHit[] = [];
  for (const h of raw) {
    if (hits.length >= limit) break;
    let ok: boolean;
    switch (h.kind) {
      case "action":
      case "area":
        ok = can(m, "plan:view");
        break;
      case "meeting":
      case "agenda":
        ok = await meetingVisible(h.meeting_id!);
        break;
      case "minutes":
      case "decision":
        ok = (await meetingVisible(h.meeting_id!)) && minutesPublishedTo(m, minutesStatus.get(h.meeting_id!) ?? "draft");
        break;
      case "statement":
      case "proposal":
        ok = can(m, "council:view") && statementPublishedTo(m, statementStatus.get(h.ref_id) ?? "draft");
        break;
      default:
        ok = can(m, "council:view");
    }
    if (ok) hits.push({ kind: h.kind, title: h.title, path: h.path, snippet: toSnippet(h.snippet) });
  }
  return { terms, hits };
}
