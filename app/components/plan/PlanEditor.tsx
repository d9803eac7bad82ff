// The live action plan: priority areas → goals → actions, co-edited through Yjs.
// Each component observes only its own shared type, so a keystroke re-renders
// one field, not the plan.
import { Link } from "@remix-run/react";
import { ClipboardPen } from "lucide-react";
import { createContext, memo, startTransition, useContext, useEffect, useMemo, useRef, useState, type MutableRefObject, type ReactNode } from "react";
import * as Y from "yjs";
import {
  ACTION_STATUSES,
  actionsOf,
  areasOf,
  goalsOf,
  newArea,
  newAction,
  newGoal,
  newIndicator,
  parseDecimal,
  type ActionStatus,
  type YAction,
  type YArea,
  type YGoal,
  type YIndicator,
} from "../../../server/domain/plan-doc";
import { colourFor, usePresence, useYObserve, useYText, type PresenceState } from "~/collab/hooks";
import { RichTextField } from "~/collab/RichTextField";
import { LOCAL, type LiveDoc } from "~/collab/useLiveDoc";
import { YTextField } from "~/collab/YTextField";
import { StatusBadge } from "~/components/StatusBadge";
import { useT } from "~/i18n";
import { ConfirmDialog, type ConfirmRequest } from "~/components/ConfirmDialog";
import { OverflowMenu, type MenuEntry, type MenuHandle } from "./OverflowMenu";
import { SortableList, useSortableItem } from "./Sortable";

export interface Member {
  id: string;
  name: string;
  organisation: string;
}

/**
 * What every part of the editor shares. Stable while the plan is open (it changes with
 * rights or people, not with the connection or presence), so the memoised sections and
 * rows re-render only when their own Y types change: a keystroke in one action, or
 * someone's cursor moving, does not re-render the plan (bench:lighthouse, TBT).
 */
interface Ctx {
  doc: Y.Doc;
  awareness: LiveDoc["provider"]["awareness"];
  canEdit: boolean;
  members: Member[];
  me: { id: string; name: string; color: string };
  setField: (field: string | null) => void;
  /** Where focus goes after the next render: an item's menu button (moved) or title field (new). */
  focusNext: MutableRefObject<FocusRequest | null>;
  confirm: (request: ConfirmRequest) => void;
  /** Says what happened in a polite live region (a move is not visible to a screen reader otherwise). */
  announce: (message: string) => void;
  /** The one move operation, for the menu and for drag-and-drop (see moveItem). */
  moveItem: (request: MoveRequest) => void;
  focusAdd: (kind: "area" | "goal" | "action") => void;
  /** The action's follow-up form, where this person may report on it; else null. */
  reportHref: (actionId: string, ownerId: string | null) => string | null;
  actionHref: (actionId: string) => string;
}
interface FocusRequest {
  id: string;
  what: "menu" | "title";
}
interface MoveRequest {
  from: Y.Array<Y.Map<unknown>>;
  id: string;
  /** Another list (an action to another goal); by default the same one. */
  to?: Y.Array<Y.Map<unknown>>;
  /** The place it takes in `to`, 0-based, counted after it left `from`. */
  toIndex: number;
  /** The item's title for the announcement. */
  name: string;
  /** The other goal's label ("area › goal"), when it goes to another list. */
  target?: string;
  /** Give focus to the item's menu button afterwards (a move from the menu); a drag leaves focus where it is. */
  focusMenu: boolean;
}

interface Props {
  live: LiveDoc;
  canEdit: boolean;
  members: Member[];
  me: { id: string; name: string };
  /** The action pages' path, ending in "/actions/". */
  actionPath: string;
  /** Who may report follow-up: on every action (leader) or on their own (member). */
  report: { all: boolean; own: boolean };
}
const PlanCtx = createContext<Ctx | null>(null);
const usePlan = () => useContext(PlanCtx)!;
/** Who else is here and in which field: its own context, read only by the presence chips. */
const PresenceCtx = createContext<Map<number, PresenceState>>(new Map());

const textOf = (m: Y.Map<unknown>, key: string) => m.get(key) as Y.Text;
const idOf = (m: Y.Map<unknown>) => String(m.get("id"));

/** Y.Array has no move: clone (deep) and re-insert, in one transaction (docs/plan-document.md). */
function move<T extends Y.Map<unknown>>(from: Y.Array<T>, index: number, to: Y.Array<T>, toIndex: number) {
  from.doc!.transact(() => {
    const item = from.get(index).clone() as T;
    from.delete(index, 1);
    to.insert(Math.min(toIndex, to.length), [item]);
  }, LOCAL);
}

