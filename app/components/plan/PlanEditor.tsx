// The live action plan: priority areas → goals → actions, co-edited through Yjs.
// Each component observes only its own shared type, so a keystroke re-renders
// one field, not the plan.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import * as Y from "yjs";
import {
  ACTION_STATUSES,
  actionsOf,
  areasOf,
  goalsOf,
  newArea,
  newAction,
  newGoal,
  type ActionStatus,
  type YAction,
  type YArea,
  type YGoal,
} from "../../../server/domain/plan-doc";
import { colourFor, usePresence, useYObserve, useYText, type PresenceState } from "~/collab/hooks";
import { RichTextField } from "~/collab/RichTextField";
import { LOCAL, type LiveDoc } from "~/collab/useLiveDoc";
import { YTextField } from "~/collab/YTextField";
import { StatusBadge } from "~/components/StatusBadge";
import { useT } from "~/i18n";

export interface Member {
  id: string;
  name: string;
  organisation: string;
}

interface Ctx {
  live: LiveDoc;
  canEdit: boolean;
  members: Member[];
  presence: Map<number, PresenceState>;
  me: { id: string; name: string; color: string };
  setField: (field: string | null) => void;
}
const PlanCtx = createContext<Ctx | null>(null);
const usePlan = () => useContext(PlanCtx)!;

const textOf = (m: Y.Map<unknown>, key: string) => m.get(key) as Y.Text;
const idOf = (m: Y.Map<unknown>) => String(m.get("id"));

/** Y.Array has no move: clone (deep) and re-insert, in one transaction. */
function move<T extends Y.Map<unknown>>(from: Y.Array<T>, index: number, to: Y.Array<T>, toIndex: number) {
  from.doc!.transact(() => {
    const item = from.get(index).clone() as T;
    from.delete(index, 1);
    to.insert(Math.min(toIndex, to.length), [item]);
  }, LOCAL);
}

function Presence({ field }: { field: string }) {
  const { presence } = usePlan();
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

function ItemToolbar({ title, index, count, onMove, onDelete }: { title: string; index: number; count: number; onMove: (to: number) => void; onDelete: () => void }) {
  const t = useT();
  const name = title || t("plan.untitled");
  return (
    <div className="item-toolbar">
      <button type="button" className="button--secondary button--small" disabled={index === 0} onClick={() => onMove(index - 1)} aria-label={t("plan.moveUp", { title: name })}>
        ↑
      </button>
      <button type="button" className="button--secondary button--small" disabled={index === count - 1} onClick={() => onMove(index + 1)} aria-label={t("plan.moveDown", { title: name })}>
        ↓
      </button>
      <button
        type="button"
        className="button--secondary button--small"
        onClick={() => {
          if (window.confirm(t("plan.confirmDelete", { title: name }))) onDelete();
        }}
      >
        {t("plan.delete", { title: name })}
      </button>
    </div>
  );
}

export function PlanEditor({ live, canEdit, members, me }: { live: LiveDoc; canEdit: boolean; members: Member[]; me: { id: string; name: string } }) {
  const t = useT();
  const areas = useMemo(() => areasOf(live.doc), [live.doc]);
  useYObserve(areas);
  const awareness = live.provider.awareness;
  const presence = usePresence(awareness);
  const colour = colourFor(me.id);
  const undo = useMemo(() => new Y.UndoManager([areas], { trackedOrigins: new Set([LOCAL]), captureTimeout: 600 }), [areas]);
  const [, setStacks] = useState(0);
  useEffect(() => {
    const bump = () => setStacks((n) => n + 1);
    undo.on("stack-item-added", bump);
    undo.on("stack-item-popped", bump);
    return () => undo.destroy();
  }, [undo]);
  useEffect(() => {
    awareness.setLocalStateField("user", { id: me.id, name: me.name, color: colour });
  }, [awareness, me.id, me.name, colour]);

  const ctx: Ctx = {
    live,
    canEdit,
    members,
    presence,
    me: { ...me, color: colour },
    setField: (field) => awareness.setLocalStateField("field", field),
  };

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
        {areas.toArray().map((area, i) => (
          <AreaSection key={idOf(area)} area={area} index={i} count={areas.length} areas={areas} />
        ))}
        {canEdit ? (
          <p>
            <button
              type="button"
              onClick={() => live.doc.transact(() => areas.push([newArea({ title: "", goals: [{ title: "" }] })]), LOCAL)}
            >
              {t("plan.addArea")}
            </button>
          </p>
        ) : null}
      </div>
    </PlanCtx.Provider>
  );
}

