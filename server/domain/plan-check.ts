// What adopting (fastställa) a plan would freeze, and what in it looks unfinished:
// the leader sees this before confirming (issue #13). A pure function over the plan's
// JSON, so the page can run it on the server (from the live document's state) and
// again in the browser on the live document when the dialog opens.
import type { PlanJson } from "./plan-doc";

export interface PlanItemRef {
  id: string;
  title: string;
  /** The priority area's title (for an action). */
  area: string;
}

export interface PlanCheck {
  counts: { areas: number; goals: number; actions: number };
  untitledAreas: PlanItemRef[];
  /** Areas with no action in any of their goals. */
  emptyAreas: PlanItemRef[];
  untitledActions: PlanItemRef[];
  /** Actions with no responsible person (an organisation alone does not answer for follow-up). */
  actionsWithoutOwner: PlanItemRef[];
}

const blank = (s: string) => s.trim() === "";

export function checkPlan(plan: PlanJson): PlanCheck {
  const check: PlanCheck = { counts: { areas: 0, goals: 0, actions: 0 }, untitledAreas: [], emptyAreas: [], untitledActions: [], actionsWithoutOwner: [] };
  for (const area of plan.areas) {
    check.counts.areas++;
    const areaRef = { id: area.id, title: area.title.trim(), area: area.title.trim() };
    if (blank(area.title)) check.untitledAreas.push(areaRef);
    let actions = 0;
    for (const goal of area.goals) {
      check.counts.goals++;
      for (const action of goal.actions) {
        actions++;
        const ref = { id: action.id, title: action.title.trim(), area: area.title.trim() };
        if (blank(action.title)) check.untitledActions.push(ref);
        if (!action.responsibleUserId) check.actionsWithoutOwner.push(ref);
      }
    }
    check.counts.actions += actions;
    if (actions === 0) check.emptyAreas.push(areaRef);
  }
  return check;
}

/** Whether anything looks unfinished. */
export const hasWarnings = (c: PlanCheck) => c.untitledAreas.length + c.emptyAreas.length + c.untitledActions.length + c.actionsWithoutOwner.length > 0;