function Presence({ field }: { field: string }) {
  const presence = useContext(PresenceCtx);
  const t = useT();
  const here = [...presence.values()].filter((p) => p.field === field && p.user);
  if (!here.length) return null;
  return (
    <span className="presence-inline">
      {here.map((p, i) => (
        <span key={i} className="presence-chip" data-colour={p.user!.color}>
          <span className="presence-dot" ref={(el) => el && (el.style.backgroundColor = p.user!.color)} aria-hidden="true" />
          {p.user!.name} {t("plan.editing")}
        </span>
      ))}
    </span>
  );
}

/** A labelled live text field with the names of others editing it. */
function TextRow({ label, ytext, field, multiline, heading }: { label: string; ytext: Y.Text; field: string; multiline?: boolean; heading?: ReactNode }) {
  const { canEdit, setField } = usePlan();
  const value = useYText(canEdit ? undefined : ytext);
  const id = field.replace(/[^A-Za-z0-9-]/g, "-");
  if (!canEdit) {
    return heading ?? (value ? <p className={multiline ? "plan-text plan-text--multi" : "plan-text"}>{value}</p> : null);
  }
  return (
    <div className="field plan-field">
      <label htmlFor={id}>
        {label} <Presence field={field} />
      </label>
      <YTextField id={id} ytext={ytext} multiline={multiline} onFocus={() => setField(field)} onBlur={() => setField(null)} />
    </div>
  );
}

/** The menu entries every item has: move up, move down, delete (with confirmation). */
function orderEntries<T extends Y.Map<unknown>>(
  t: ReturnType<typeof useT>,
  ctx: Ctx,
  { list, index, title, kind }: { list: Y.Array<T>; index: number; title: string; kind: "area" | "goal" | "action" },
): { up: MenuEntry[]; remove: MenuEntry } {
  const name = title || t("plan.untitled");
  const id = idOf(list.get(index));
  const up: MenuEntry[] = [];
  const moveTo = (to: number) => ctx.moveItem({ from: list as unknown as Y.Array<Y.Map<unknown>>, id, toIndex: to, name, focusMenu: true });
  if (index > 0) up.push({ label: t("planEditor.moveUp"), onSelect: () => moveTo(index - 1) });
  if (index < list.length - 1) up.push({ label: t("planEditor.moveDown"), onSelect: () => moveTo(index + 1) });
  const remove: MenuEntry = {
    label: t("planEditor.delete"),
    danger: true,
    onSelect: () =>
      ctx.confirm({
        title: t("planEditor.deleteTitle", { title: name }),
        body: t(kind === "area" ? "planEditor.deleteAreaBody" : kind === "goal" ? "planEditor.deleteGoalBody" : "planEditor.deleteActionBody"),
        confirm: t("planEditor.delete"),
        onConfirm: () => {
          // Focus goes to the neighbour that takes the place, else to the list's add button.
          const at = list.toArray().findIndex((x) => idOf(x) === id);
          if (at < 0) return;
          const neighbour = list.length > 1 ? list.get(at + 1 < list.length ? at + 1 : at - 1) : undefined;
          ctx.focusNext.current = neighbour ? { id: idOf(neighbour), what: "menu" } : null;
          list.doc!.transact(() => list.delete(at, 1), LOCAL);
          ctx.announce(t("planEditor.deleted", { title: name }));
          if (!neighbour) ctx.focusAdd(kind);
        },
      }),
  };
  return { up, remove };
}

/** A SortableList's props for one of the plan's lists: drops go through the editor's move operation. */
function sortable(ctx: Ctx, t: ReturnType<typeof useT>, list: Y.Array<Y.Map<unknown>>) {
  const titleOf = (id: string) => {
    const item = list.toArray().find((x) => idOf(x) === id);
    return (item && textOf(item, "title").toString()) || t("plan.untitled");
  };
  return {
    ids: list.toArray().map(idOf),
    titleOf,
    enabled: ctx.canEdit,
    onMove: (id: string, toIndex: number) => ctx.moveItem({ from: list, id, toIndex, name: titleOf(id), focusMenu: false }),
  };
}

/** Focus this item's menu button or title field when the editor asked for it (after a move, a delete, a new item). */
function useFocusRequest(id: string, menu: React.RefObject<MenuHandle>, titleField: string | null) {
  const { focusNext } = usePlan();
  useEffect(() => {
    const want = focusNext.current;
    if (!want || want.id !== id) return;
    if (want.what === "menu" && menu.current) {
      focusNext.current = null;
      menu.current.focus();
    } else if (want.what === "title" && titleField) {
      const el = document.getElementById(titleField);
      if (el) {
        focusNext.current = null;
        el.focus();
      }
    }
  });
}