function PresenceList() {
  const { presence, me } = usePlan();
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

function AreaSection({ area, index, count, areas }: { area: YArea; index: number; count: number; areas: Y.Array<YArea> }) {
  const { canEdit, live } = usePlan();
  const t = useT();
  useYObserve(area);
  const goals = goalsOf(area);
  useYObserve(goals);
  const title = useYText(textOf(area, "title"));
  const id = idOf(area);
  const headingId = `area-${id}`;
  return (
    <section className="plan-area" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <span className="plan-kind">{t("plan.area")} {index + 1}: </span>
        {title || t("plan.untitled")}
      </h2>
      {canEdit ? (
        <ItemToolbar title={title} index={index} count={count} onMove={(to) => move(areas, index, areas, to)} onDelete={() => live.doc.transact(() => areas.delete(index, 1), LOCAL)} />
      ) : null}
      {canEdit ? <TextRow label={t("plan.areaTitle")} ytext={textOf(area, "title")} field={`area:${id}:title`} /> : null}
      <TextRow label={t("plan.areaDescription")} ytext={textOf(area, "description")} field={`area:${id}:description`} multiline />
      {goals.toArray().map((goal, gi) => (
        <GoalSection key={idOf(goal)} goal={goal} index={gi} goals={goals} areaTitle={title} />
      ))}
      {canEdit ? (
        <button type="button" className="button--secondary" onClick={() => live.doc.transact(() => goals.push([newGoal({ title: "" })]), LOCAL)}>
          {t("plan.addGoal", { title: title || t("plan.untitled") })}
        </button>
      ) : null}
    </section>
  );
}

function GoalSection({ goal, index, goals, areaTitle }: { goal: YGoal; index: number; goals: Y.Array<YGoal>; areaTitle: string }) {
  const { canEdit, live } = usePlan();
  const t = useT();
  useYObserve(goal);
  const actions = actionsOf(goal);
  useYObserve(actions);
  const title = useYText(textOf(goal, "title"));
  const id = idOf(goal);
  return (
    <div className="plan-goal" role="group" aria-labelledby={`goal-${id}`}>
      <h3 id={`goal-${id}`}>
        <span className="plan-kind">{t("plan.goal")}: </span>
        {title || t("plan.untitled")}
      </h3>
      {canEdit ? (
        <>
          <ItemToolbar title={title} index={index} count={goals.length} onMove={(to) => move(goals, index, goals, to)} onDelete={() => live.doc.transact(() => goals.delete(index, 1), LOCAL)} />
          <TextRow label={t("plan.goalTitle")} ytext={textOf(goal, "title")} field={`goal:${id}:title`} />
        </>
      ) : null}
      <ul className="plan-actions" aria-label={`${t("plan.actionsCount", { count: actions.length })}: ${title || areaTitle}`}>
        {actions.toArray().map((action, ai) => (
          <ActionItem key={idOf(action)} action={action} index={ai} actions={actions} />
        ))}
      </ul>
      {canEdit ? (
        <button type="button" className="button--secondary" onClick={() => live.doc.transact(() => actions.push([newAction({ title: "" })]), LOCAL)}>
          {t("plan.addAction", { title: title || t("plan.untitled") })}
        </button>
      ) : null}
    </div>
  );
}

function ActionItem({ action, index, actions }: { action: YAction; index: number; actions: Y.Array<YAction> }) {
  const { canEdit, members, live } = usePlan();
  const t = useT();
  useYObserve(action);
  const [open, setOpen] = useState(false);
  const title = useYText(textOf(action, "title"));
  const id = idOf(action);
  const status = (ACTION_STATUSES as readonly string[]).includes(action.get("status") as string) ? (action.get("status") as ActionStatus) : "not_started";
  const owner = members.find((m) => m.id === action.get("responsibleUserId"));
  const due = action.get("dueDate") as string | null;
  const progress = Number(action.get("progress") ?? 0);
  return (
    <li className="plan-action">
      <details open={open} onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
        <summary>
          <span className="plan-action__title">{title || t("plan.untitled")}</span> <StatusBadge status={status} />{" "}
          <span className="muted">
            {progress} %{owner ? ` · ${t("plan.owner", { name: owner.name })}` : ""}
            {due ? ` · ${t("plan.due", { date: t.date(due) })}` : ""}
          </span>
        </summary>
        {open ? <ActionBody action={action} id={id} title={title} /> : null}
      </details>
      {canEdit ? (
        <>
          <ItemToolbar title={title} index={index} count={actions.length} onMove={(to) => move(actions, index, actions, to)} onDelete={() => live.doc.transact(() => actions.delete(index, 1), LOCAL)} />
          <MoveToGoal actionId={id} title={title} onMove={(target) => move(actions, index, target, target.length)} current={actions} />
        </>
      ) : null}
    </li>
  );
}

/** Move an action to the end of another goal, in any area. */
function MoveToGoal({ actionId, title, current, onMove }: { actionId: string; title: string; current: Y.Array<YAction>; onMove: (target: Y.Array<YAction>) => void }) {
  const { live } = usePlan();
  const t = useT();
  const [choice, setChoice] = useState("");
  const targets = areasOf(live.doc)
    .toArray()
    .flatMap((a) =>
      goalsOf(a)
        .toArray()
        .map((g) => ({ id: idOf(g), label: `${textOf(a, "title").toString() || t("plan.untitled")} › ${textOf(g, "title").toString() || t("plan.untitled")}`, actions: actionsOf(g) })),
    )
    .filter((g) => g.actions !== current);
  if (!targets.length) return null;
  const selectId = `move-${actionId}`;
  return (
    <div className="row-form move-to">
      <label htmlFor={selectId} className="visually-hidden">
        {t("plan.moveToFor", { title: title || t("plan.untitled") })}
      </label>
      <select id={selectId} value={choice} onChange={(e) => setChoice(e.target.value)}>
        <option value="">{t("plan.moveTo")}…</option>
        {targets.map((g) => (
          <option key={g.id} value={g.id}>
            {g.label}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button--secondary button--small"
        disabled={!choice}
        onClick={() => {
          const target = targets.find((g) => g.id === choice);
          if (target) onMove(target.actions);
          setChoice("");
        }}
      >
        {t("plan.move")}
      </button>
    </div>
  );
}

function ActionBody({ action, id, title }: { action: YAction; id: string; title: string }) {
  const { canEdit, members, live, me, setField } = usePlan();
  const t = useT();
  const set = (key: string, value: unknown) => live.doc.transact(() => action.set(key, value), LOCAL);
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
            awareness={live.provider.awareness}
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
      <TextRow label={t("plan.indicators")} ytext={textOf(action, "indicators")} field={`action:${id}:indicators`} multiline />
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
