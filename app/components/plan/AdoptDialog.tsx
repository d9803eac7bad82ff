// Adopting (fastställa) a plan, with confirmation: what will be frozen (the year, how
// many areas, goals and actions) and what looks unfinished (server/domain/plan-check.ts),
// then the leader confirms. It is a DisclosureDialog like the meeting page's: with
// JavaScript "Fastställ planen…" opens a native modal <dialog> and the check is run again
// on the live document; without it the link leads to `?dialog=adopt`, where the server
// renders the same dialog open in the page and the form posts as usual.
import { Form } from "@remix-run/react";
import { TriangleAlert } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { checkPlan, hasWarnings, type PlanCheck, type PlanItemRef } from "../../../server/domain/plan-check";
import { planToJson } from "../../../server/domain/plan-doc";
import type { LiveDoc } from "~/collab/useLiveDoc";
import { DialogDismiss, DisclosureDialog } from "~/components/DisclosureDialog";
import { useT, type MessageKey } from "~/i18n";

/** The dialog's id: `?dialog=adopt` renders it open (the no-JavaScript path). */
export const ADOPT_DIALOG = "adopt";

interface Props {
  year: number;
  check: PlanCheck;
  decisions: { id: string; label: string }[];
  live: LiveDoc | null;
  /** Render it open: `?dialog=adopt` (no JavaScript) or a refused adoption. */
  open: boolean;
}

export function AdoptPlan({ year, check, decisions, live, open }: Props) {
  const t = useT();
  const [current, setCurrent] = useState(check);
  useEffect(() => setCurrent(check), [check]);
  return (
    <DisclosureDialog
      id={ADOPT_DIALOG}
      title={t("adopt.title", { year })}
      opener={t("adopt.start")}
      openerClassName="button"
      open={open}
      // The live document may have changed since the page loaded.
      onOpen={() => live?.synced && setCurrent(checkPlan(planToJson(live.doc)))}
    >
      <AdoptContent year={year} check={current} decisions={decisions} />
    </DisclosureDialog>
  );
}

function AdoptContent({ year, check, decisions }: { year: number; check: PlanCheck; decisions: Props["decisions"] }) {
  const t = useT();
  const selectId = useId();
  const warn = hasWarnings(check);
  return (
    <>
      <p>{t("adopt.frozen", { year, areas: check.counts.areas, goals: check.counts.goals, actions: check.counts.actions })}</p>
      {warn ? (
        <div className="adopt-warnings">
          <h3>
            <TriangleAlert aria-hidden="true" size={20} /> {t("adopt.warningsTitle")}
          </h3>
          <Warning label="adopt.untitledAreas" items={check.untitledAreas} area={false} />
          <Warning label="adopt.emptyAreas" items={check.emptyAreas} area={false} />
          <Warning label="adopt.untitledActions" items={check.untitledActions} area />
          <Warning label="adopt.noOwner" items={check.actionsWithoutOwner} area />
        </div>
      ) : (
        <p>{t("adopt.noWarnings")}</p>
      )}
      <Form method="post" className="adopt-form">
        <input type="hidden" name="intent" value="adopt" />
        <p>{t("revision.adoptIntro")}</p>
        <div className="field">
          <label htmlFor={selectId}>{t("revision.decision")}</label>
          <select id={selectId} name="decisionItemId" defaultValue="">
            <option value="">{t("revision.noDecision")}</option>
            {decisions.map((d) => (
              <option key={d.id} value={d.id}>
                {d.label}
              </option>
            ))}
          </select>
        </div>
        <div className="dialog-actions">
          <button type="submit">{t("revision.adopt", { year })}</button>
          <DialogDismiss>{t("adopt.cancel")}</DialogDismiss>
        </div>
      </Form>
    </>
  );
}

function Warning({ label, items, area }: { label: MessageKey; items: PlanItemRef[]; area: boolean }) {
  const t = useT();
  if (!items.length) return null;
  const name = (x: PlanItemRef) => x.title || t("plan.untitled");
  return (
    <>
      <h4>{t(label, { count: items.length })}</h4>
      <ul>
        {items.map((x) => (
          <li key={x.id}>{area ? t("adopt.inArea", { title: name(x), area: x.area || t("plan.untitled") }) : name(x)}</li>
        ))}
      </ul>
    </>
  );
}