export function PlanEditor({ live, canEdit, members, me, actionPath, report }: Props) {
  const t = useT();
  const areas = useMemo(() => areasOf(live.doc), [live.doc]);
  useYObserve(areas);
  const awareness = live.provider.awareness;
  const presence = usePresence(awareness);
  const colour = colourFor(me.id);
  const undo = useMemo(() => new Y.UndoManager([areas], { trackedOrigins: new Set([LOCAL]), captureTimeout: 600 }), [areas]);
  const [, setStacks] = useState(0);
  const [confirming, setConfirming] = useState<ConfirmRequest | null>(null);
  const [said, setSaid] = useState("");
  const focusNext = useRef<FocusRequest | null>(null);
  const addArea = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const bump = () => setStacks((n) => n + 1);
    undo.on("stack-item-added", bump);
    undo.on("stack-item-popped", bump);
    return () => undo.destroy();
  }, [undo]);
  useEffect(() => {
    awareness.setLocalStateField("user", { id: me.id, name: me.name, color: colour });
  }, [awareness, me.id, me.name, colour]);

  const ctx = useMemo<Ctx>(
    () => ({
    doc: live.doc,
    awareness,
    canEdit,
    members,
    me: { ...me, color: colour },
    setField: (field) => awareness.setLocalStateField("field", field),
    focusNext,
    confirm: setConfirming,
    announce: setSaid,
    // The item is found by its id at the time of the move (the list may have changed since
    // the menu or the drag began), moved by `move`, and the live region says where it went.
    moveItem: ({ from, id, to = from, toIndex, name, target, focusMenu }) => {
      const index = from.toArray().findIndex((x) => idOf(x) === id);
      if (index < 0 || (to === from && index === toIndex)) return;
      if (focusMenu) focusNext.current = { id, what: "menu" };
      move(from, index, to, toIndex);
      setSaid(
        target
          ? t("planEditor.movedTo", { title: name, target })
          : t("planEditor.moved", { title: name, position: Math.min(toIndex, to.length - 1) + 1, count: to.length }),
      );
    },
    // After the last item of a list is deleted: the list's own add button (the nearest one left).
    focusAdd: () => requestAnimationFrame(() => addArea.current?.focus()),
    reportHref: (actionId, ownerId) => (report.all || (report.own && ownerId === me.id) ? `${actionPath}${actionId}#report-h` : null),
    actionHref: (actionId) => `${actionPath}${actionId}`,
  }),
    // `me` and `report` by value: the loader sends new objects on every revalidation.
    [live.doc, awareness, canEdit, members, me.id, me.name, colour, report.all, report.own, actionPath, t],
  );

  // The editor mounts one priority area at a time, each in a transition of its own
  // turn of the event loop: no single long task for the whole plan (input is served
  // between areas), and the areas not yet mounted show their plain text meanwhile.
  const [mounted, setMounted] = useState(1);
  useEffect(() => {
    if (mounted >= areas.length) return;
    const timer = setTimeout(() => startTransition(() => setMounted((n) => n + 1)), 0);
    return () => clearTimeout(timer);
  }, [mounted, areas.length]);

  const onKeyDown = (e: React.KeyboardEvent) => {
    if (!canEdit || !(e.ctrlKey || e.metaKey)) return;
    if ((e.target as HTMLElement).closest(".rich-text")) return; // TipTap has its own undo
    const key = e.key.toLowerCase();
    if (key === "z" && !e.shiftKey) {
      e.preventDefault();
      undo.undo();
    } else if ((key === "z" && e.shiftKey) || key === "y") {
      e.preventDefault();
      undo.redo();
    }
  };

  return (
    <PlanCtx.Provider value={ctx}>
      <PresenceCtx.Provider value={presence}>
      <div className="plan-editor" onKeyDown={onKeyDown}>
        <div className="plan-bar">
          <PresenceList />
          {canEdit ? (
            <div className="plan-bar__actions">
              <button type="button" className="button--secondary" disabled={undo.undoStack.length === 0} onClick={() => undo.undo()}>
                {t("plan.undo")}
              </button>
              <button type="button" className="button--secondary" disabled={undo.redoStack.length === 0} onClick={() => undo.redo()}>
                {t("plan.redo")}
              </button>
            </div>
          ) : (
            <p className="muted">{t("plan.readOnly")}</p>
          )}
        </div>
        <p className="visually-hidden" role="status">
          {said}
        </p>
        <SortableList {...sortable(ctx, t, areas as Y.Array<Y.Map<unknown>>)}>
          {areas.toArray().map((area, i) =>
            i < mounted ? <AreaSection key={idOf(area)} area={area} index={i} count={areas.length} areas={areas} /> : <PendingArea key={idOf(area)} area={area} index={i} />,
          )}
        </SortableList>
        {canEdit ? (
          <p>
            <button
              ref={addArea}
              type="button"
              onClick={() => {
                const fresh = crypto.randomUUID();
                focusNext.current = { id: fresh, what: "title" };
                const area = newArea({ id: fresh, title: "", goals: [{ title: "" }] });
                live.doc.transact(() => areas.push([area]), LOCAL);
              }}
            >
              {t("plan.addArea")}
            </button>
          </p>
        ) : null}
        {canEdit ? <ConfirmDialog request={confirming} onClose={() => setConfirming(null)} /> : null}
      </div>
      </PresenceCtx.Provider>
    </PlanCtx.Provider>
  );
}

