import { useT } from "~/i18n";

export interface RuleParts {
  kind: "weekly" | "monthlyWeekday" | "monthlyDate";
  interval: number;
  weekday?: 1 | 2 | 3 | 4 | 5 | 6 | 7;
  nth?: 1 | 2 | 3 | 4 | -1;
  monthDay?: number;
}

/** A series' rule in words: "Varannan månad, andra tisdagen", "Every other week on Tuesday". */
export function SeriesRule({ rule }: { rule: RuleParts }) {
  const t = useT();
  const unit = rule.kind === "weekly" ? "week" : "month";
  const every =
    rule.interval === 1 ? t(`series.every.${unit}.one`) : rule.interval === 2 ? t(`series.every.${unit}.two`) : t(`series.every.${unit}.n`, { n: rule.interval });
  if (rule.kind === "weekly") return <>{t("series.rule.weekly", { every, weekday: t(`series.weekday.${rule.weekday ?? 1}`) })}</>;
  if (rule.kind === "monthlyWeekday") {
    const nth = rule.nth === -1 || !rule.nth ? t("series.nth.last") : t(`series.nth.${rule.nth}`);
    return <>{t("series.rule.monthlyWeekday", { every, nth, weekday: t(`series.weekdayDefinite.${rule.weekday ?? 1}`) })}</>;
  }
  return <>{t("series.rule.monthlyDate", { every, day: rule.monthDay ?? 1 })}</>;
}
