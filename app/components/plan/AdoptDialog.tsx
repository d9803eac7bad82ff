// Adopting (fastställa) a plan, with confirmation: what will be frozen (the year, how
// many areas, goals and actions) and what looks unfinished (server/domain/plan-check.ts),
// then the leader confirms. With JavaScript the "Fastställ planen…" link opens a native
// modal <dialog> (Designsystemet dialog CSS) and the check is run again on the live
// document; without it the link leads to `?adopt=1`, where the same confirmation is a
// section of the page and the form posts as usual.
import { Form, Link } from "@remix-run/react";
import { TriangleAlert } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { checkPlan, hasWarnings, type PlanCheck, type PlanItemRef } from "../../../server/domain/plan-check";
import { planToJson } from "../../../server/domain/plan-doc";
import type { LiveDoc } from "~/collab/useLiveDoc";
import { useT, type MessageKey } from "~/i18n";

interface Props {
  year: number;
  planPath: string;
  check: PlanCheck;
  decisions: { id: string; label: string }[];
  live: LiveDoc | null;
  /** `?adopt=1`: the confirmation as part of the page (the no-JavaScript path). */
  inline: boolean;
}

export function AdoptPlan({ year, planPath, check, decisions, live, inline }: Props) {
  const t = useT();
  const dialog = useRef<HTMLDialogElement>(null);
  const [current, setCurrent] = useState(check);
  useEffect(() => setCurrent(check), [check]);

  if (inline) {
    return (
      <section className="adopt-confirm" aria-labelledby="adopt-h">
        <AdoptContent headingId="adopt-h" year={year} check={check} decisions={decisions} cancel={<Link to={planPath}>{t("adopt.cancel")}</Link>} />
      </section>
    );
  }
  return (
    <>
      <Link
        to={`${planPath}?adopt=1`}
        className="button"
        preventScrollReset
        onClick={(e) => {
          const d = dialog.current;
          if (!d || typeof d.showModal !== "function") return; // follow the link instead
          e.preventDefault();
          // The live document may have changed since the page loaded.
          if (live?.synced) setCurrent(checkPlan(planToJson(live.doc)));
          d.showModal();
        }}
      >
        {t("adopt.start")}
      </Link>
      <dialog ref={dialog} className="ds-dialog adopt-dialog" aria-labelledby="adopt-dialog-h">
        <AdoptContent
          headingId="adopt-dialog-h"
          year={year}
          check={current}
          decisions={decisions}
          cancel={
            <button type="button" className="button--secondary" onClick={() => dialog.current?.close()}>
              {t("adopt.cancel")}
            </button>
          }
        />
      </dialog>
    </>
  );
}

function AdoptContent({ headingId, year, check, decisions, cancel }: { headingId: string; year: number; check: PlanCheck; decisions: Props["decisions"]; cancel: React.ReactNode }) {
  const t = useT();
  const selectId = useId();
  const warn = hasWarnings(check);
  return (
    <>
      <h2 id={headingId}>{t("adopt.title", { year })}</h2>
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
          {cancel}
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