function PresenceList() {
  const { me } = usePlan();
  const presence = useContext(PresenceCtx);
  const t = useT();
  const people = new Map<string, { name: string; color: string }>();
  for (const p of presence.values()) if (p.user && p.user.id !== me.id) people.set(p.user.id, p.user);
  return (
    <div className="presence-list">
      <h2 className="visually-hidden">{t("plan.present")}</h2>
      <span className="muted">{t("plan.present")}:</span>
      <ul>
        <li>
          <span className="presence-dot" ref={(el) => el && (el.style.backgroundColor = me.color)} aria-hidden="true" />
          {me.name} ({t("plan.you")})
        </li>
        {[...people.entries()].map(([id, u]) => (
          <li key={id}>
            <span className="presence-dot" ref={(el) => el && (el.style.backgroundColor = u.color)} aria-hidden="true" />
            {u.name}
          </li>
        ))}
      </ul>
    </div>
  );
}

// `count` (the list's length) is a prop so that a row re-renders when a sibling comes or
// goes: its "move down" entry and a focus request after a delete depend on it.
const AreaSection = memo(function AreaSection({ area, index, areas }: { area: YArea; index: number; count: number; areas: Y.Array<YArea> }) {
  const ctx = usePlan();
  const { canEdit, doc } = ctx;
  const t = useT();
  useYObserve(area);
  const goals = goalsOf(area);
  useYObserve(goals);
  const title = useYText(textOf(area, "title"));
  const id = idOf(area);
  const headingId = `area-${id}`;
  const menu = useRef<MenuHandle>(null);
  useFocusRequest(id, menu, `area-${id}-title`);
  const { up, remove } = orderEntries(t, ctx, { list: areas, index, title, kind: "area" });
  const drag = useSortableItem(id, title || t("plan.untitled"), canEdit);
  return (
    <section ref={drag.ref} style={drag.style} className={drag.dragging ? "plan-area is-dragging" : "plan-area"} aria-labelledby={headingId}>
      <div className="plan-head">
        {drag.handle}
        <h2 id={headingId}>
          <span className="plan-kind">{t("plan.area")} {index + 1}: </span>
          {title || t("plan.untitled")}
        </h2>
        {canEdit ? <OverflowMenu ref={menu} label={t("planEditor.more", { title: title || t("plan.untitled") })} entries={[...up, ...(up.length ? [SEPARATOR] : []), remove]} /> : null}
      </div>
      {canEdit ? <TextRow label={t("plan.areaTitle")} ytext={textOf(area, "title")} field={`area:${id}:title`} /> : null}
      <TextRow label={t("plan.areaDescription")} ytext={textOf(area, "description")} field={`area:${id}:description`} multiline />
      <SortableList {...sortable(ctx, t, goals as Y.Array<Y.Map<unknown>>)}>
        {goals.toArray().map((goal, gi) => (
          <GoalSection key={idOf(goal)} goal={goal} index={gi} count={goals.length} goals={goals} areaTitle={title} />
        ))}
      </SortableList>
      {canEdit ? (
        <button
          type="button"
          className="button--secondary"
          onClick={() => {
            const fresh = crypto.randomUUID();
            ctx.focusNext.current = { id: fresh, what: "title" };
            const goal = newGoal({ id: fresh, title: "" });
            doc.transact(() => goals.push([goal]), LOCAL);
          }}
        >
          {t("plan.addGoal", { title: title || t("plan.untitled") })}
        </button>
      ) : null}
    </section>
  );
});

