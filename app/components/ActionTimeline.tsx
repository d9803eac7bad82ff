// An action's timeline on its page (issue #17): an ordered list, oldest first, each
// step dated and linked to where it happened. Plain HTML: no JavaScript needed.
import type { TimelineStep } from "../../server/domain/action-timeline";
import { statusKey, useT } from "~/i18n";

export function ActionTimeline({ steps, base }: { steps: TimelineStep[]; base: string }) {
  const t = useT();
  const by = (name: string | null) => (name ? ` ${t("timeline.by", { name: t.person(name) })}` : "");
  const quote = (c: string) => (c ? ` – ”${c}”` : "");
  const text = (s: TimelineStep): string => {
    switch (s.kind) {
      case "proposal":
        return t("timeline.proposal", { title: s.title });
      case "action_item":
        return t("timeline.actionItem", { meeting: s.meeting, what: s.what });
      case "plan":
        return t(s.carried ? "timeline.carried" : "timeline.plan", { year: s.year });
      case "adopted":
        return t("timeline.adopted", { year: s.year });
      case "agenda":
        return t("timeline.agenda", { meeting: s.meeting, title: s.title });
      case "decision":
        return t("timeline.decision", { meeting: s.meeting, paragraph: s.paragraph, title: s.title, decision: s.decision });
      case "followup":
        return (
          `${t(s.source === "report" ? "timeline.report" : "timeline.edited")}${by(s.by)}: ` +
          (s.oldStatus && s.oldStatus !== s.newStatus ? `${t(statusKey(s.oldStatus))} → ` : "") +
          `${t(statusKey(s.newStatus))}, ` +
          (s.oldProgress !== null && s.oldProgress !== s.newProgress ? `${s.oldProgress} % → ` : "") +
          `${s.newProgress} %${quote(s.comment)}`
        );
      case "value":
        return `${t("timeline.value", { indicator: s.indicator || t("indicator.untitled"), value: s.unit ? `${t.number(s.value)} ${s.unit}` : t.number(s.value), date: t.date(s.date) })}${by(s.by)}${quote(s.comment)}`;
    }
  };
  return (
    <section aria-labelledby="timeline-h">
      <h2 id="timeline-h">{t("timeline.heading")}</h2>
      <p>{t("timeline.intro")}</p>
      {steps.length ? (
        <ol className="timeline">
          {steps.map((s, i) => (
            <li key={i} className={`timeline__step timeline__step--${s.kind}`}>
              <time dateTime={s.at}>{t.date(s.at)}</time> <a href={`${base}/${s.path}`}>{text(s)}</a>
            </li>
          ))}
        </ol>
      ) : (
        <p>{t("timeline.empty")}</p>
      )}
    </section>
  );
}
