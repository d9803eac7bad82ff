// The layout of a plan's Y.Doc (`plan:<planId>`), shared by the server (seed,
// projection) and the browser editor. Documented for outside clients in
// docs/plan-document.md. Only `yjs` is imported here, so the browser can use it.
import * as Y from "yjs";

export const ACTION_STATUSES = ["not_started", "on_track", "at_risk", "delayed", "done", "cancelled"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const PLAN_SCHEMA_VERSION = 1;

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
  indicators: string;
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
  indicators?: string;
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
  m.set("indicators", text(a.indicators ?? ""));
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
    indicators: str(m.get("indicators")),
  };
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