/** An area the editor has not mounted yet (the first moments after load): its text as the static plan shows it. */
function PendingArea({ area, index }: { area: YArea; index: number }) {
  const t = useT();
  const title = textOf(area, "title").toString();
  return (
    <section className="plan-area" aria-labelledby={`area-${idOf(area)}`} aria-busy="true">
      <div className="plan-head">
        <h2 id={`area-${idOf(area)}`}>
          <span className="plan-kind">{t("plan.area")} {index + 1}: </span>
          {title || t("plan.untitled")}
        </h2>
      </div>
      {goalsOf(area)
        .toArray()
        .map((goal) => (
          <div key={idOf(goal)} className="plan-goal">
            <h3>
              <span className="plan-kind">{t("plan.goal")}: </span>
              {textOf(goal, "title").toString() || t("plan.untitled")}
            </h3>
            <ul className="plan-actions">
              {actionsOf(goal)
                .toArray()
                .map((action) => (
                  <li key={idOf(action)} className="plan-action">
                    <span className="plan-action__title">{textOf(action, "title").toString() || t("plan.untitled")}</span>
                  </li>
                ))}
            </ul>
          </div>
        ))}
    </section>
  );
}

const SEPARATOR: MenuEntry = { kind: "separator" };

const GoalSection = memo(function GoalSection({ goal, index, goals, areaTitle }: { goal: YGoal; index: number; count: number; goals: Y.Array<YGoal>; areaTitle: string }) {
  const ctx = usePlan();
  const { canEdit, doc } = ctx;
  const t = useT();
  useYObserve(goal);
  const actions = actionsOf(goal);
  useYObserve(actions);
  const title = useYText(textOf(goal, "title"));
  const id = idOf(goal);
  const menu = useRef<MenuHandle>(null);
  useFocusRequest(id, menu, `goal-${id}-title`);
  const { up, remove } = orderEntries(t, ctx, { list: goals, index, title, kind: "goal" });
  const drag = useSortableItem(id, title || t("plan.untitled"), canEdit);
  return (
    <div ref={drag.ref} style={drag.style} className={drag.dragging ? "plan-goal is-dragging" : "plan-goal"} role="group" aria-labelledby={`goal-${id}`}>
      <div className="plan-head">
        {drag.handle}
        <h3 id={`goal-${id}`}>
          <span className="plan-kind">{t("plan.goal")}: </span>
          {title || t("plan.untitled")}
        </h3>
        {canEdit ? <OverflowMenu ref={menu} label={t("planEditor.more", { title: title || t("plan.untitled") })} entries={[...up, ...(up.length ? [SEPARATOR] : []), remove]} /> : null}
      </div>
      {canEdit ? <TextRow label={t("plan.goalTitle")} ytext={textOf(goal, "title")} field={`goal:${id}:title`} /> : null}
      <ul className="plan-actions" aria-label={`${t("plan.actionsCount", { count: actions.length })}: ${title || areaTitle}`}>
        <SortableList {...sortable(ctx, t, actions as Y.Array<Y.Map<unknown>>)}>
          {actions.toArray().map((action, ai) => (
            <ActionItem key={idOf(action)} action={action} index={ai} count={actions.length} actions={actions} />
          ))}
        </SortableList>
      </ul>
      {canEdit ? (
        <button
          type="button"
          className="button--secondary"
          onClick={() => {
            const fresh = crypto.randomUUID();
            ctx.focusNext.current = { id: fresh, what: "title" };
            const action = newAction({ id: fresh, title: "" });
            doc.transact(() => actions.push([action]), LOCAL);
          }}
        >
          {t("plan.addAction", { title: title || t("plan.untitled") })}
        </button>
      ) : null}
    </div>
  );
});

/** Every goal of the plan but the one holding `current`, labelled "area › goal": where an action can move. */
function otherGoals(doc: Y.Doc, current: Y.Array<YAction>, untitled: string) {
  return areasOf(doc)
    .toArray()
    .flatMap((a) =>
      goalsOf(a)
        .toArray()
        .map((g) => ({ id: idOf(g), label: `${textOf(a, "title").toString() || untitled} › ${textOf(g, "title").toString() || untitled}`, actions: actionsOf(g) })),
    )
    .filter((g) => g.actions !== current);
}

/**
 * One action as a compact row: title, status, progress, who is responsible, due date.
 * Its fields (and the rich-text editor) mount only while its details are open, so a
 * plan of fifty actions renders fifty rows, not fifty editors.
 */
