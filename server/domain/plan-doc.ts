// The layout of a plan's Y.Doc (`plan:<planId>`), shared by the server (seed,
// projection) and the browser editor. Documented for outside clients in
// docs/plan-document.md. Only `yjs` is imported here, so the browser can use it.
import * as Y from "yjs";

export const ACTION_STATUSES = ["not_started", "on_track", "at_risk", "delayed", "done", "cancelled"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** 2: an action's indicators are a list of measured indicators (1: one free-text line each). */
export const PLAN_SCHEMA_VERSION = 2;

export const INDICATOR_DIRECTIONS = ["higher", "lower"] as const;
/** Which way is better: a higher value (more placements) or a lower one (fewer dropouts). */
export type IndicatorDirection = (typeof INDICATOR_DIRECTIONS)[number];

export interface IndicatorJson {
  id: string;
  name: string;
  unit: string;
  baseline: number | null;
  baselineDate: string | null;
  target: number | null;
  targetDate: string | null;
  direction: IndicatorDirection;
}

export interface ActionJson {
  id: string;
  title: string;
  description: string;
  responsibleOrg: string;
  responsibleUserId: string | null;
  startDate: string | null;
  dueDate: string | null;
  status: ActionStatus;
  progress: number;
  indicators: IndicatorJson[];
}
export interface GoalJson {
  id: string;
  title: string;
  actions: ActionJson[];
}
export interface AreaJson {
  id: string;
  title: string;
  description: string;
  goals: GoalJson[];
}
export interface PlanJson {
  areas: AreaJson[];
}

export type YArea = Y.Map<unknown>;
export type YGoal = Y.Map<unknown>;
export type YAction = Y.Map<unknown>;
export type YIndicator = Y.Map<unknown>;

export const areasOf = (doc: Y.Doc) => doc.getArray<YArea>("areas");
export const metaOf = (doc: Y.Doc) => doc.getMap<unknown>("meta");
export const goalsOf = (area: YArea) => area.get("goals") as Y.Array<YGoal>;
export const actionsOf = (goal: YGoal) => goal.get("actions") as Y.Array<YAction>;

const newId = () => globalThis.crypto.randomUUID();

function text(s: string): Y.Text {
  const t = new Y.Text();
  if (s) t.insert(0, s);
  return t;
}

/** Rich text as ProseMirror/TipTap expects it in a Y.XmlFragment: one <paragraph> per block. */
export function richText(s: string): Y.XmlFragment {
  const frag = new Y.XmlFragment();
  const paras = s
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const el = new Y.XmlElement("paragraph");
      const t = new Y.XmlText();
      t.insert(0, p);
      el.insert(0, [t]);
      return el;
    });
  if (paras.length) frag.insert(0, paras);
  return frag;
}

/**
 * A number as people type it, Swedish or English style: "12,5", "12.5", "1 200",
 * "−3" (the minus sign sv-SE writes); at most 13 digits before the decimal sign and 6
 * after. null for nothing typed, undefined for something that is not such a number.
 * The one rule for measured values and targets, in forms, files and the editor.
 */
export function parseDecimal(typed: string): number | null | undefined {
  const s = typed.replace(/[\s\u00a0\u202f]/g, "").replace("\u2212", "-");
  if (s === "") return null;
  if (!/^-?\d{1,13}(?:[.,]\d{1,6})?$/.test(s)) return undefined;
  return Number(s.replace(",", "."));
}

export type IndicatorInit = Partial<Omit<IndicatorJson, "name">> & { name: string };

export function newIndicator(i: IndicatorInit): YIndicator {
  const m = new Y.Map<unknown>();
  m.set("id", i.id ?? newId());
  m.set("name", text(i.name));
  m.set("unit", text(i.unit ?? ""));
  m.set("baseline", i.baseline ?? null);
  m.set("baselineDate", i.baselineDate ?? null);
  m.set("target", i.target ?? null);
  m.set("targetDate", i.targetDate ?? null);
  m.set("direction", i.direction ?? "higher");
  return m;
}

function indicatorList(list: IndicatorInit[]): Y.Array<YIndicator> {
  const a = new Y.Array<YIndicator>();
  a.push(list.map(newIndicator));
  return a;
}

export interface ActionInit {
  id?: string;
  title: string;
  description?: string;
  responsibleOrg?: string;
  responsibleUserId?: string | null;
  startDate?: string | null;
  dueDate?: string | null;
  status?: ActionStatus;
  progress?: number;
  indicators?: IndicatorInit[];
}

export function newAction(a: ActionInit): YAction {
  const m = new Y.Map<unknown>();
  m.set("id", a.id ?? newId());
  m.set("title", text(a.title));
  m.set("description", richText(a.description ?? ""));
  m.set("responsibleOrg", text(a.responsibleOrg ?? ""));
  m.set("responsibleUserId", a.responsibleUserId ?? null);
  m.set("startDate", a.startDate ?? null);
  m.set("dueDate", a.dueDate ?? null);
  m.set("status", a.status ?? "not_started");
  m.set("progress", a.progress ?? 0);
  m.set("indicators", indicatorList(a.indicators ?? []));
  return m;
}

