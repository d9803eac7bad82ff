// The year-end report as an accessible (tagged) PDF (issue #17): the same content as
// the printable page (server/domain/year-report.ts), each indicator's values drawn as
// a Figure with its alternative text, and the values as a table beside it.
import type { IndicatorWithValues } from "../domain/indicators";
import type { YearReportData } from "../domain/year-report";
import { TaggedPdf } from "./tagged";
import type { PdfTexts } from "./texts";

export async function yearReportPdf(d: YearReportData, x: PdfTexts, num: (v: number) => string): Promise<Buffer> {
  const { t } = x;
  const title = t("pdf.report.title", { year: d.year, council: d.council });
  const pdf = new TaggedPdf({ title, author: d.council, subject: t("report.title", { year: d.year }), lang: x.lang, pageLabel: (n, total) => t("pdf.page", { n, total }) });
  const withUnit = (v: number | null, unit: string) => (v === null ? "–" : unit ? `${num(v)} ${unit}` : num(v));
  const status = (s: string) => t(`status.${s}` as "status.on_track");
  pdf.h1(title);
  pdf.p(t("report.intro"));
  pdf.p(t("report.asOf", { date: x.date(d.asOf), actions: d.total.actions, progress: d.total.progress }));
  if (d.adoption) pdf.p(t("report.adopted", { date: x.date(d.adoption.adoptedAt), decision: d.adoption.decision ?? "" }));

  for (const a of d.areas) {
    pdf.h2(a.title || t("plan.untitled"));
    pdf.p(t("report.areaSummary", { actions: a.summary.actions, progress: a.summary.progress, overdue: a.summary.overdue }));
    pdf.table(
      [t("indicator.action"), t("plan.status"), t("plan.progress"), t("plan.responsibleUser")],
      a.actions.map((r) => [r.title || t("plan.untitled"), status(r.status), `${r.progress} %`, [r.owner ? x.person(r.owner) : "", r.org].filter(Boolean).join(", ") || "–"]),
      ["*", 95, 60, 130],
    );
    for (const r of a.actions) {
      if (!r.indicators) continue;
      pdf.h3(t("report.indicatorsOf", { title: r.title || t("plan.untitled") }));
      pdf.table(
        [t("indicator.name"), t("indicator.baseline"), t("indicator.latest"), t("indicator.target"), t("indicator.reachedShort")],
        r.indicators.indicators.map((i) => [
          i.name || t("indicator.untitled"),
          withUnit(i.baseline, i.unit),
          i.standing.latest ? `${withUnit(i.standing.latest.value, i.unit)} (${x.date(i.standing.latest.date)})` : "–",
          withUnit(i.target, i.unit),
          i.standing.reached === null ? "–" : `${Math.round(i.standing.reached * 100)} %`,
        ]),
        ["*", 70, 110, 70, 60],
      );
      for (const i of r.indicators.indicators) if (i.values.length) chart(pdf, i, t("indicator.chartLabel", { name: i.name, baseline: withUnit(i.baseline, i.unit), target: withUnit(i.target, i.unit), count: i.values.length, latest: withUnit(i.values.at(-1)!.value, i.unit), date: x.date(i.values.at(-1)!.date) }));
    }
  }

  pdf.h2(t("report.decisions"));
  if (d.decisions.length) pdf.list(d.decisions.map((dd) => `${t("report.decision", { date: x.date(dd.date), meeting: dd.meeting, paragraph: dd.paragraph, title: dd.title })}: ${dd.decision} (${t("decisions.action", { title: dd.action })})`));
  else pdf.p(t("report.noDecisions"));

  pdf.h2(d.carried.nextYear ? t("report.carried", { year: d.carried.nextYear }) : t("report.toCarry"));
  if (d.carried.actions.length) pdf.list(d.carried.actions.map((a) => `${a.title || t("plan.untitled")} (${status(a.status)})`));
  else pdf.p(t("report.noneCarried"));
  return pdf.finish();
}

const dayNumber = (s: string) => Date.UTC(Number(s.slice(0, 4)), Number(s.slice(5, 7)) - 1, Number(s.slice(8, 10))) / 86_400_000;

/** An indicator's values over time as a Figure: baseline square, values joined by a line, the target dashed. */
function chart(pdf: TaggedPdf, i: IndicatorWithValues, alt: string) {
  pdf.figure(alt, 110, (doc, box) => {
    const dates = [i.baselineDate, i.targetDate, ...i.values.map((v) => v.date)].filter((v): v is string => !!v).sort();
    const ys = [i.baseline, i.target, ...i.values.map((v) => v.value)].filter((v): v is number => v !== null);
    let lo = Math.min(...ys);
    let hi = Math.max(...ys);
    if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
    const x0 = dayNumber(dates[0]);
    const span = Math.max(1, dayNumber(dates.at(-1)!) - x0);
    const px = (d: string) => box.x + ((dayNumber(d) - x0) / span) * box.width;
    const py = (v: number) => box.y + box.height - ((v - lo) / (hi - lo)) * box.height;
    doc.save().lineWidth(0.5).strokeColor("#444444").moveTo(box.x, box.y + box.height).lineTo(box.x + box.width, box.y + box.height).stroke();
    if (i.target !== null) doc.dash(4, { space: 3 }).moveTo(box.x, py(i.target)).lineTo(box.x + box.width, py(i.target)).stroke().undash();
    const points = [...(i.baseline !== null && i.baselineDate ? [{ date: i.baselineDate, value: i.baseline }] : []), ...i.values];
    doc.lineWidth(1.5).strokeColor("#1d4f91");
    points.forEach((p, k) => (k ? doc.lineTo(px(p.date), py(p.value)) : doc.moveTo(px(p.date), py(p.value))));
    if (points.length > 1) doc.stroke();
    if (i.baseline !== null && i.baselineDate) doc.lineWidth(1).strokeColor("#000000").rect(px(i.baselineDate) - 3, py(i.baseline) - 3, 6, 6).stroke();
    doc.fillColor("#1d4f91");
    for (const v of i.values) doc.circle(px(v.date), py(v.value), 2.5).fill();
    doc.restore();
  });
}