const ActionItem = memo(function ActionItem({ action, index, actions }: { action: YAction; index: number; count: number; actions: Y.Array<YAction> }) {
  const ctx = usePlan();
  const { canEdit, members, doc } = ctx;
  const t = useT();
  useYObserve(action);
  const id = idOf(action);
  // A new action (added here) opens at once, with focus in its title.
  const [open, setOpen] = useState(() => ctx.focusNext.current?.id === id && ctx.focusNext.current.what === "title");
  const title = useYText(textOf(action, "title"));
  const org = useYText(textOf(action, "responsibleOrg"));
  const status = (ACTION_STATUSES as readonly string[]).includes(action.get("status") as string) ? (action.get("status") as ActionStatus) : "not_started";
  const ownerId = (action.get("responsibleUserId") as string | null) ?? null;
  const owner = members.find((m) => m.id === ownerId);
  const due = action.get("dueDate") as string | null;
  const progress = Number(action.get("progress") ?? 0);
  const name = title || t("plan.untitled");
  const menu = useRef<MenuHandle>(null);
  useFocusRequest(id, menu, open ? `action-${id}-title` : null);
  const reportHref = ctx.reportHref(id, ownerId);
  const drag = useSortableItem(id, name, canEdit);

  // The menu's entries are built when it opens: the other goals' titles as they are then,
  // and no walk over the whole plan on every render of every row.
  const entries = (): MenuEntry[] => {
    const { up, remove } = orderEntries(t, ctx, { list: actions, index, title, kind: "action" });
    const targets = otherGoals(doc, actions, t("plan.untitled"));
    const moveTo: MenuEntry[] = targets.length
      ? [
          {
            kind: "group",
            label: t("plan.moveTo"),
            items: targets.map((g) => ({
              label: g.label,
              onSelect: () =>
                ctx.moveItem({ from: actions as Y.Array<Y.Map<unknown>>, id, to: g.actions as Y.Array<Y.Map<unknown>>, toIndex: g.actions.length, name, target: g.label, focusMenu: true }),
            })),
          },
        ]
      : [];
    return [...up, ...moveTo, ...(up.length || moveTo.length ? [SEPARATOR] : []), remove];
  };

  return (
    <li ref={drag.ref} style={drag.style} className={drag.dragging ? "plan-action is-dragging" : "plan-action"} data-action-id={id}>
      {drag.handle}
      <details open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
        <summary>
          <span className="plan-action__title">{name}</span>
          <span className="plan-action__facts">
            <StatusBadge status={status} />
            <span className="plan-action__progress">
              <span className="visually-hidden">{t("plan.progress")}: </span>
              {progress} %
            </span>
            {owner || org ? <span className="plan-action__owner">{t("plan.owner", { name: owner?.name ?? org })}</span> : null}
            {due ? <span className="plan-action__due">{t("plan.due", { date: t.date(due) })}</span> : null}
          </span>
        </summary>
        {open ? <ActionBody action={action} id={id} title={title} /> : null}
      </details>
      {reportHref || canEdit ? (
        <div className="plan-action__tools">
          {reportHref ? (
            <Link to={reportHref} className="plan-action__report">
              <ClipboardPen aria-hidden="true" size={16} />
              {t("planEditor.report")}
              <span className="visually-hidden"> {t("planEditor.reportFor", { title: name })}</span>
            </Link>
          ) : null}
          {canEdit ? <OverflowMenu ref={menu} label={t("planEditor.more", { title: name })} entries={entries} /> : null}
        </div>
      ) : null}
    </li>
  );
});

function ActionBody({ action, id, title }: { action: YAction; id: string; title: string }) {
  const { canEdit, members, doc, awareness, me, setField } = usePlan();
  const t = useT();
  const set = (key: string, value: unknown) => doc.transact(() => action.set(key, value), LOCAL);
  const f = (name: string) => `action-${id}-${name}`;
  const status = action.get("status") as string;
  const description = action.get("description");
  return (
    <div className="plan-action__body" role="group" aria-label={t("plan.details", { title: title || t("plan.untitled") })}>
      {canEdit ? <TextRow label={t("plan.actionTitle")} ytext={textOf(action, "title")} field={`action:${id}:title`} /> : null}
      <div className="field plan-field">
        <span className="label" id={f("description-label")}>
          {t("plan.description")} <Presence field={`action:${id}:description`} />
        </span>
        {description instanceof Y.XmlFragment ? (
          <RichTextField
            fragment={description}
            awareness={awareness}
            user={{ name: me.name, color: me.color }}
            labelledBy={f("description-label")}
            editable={canEdit}
            onFocus={() => setField(`action:${id}:description`)}
            onBlur={() => setField(null)}
          />
        ) : null}
      </div>
      {canEdit ? (
        <div className="plan-grid">
          <TextRow label={t("plan.responsibleOrg")} ytext={textOf(action, "responsibleOrg")} field={`action:${id}:responsibleOrg`} />
          <div className="field plan-field">
            <label htmlFor={f("owner")}>{t("plan.responsibleUser")}</label>
            <select id={f("owner")} value={(action.get("responsibleUserId") as string) ?? ""} onChange={(e) => set("responsibleUserId", e.target.value || null)}>
              <option value="">{t("plan.nobody")}</option>
              {members.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name}, {m.organisation}
                </option>
              ))}
            </select>
          </div>
          <div className="field plan-field">
            <label htmlFor={f("start")}>{t("plan.startDate")}</label>
            <input id={f("start")} type="date" value={(action.get("startDate") as string) ?? ""} onChange={(e) => set("startDate", e.target.value || null)} />
          </div>
          <div className="field plan-field">
            <label htmlFor={f("due")}>{t("plan.dueDate")}</label>
            <input id={f("due")} type="date" value={(action.get("dueDate") as string) ?? ""} onChange={(e) => set("dueDate", e.target.value || null)} />
          </div>
          <div className="field plan-field">
            <label htmlFor={f("status")}>{t("plan.status")}</label>
            <select id={f("status")} value={status} onChange={(e) => set("status", e.target.value)}>
              {ACTION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field plan-field">
            <label htmlFor={f("progress")}>{t("plan.progress")}</label>
            <input
              id={f("progress")}
              type="number"
              min={0}
              max={100}
              step={5}
              value={Number(action.get("progress") ?? 0)}
              onChange={(e) => set("progress", Math.min(100, Math.max(0, Math.round(Number(e.target.value) || 0))))}
            />
          </div>
        </div>
      ) : (
        <ReadOnlyFacts action={action} members={members} />
      )}
      <IndicatorList action={action} actionId={id} />
    </div>
  );
}