export function newGoal(g: { id?: string; title: string; actions?: ActionInit[] }): YGoal {
  const m = new Y.Map<unknown>();
  m.set("id", g.id ?? newId());
  m.set("title", text(g.title));
  const actions = new Y.Array<YAction>();
  actions.push((g.actions ?? []).map(newAction));
  m.set("actions", actions);
  return m;
}

export function newArea(a: { id?: string; title: string; description?: string; goals?: Parameters<typeof newGoal>[0][] }): YArea {
  const m = new Y.Map<unknown>();
  m.set("id", a.id ?? newId());
  m.set("title", text(a.title));
  m.set("description", text(a.description ?? ""));
  const goals = new Y.Array<YGoal>();
  goals.push((a.goals ?? []).map(newGoal));
  m.set("goals", goals);
  return m;
}

/** The Yjs update that creates a plan document, written once when the plan is created. */
export function initialPlanUpdate(init: { year: number; title: string; areas?: Parameters<typeof newArea>[0][] }): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => {
    const meta = metaOf(doc);
    meta.set("schemaVersion", PLAN_SCHEMA_VERSION);
    meta.set("year", init.year);
    meta.set("title", text(init.title));
    areasOf(doc).push((init.areas ?? []).map(newArea));
  });
  const update = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return update;
}

// ---- Reading (defensive: a client can write anything into a shared doc) ----

// Nothing here recurses into a shared type: a document may hold rich text nested
// thousands deep (stored before the server checked shapes, or by a script), and
// Yjs's own toString()/toJSON() would overflow the stack on it.
const str = (v: unknown): string =>
  v instanceof Y.XmlText || v instanceof Y.XmlFragment ? xmlToText(v) : v instanceof Y.Text ? v.toString() : typeof v === "string" ? v : "";

/** An id or other scalar as text; a shared type or object is not one. */
const scalar = (v: unknown): string => (typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : "");

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const date = (v: unknown): string | null => (typeof v === "string" && DATE.test(v) ? v : null);

/** Elements whose children are blocks of their own (each becomes a paragraph of the text); others are read as one block. */
const BLOCK_CONTAINERS = new Set(["bulletList", "orderedList", "listItem"]);