/** The action's indicators (docs/plan-document.md): name and unit as live text, baseline and target with their dates, direction. */
function IndicatorList({ action, actionId }: { action: YAction; actionId: string }) {
  const { canEdit, doc, confirm, announce } = usePlan();
  const t = useT();
  const raw = action.get("indicators");
  const list = raw instanceof Y.Array ? (raw as Y.Array<YIndicator>) : undefined;
  useYObserve(action);
  useYObserve(list);
  const items = list ? list.toArray().filter((m): m is YIndicator => m instanceof Y.Map) : [];
  const addRef = useRef<HTMLButtonElement>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const headingId = `action-${actionId}-indicators`;
  return (
    <section className="plan-indicators" aria-labelledby={headingId}>
      <h4 id={headingId} className="plan-indicators__heading">
        {t("indicator.heading")}
      </h4>
      {items.length === 0 ? <p className="muted">{t("indicator.none")}</p> : null}
      {items.length ? (
        <ol className="plan-indicators__list">
          {items.map((m, i) => (
            <IndicatorRow
              key={idOf(m)}
              indicator={m}
              n={i + 1}
              autoFocus={focusId === idOf(m)}
              onRemove={(name) =>
                confirm({
                  title: t("indicator.removeTitle"),
                  body: t("indicator.removeBody", { name }),
                  confirm: t("planEditor.delete"),
                  onConfirm: () => {
                    const at = list!.toArray().indexOf(m);
                    if (at >= 0) doc.transact(() => list!.delete(at, 1), LOCAL);
                    announce(t("indicator.removeBody", { name }));
                    addRef.current?.focus();
                  },
                })
              }
            />
          ))}
        </ol>
      ) : null}
      {canEdit && list ? (
        <button
          ref={addRef}
          type="button"
          className="button--secondary"
          onClick={() => {
            const fresh = crypto.randomUUID();
            setFocusId(fresh);
            doc.transact(() => list.push([newIndicator({ id: fresh, name: "" })]), LOCAL);
          }}
        >
          {t("indicator.add")}
        </button>
      ) : null}
    </section>
  );
}

const indicatorNumber = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : null);