/** The text of an XmlText, embedded objects left out. */
const textOf = (t: Y.XmlText): string =>
  (t.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");

/** All text under `node`, in order, as one string (iterative). */
function inlineText(node: Y.XmlElement | Y.XmlText): string {
  if (node instanceof Y.XmlText) return textOf(node);
  let out = "";
  const stack: unknown[] = [node];
  while (stack.length) {
    const n = stack.pop();
    if (n instanceof Y.XmlText) out += textOf(n);
    else if (n instanceof Y.XmlElement) {
      const children = n.toArray();
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
  return out;
}

/**
 * Plain text of rich text: blocks separated by a blank line (each list item's
 * paragraph a block of its own). Any shape reads: text placed directly in the
 * fragment is a block, unknown elements give their text, and depth costs no stack.
 */
export function xmlToText(frag: Y.XmlFragment | Y.XmlElement | Y.XmlText): string {
  if (frag instanceof Y.XmlText) return textOf(frag);
  const blocks: string[] = [];
  const stack: unknown[] = frag.toArray().reverse();
  while (stack.length) {
    const n = stack.pop();
    if (n instanceof Y.XmlElement && BLOCK_CONTAINERS.has(n.nodeName)) {
      const children = n.toArray();
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    } else if (n instanceof Y.XmlElement || n instanceof Y.XmlText) {
      const b = inlineText(n);
      if (b !== "") blocks.push(b);
    }
  }
  return blocks.join("\n\n");
}

const arr = <T>(v: unknown): T[] => (v instanceof Y.Array ? (v.toArray() as T[]) : []);
const isMap = (v: unknown): v is Y.Map<unknown> => v instanceof Y.Map;

export function actionToJson(m: YAction): ActionJson {
  const status = m.get("status");
  const p = m.get("progress");
  const progress = typeof p === "number" ? p : typeof p === "string" ? Number(p) : NaN;
  const uid = m.get("responsibleUserId");
  return {
    id: scalar(m.get("id")),
    title: str(m.get("title")),
    description: str(m.get("description")),
    responsibleOrg: str(m.get("responsibleOrg")),
    responsibleUserId: typeof uid === "string" && uid ? uid : null,
    startDate: date(m.get("startDate")),
    dueDate: date(m.get("dueDate")),
    status: (ACTION_STATUSES as readonly string[]).includes(status as string) ? (status as ActionStatus) : "not_started",
    progress: Number.isFinite(progress) ? Math.min(100, Math.max(0, Math.round(progress))) : 0,
    indicators: readIndicators(m),
  };
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/**
 * The id of an indicator that was a free-text line in a schema 1 document: the same
 * wherever it is computed (the upgrade, a reader of an old document or of an old
 * adopted revision's JSON), so values reported on it stay linked.
 */
export const legacyIndicatorId = (actionId: string, line: number) => `${actionId}-i${line + 1}`;

/** Schema 1's free-text lines as indicators: one per non-empty line, a name only. */
export function indicatorsFromLines(actionId: string, lines: string): IndicatorJson[] {
  return lines
    .split("\n")
    .map((l) => l.trim())
    .map((name, i) => ({ name, i }))
    .filter((l) => l.name)
    .map(({ name, i }) => ({ id: legacyIndicatorId(actionId, i), name, unit: "", baseline: null, baselineDate: null, target: null, targetDate: null, direction: "higher" as const }));
}

/** An action's indicators, from either schema (a list of maps, or schema 1's text). */
function readIndicators(action: YAction): IndicatorJson[] {
  const v = action.get("indicators");
  if (!(v instanceof Y.Array)) return indicatorsFromLines(scalar(action.get("id")), str(v));
  const seen = new Set<string>();
  const out: IndicatorJson[] = [];
  for (const i of v.toArray()) {
    if (!isMap(i)) continue;
    const id = scalar(i.get("id"));
    if (!id || seen.has(id)) continue;
    seen.add(id);
    const direction = i.get("direction");
    out.push({
      id,
      name: str(i.get("name")),
      unit: str(i.get("unit")),
      baseline: num(i.get("baseline")),
      baselineDate: date(i.get("baselineDate")),
      target: num(i.get("target")),
      targetDate: date(i.get("targetDate")),
      direction: direction === "lower" ? "lower" : "higher",
    });
  }
  return out;
}

/**
 * Bring a schema 1 document to schema 2 (its indicator lines become indicators with
 * their legacy ids); false when there was nothing to do. Run by the server on a copy
 * of the live state (server/domain/plan-upgrade.ts); safe to run twice or on two
 * nodes at once, as the result is the same.
 */
export function upgradePlanDoc(doc: Y.Doc): boolean {
  const meta = metaOf(doc);
  const version = meta.get("schemaVersion");
  let changed = false;
  doc.transact(() => {
    for (const action of allActions(doc)) {
      const v = action.get("indicators");
      if (v instanceof Y.Array) continue;
      action.set("indicators", indicatorList(indicatorsFromLines(scalar(action.get("id")), str(v))));
      changed = true;
    }
    if (typeof version !== "number" || version < PLAN_SCHEMA_VERSION) {
      meta.set("schemaVersion", PLAN_SCHEMA_VERSION);
      changed = true;
    }
  });
  return changed;
}

/**
 * A plan's JSON as stored before schema 2 (an adopted revision's `projection_json`):
 * indicator lines become indicators, as the upgrade would have made them.
 */
export function normalisePlanJson(json: PlanJson): PlanJson {
  for (const a of json.areas)
    for (const g of a.goals)
      for (const x of g.actions) {
        const v = x.indicators as unknown;
        if (!Array.isArray(v)) x.indicators = indicatorsFromLines(x.id, typeof v === "string" ? v : "");
      }
  return json;
}

export function planToJson(doc: Y.Doc): PlanJson {
  return {
    areas: arr<unknown>(areasOf(doc))
      .filter(isMap)
      .map((a) => ({
        id: scalar(a.get("id")),
        title: str(a.get("title")),
        description: str(a.get("description")),
        goals: arr<unknown>(a.get("goals"))
          .filter(isMap)
          .map((g) => ({
            id: scalar(g.get("id")),
            title: str(g.get("title")),
            actions: arr<unknown>(g.get("actions")).filter(isMap).map(actionToJson),
          })),
      })),
  };
}

// ---- Server-side edits (run on a copy of the live state, see DocOps.applyServerChange) ----

/** Every action map in the plan, in order. */
export function* allActions(doc: Y.Doc): Generator<YAction> {
  for (const area of arr<unknown>(areasOf(doc))) {
    if (!isMap(area)) continue;
    for (const goal of arr<unknown>(area.get("goals"))) {
      if (!isMap(goal)) continue;
      for (const action of arr<unknown>(goal.get("actions"))) if (isMap(action)) yield action;
    }
  }
}

/** Append new actions under the goal with this id; false when there is no such goal. */
export function addActionsToGoal(doc: Y.Doc, goalId: string, actions: ActionInit[]): boolean {
  for (const area of arr<unknown>(areasOf(doc))) {
    if (!isMap(area)) continue;
    for (const goal of arr<unknown>(area.get("goals"))) {
      if (!isMap(goal) || goal.get("id") !== goalId || !(goal.get("actions") instanceof Y.Array)) continue;
      actionsOf(goal).push(actions.map(newAction));
      return true;
    }
  }
  return false;
}

export interface ActionState {
  status: string;
  progress: number;
}

/**
 * Set actions' status and progress; returns each changed action's state before
 * (actions not found are not in the map).
 */
export function setActionStates(doc: Y.Doc, wanted: ReadonlyMap<string, ActionState>): Map<string, ActionState> {
  const before = new Map<string, ActionState>();
  for (const a of allActions(doc)) {
    const id = String(a.get("id"));
    const to = wanted.get(id);
    if (!to || before.has(id)) continue;
    before.set(id, { status: String(a.get("status")), progress: Number(a.get("progress") ?? 0) });
    a.set("status", to.status);
    a.set("progress", to.progress);
  }
  return before;
}