function IndicatorRow({ indicator, n, autoFocus, onRemove }: { indicator: YIndicator; n: number; autoFocus: boolean; onRemove: (name: string) => void }) {
  const { canEdit, doc } = usePlan();
  const t = useT();
  useYObserve(indicator);
  const name = useYText(textOf(indicator, "name"));
  const unit = useYText(textOf(indicator, "unit"));
  const id = idOf(indicator);
  const f = (key: string) => `indicator-${id}-${key}`;
  const set = (key: string, value: unknown) => doc.transact(() => indicator.set(key, value), LOCAL);
  const label = name || t("indicator.untitled");
  const baseline = indicatorNumber(indicator.get("baseline"));
  const target = indicatorNumber(indicator.get("target"));
  const baselineDate = indicator.get("baselineDate") as string | null;
  const targetDate = indicator.get("targetDate") as string | null;
  const direction = indicator.get("direction") === "lower" ? "lower" : "higher";
  useEffect(() => {
    if (autoFocus) document.getElementById(`indicator-${id}-name`)?.focus();
  }, [autoFocus, id]);
  if (!canEdit) {
    const value = (v: number | null, d: string | null) => (v === null ? "–" : `${t.number(v)}${unit ? ` ${unit}` : ""}${d ? ` (${t.date(d)})` : ""}`);
    return (
      <li className="plan-indicator">
        <strong>{label}</strong>
        <dl className="plan-facts">
          <dt>{t("indicator.baseline")}</dt>
          <dd>{value(baseline, baselineDate)}</dd>
          <dt>{t("indicator.target")}</dt>
          <dd>{value(target, targetDate)}</dd>
          <dt>{t("indicator.direction")}</dt>
          <dd>{t(`indicator.direction.${direction}`)}</dd>
        </dl>
      </li>
    );
  }
  return (
    <li className="plan-indicator">
      <div role="group" aria-label={t("indicator.group", { n, name: label })}>
      <div className="plan-grid">
        <TextRow label={t("indicator.name")} ytext={textOf(indicator, "name")} field={`indicator:${id}:name`} />
        <TextRow label={t("indicator.unit")} ytext={textOf(indicator, "unit")} field={`indicator:${id}:unit`} />
        <NumberField id={f("baseline")} label={t("indicator.baseline")} value={baseline} onChange={(v) => set("baseline", v)} />
        <div className="field plan-field">
          <label htmlFor={f("baselineDate")}>{t("indicator.baselineDate")}</label>
          <input id={f("baselineDate")} type="date" value={baselineDate ?? ""} onChange={(e) => set("baselineDate", e.target.value || null)} />
        </div>
        <NumberField id={f("target")} label={t("indicator.target")} value={target} onChange={(v) => set("target", v)} />
        <div className="field plan-field">
          <label htmlFor={f("targetDate")}>{t("indicator.targetDate")}</label>
          <input id={f("targetDate")} type="date" value={targetDate ?? ""} onChange={(e) => set("targetDate", e.target.value || null)} />
        </div>
        <div className="field plan-field">
          <label htmlFor={f("direction")}>{t("indicator.direction")}</label>
          <select id={f("direction")} value={direction} onChange={(e) => set("direction", e.target.value === "lower" ? "lower" : "higher")}>
            <option value="higher">{t("indicator.direction.higher")}</option>
            <option value="lower">{t("indicator.direction.lower")}</option>
          </select>
        </div>
      </div>
      <button type="button" className="button--secondary plan-indicator__remove" onClick={() => onRemove(label)}>
        {t("indicator.removeShort")}
        <span className="visually-hidden"> {label}</span>
      </button>
      </div>
    </li>
  );
}

/**
 * A number shared live: what is typed stays as typed ("12," on the way to "12,5"),
 * and every complete number (comma or point) is written at once; someone else's
 * change shows when the field is not being typed in.
 */
function NumberField({ id, label, value, onChange }: { id: string; label: string; value: number | null; onChange: (v: number | null) => void }) {
  const t = useT();
  const [text, setText] = useState(value === null ? "" : t.number(value, { useGrouping: false }));
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    if (!focused) setText(value === null ? "" : t.number(value, { useGrouping: false }));
  }, [value, focused, t]);
  const invalid = text.trim() !== "" && parseDecimal(text) === undefined;
  return (
    <div className="field plan-field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        value={text}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-error` : undefined}
        onFocus={() => setFocused(true)}
        onBlur={() => setFocused(false)}
        onChange={(e) => {
          setText(e.target.value);
          const v = parseDecimal(e.target.value);
          if (v !== undefined) onChange(v);
        }}
      />
      {invalid ? (
        <p id={`${id}-error`} className="error-message">
          {t("error.number")}
        </p>
      ) : null}
    </div>
  );
}

function ReadOnlyFacts({ action, members }: { action: YAction; members: Member[] }) {
  const t = useT();
  const org = useYText(textOf(action, "responsibleOrg"));
  const owner = members.find((m) => m.id === action.get("responsibleUserId"));
  const start = action.get("startDate") as string | null;
  const due = action.get("dueDate") as string | null;
  return (
    <dl className="plan-facts">
      <dt>{t("plan.responsibleOrg")}</dt>
      <dd>{org || "–"}</dd>
      <dt>{t("plan.responsibleUser")}</dt>
      <dd>{owner?.name ?? "–"}</dd>
      <dt>{t("plan.startDate")}</dt>
      <dd>{start ? t.date(start) : "–"}</dd>
      <dt>{t("plan.dueDate")}</dt>
      <dd>{due ? t.date(due) : "–"}</dd>
    </dl>
  );
}
