// The dashboard's two charts: actions per status in each priority area, and the plan
// year month by month (docs/decisions/030-charts-and-tables.md). They are SVG drawn on
// the server with visx (scales and bar stacks) inside the dashboard's HTML fragments
// (DashboardBody, rendered with renderToStaticMarkup): no chart code reaches the
// browser, and they show without JavaScript. No hooks, no inline styles (CSP).
//
// Accessible: each chart is a <figure> with a <figcaption>; the <svg> is role="img"
// with a summary in words (aria-label); the numbers are in a table beside it; a
// status is never colour alone (each has a pattern too, the legend names them in
// words, and wide enough segments carry their count).
//
// Bars are laid out in percent of the chart's width (SVG accepts "40%" for x and
// width), so the chart fills any screen from 360 px up and its text keeps its size;
// heights are in pixels.
import { PatternCircles, PatternLines } from "@visx/pattern";
import { scaleBand, scaleLinear } from "@visx/scale";
import { BarStack, BarStackHorizontal } from "@visx/shape";
import type { ReactNode } from "react";
import { ACTION_STATUSES, type ActionStatus } from "../../server/domain/plan-doc";

export type StatusCounts = Record<ActionStatus, number>;

/** Colour and pattern of each status; the colours are the status badges' (styles.css .status--*). */
const LOOK: Record<ActionStatus, { color: string; pattern: "solid" | "diagonal" | "cross" | "dots" | "horizontal" | "empty" }> = {
  not_started: { color: "#4a5361", pattern: "empty" },
  on_track: { color: "#1e6b34", pattern: "solid" },
  at_risk: { color: "#7a4b00", pattern: "diagonal" },
  delayed: { color: "#b3261e", pattern: "cross" },
  done: { color: "#1d4f91", pattern: "dots" },
  cancelled: { color: "#4a5361", pattern: "horizontal" },
};

/** Text on a segment: white on the solid ones, the status colour on a white box elsewhere. */
const ON_SOLID = new Set<ActionStatus>(["on_track"]);

/** The fill of a status: a pattern defined once a page (StatusPatterns). */
const fill = (s: ActionStatus) => `url(#status-fill-${s})`;

/**
 * The fill of each status, as <pattern> elements, once a page: the charts and the
 * legends' swatches all refer to these (an SVG may use a pattern of another SVG in
 * the same document). Not display:none, which would disable the patterns.
 */
export function StatusPatterns() {
  return (
    <svg className="chart-defs" width="0" height="0" aria-hidden="true" focusable="false">
      <Patterns id="status-fill" />
    </svg>
  );
}

function Patterns({ id }: { id: string }) {
  return (
    <defs>
      {ACTION_STATUSES.map((s) => {
        const { color, pattern } = LOOK[s];
        const pid = `${id}-${s}`;
        switch (pattern) {
          case "solid":
            return <PatternLines key={s} id={pid} height={6} width={6} stroke={color} strokeWidth={6} background={color} orientation={["horizontal"]} />;
          case "diagonal":
            return <PatternLines key={s} id={pid} height={8} width={8} stroke={color} strokeWidth={2} background="#fbe9c6" orientation={["diagonal"]} />;
          case "cross":
            return <PatternLines key={s} id={pid} height={8} width={8} stroke={color} strokeWidth={1.5} background="#f9d9d6" orientation={["diagonal", "diagonalRightToLeft"]} />;
          case "dots":
            return <PatternCircles key={s} id={pid} height={7} width={7} radius={1.8} fill={color} background="#dbe7f7" complement />;
          case "horizontal":
            return <PatternLines key={s} id={pid} height={6} width={6} stroke={color} strokeWidth={1} background="#eceef1" orientation={["horizontal"]} />;
          case "empty":
            return <PatternLines key={s} id={pid} height={6} width={6} stroke="#ffffff" strokeWidth={0} background="#ffffff" orientation={["horizontal"]} />;
        }
      })}
    </defs>
  );
}

/** The legend: every status as its swatch (colour and pattern) and its name. */
export function StatusLegend({ labels }: { labels: Record<ActionStatus, string> }) {
  return (
    <ul className="chart-legend">
      {ACTION_STATUSES.map((s) => (
        <li key={s}>
          <svg width="18" height="18" aria-hidden="true" focusable="false">
            <rect x="0.5" y="0.5" width="17" height="17" fill={fill(s)} stroke={LOOK[s].color} />
          </svg>
          {labels[s]}
        </li>
      ))}
    </ul>
  );
}

/** A count written on its segment when the segment is wide enough to hold it. */
function SegmentLabel({ status, x, width, y, value, minWidth }: { status: ActionStatus; x: number; width: number; y: number; value: number; minWidth: number }) {
  if (width < minWidth || !value) return null;
  const solid = ON_SOLID.has(status);
  return (
    <text x={`${x + width / 2}%`} y={y} textAnchor="middle" dominantBaseline="central" className={solid ? "chart-count chart-count--solid" : "chart-count"} fill={solid ? "#ffffff" : LOOK[status].color}>
      {value}
    </text>
  );
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}

const ROW = 54; // one area: its name, then its bar
const BAR = 24;

/**
 * Actions per status in each priority area: one horizontal stacked bar per area,
 * as long as the area has actions (the largest area spans the chart).
 */
export function StatusByAreaChart(props: {
  id: string;
  caption: string;
  summary: string;
  areas: { id: string; title: string; counts: StatusCounts; actions: number }[];
  labels: Record<ActionStatus, string>;
  /** The table with the same numbers, shown beside the chart. */
  table: ReactNode;
}) {
  const { id, caption, summary, areas, labels, table } = props;
  const max = Math.max(1, ...areas.map((a) => a.actions));
  const x = scaleLinear<number>({ domain: [0, max], range: [0, 100] });
  const y = scaleBand<string>({ domain: areas.map((a) => a.id), range: [0, areas.length * ROW] });
  const height = Math.max(ROW, areas.length * ROW);
  return (
    <figure className="chart" aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`} className="chart__caption">
        {caption}
      </figcaption>
      <svg className="chart__svg" width="100%" height={height} role="img" aria-label={summary} focusable="false">
        {areas.map((a) => (
          <text key={a.id} x="0" y={(y(a.id) ?? 0) + 16} className="chart-label">
            {clip(a.title, 44)} ({a.actions})
          </text>
        ))}
        <BarStackHorizontal<(typeof areas)[number], ActionStatus>
          data={areas}
          keys={[...ACTION_STATUSES]}
          value={(d, key) => d.counts[key]}
          y={(d) => d.id}
          xScale={x}
          yScale={y}
          color={() => ""}
        >
          {(stacks) =>
            stacks.map((stack) =>
              stack.bars.map((bar) => {
                if (!bar.width) return null;
                const top = bar.y + 24;
                return (
                  <g key={`${stack.key}-${bar.index}`}>
                    <rect x={`${bar.x}%`} y={top} width={`${bar.width}%`} height={BAR} fill={fill(stack.key)} stroke={LOOK[stack.key].color} strokeWidth={1} />
                    <SegmentLabel status={stack.key} x={bar.x} width={bar.width} y={top + BAR / 2} value={areas[bar.index].counts[stack.key]} minWidth={4} />
                  </g>
                );
              }),
            )
          }
        </BarStackHorizontal>
      </svg>
      <StatusLegend labels={labels} />
      {table}
    </figure>
  );
}

const COLUMN_HEIGHT = 160;
const TOP = 22; // room for the progress figure above a column
const AXIS = 24; // month names under the columns

/**
 * The plan year month by month: a stacked column of the actions' statuses at each
 * month's end, with the mean progress written above it.
 */
export function MonthlyChart(props: {
  id: string;
  caption: string;
  summary: string;
  months: { month: string; label: string; counts: StatusCounts; progress: number }[];
  labels: Record<ActionStatus, string>;
  table: ReactNode;
}) {
  const { id, caption, summary, months, labels, table } = props;
  const max = Math.max(1, ...months.map((m) => ACTION_STATUSES.reduce((n, s) => n + m.counts[s], 0)));
  // Always twelve slots: a chart in March has room for the rest of the year.
  const slots = Array.from({ length: 12 }, (_, i) => String(i));
  const x = scaleBand<string>({ domain: slots, range: [0, 100], paddingInner: 0.25, paddingOuter: 0.1 });
  const y = scaleLinear<number>({ domain: [0, max], range: [TOP + COLUMN_HEIGHT, TOP] });
  const data = months.map((m, i) => ({ ...m, slot: String(i) }));
  const width = x.bandwidth();
  return (
    <figure className="chart" aria-labelledby={`${id}-cap`}>
      <figcaption id={`${id}-cap`} className="chart__caption">
        {caption}
      </figcaption>
      <svg className="chart__svg" width="100%" height={TOP + COLUMN_HEIGHT + AXIS} role="img" aria-label={summary} focusable="false">
        <line x1="0" x2="100%" y1={TOP + COLUMN_HEIGHT + 0.5} y2={TOP + COLUMN_HEIGHT + 0.5} className="chart-axis" />
        <BarStack<(typeof data)[number], ActionStatus> data={data} keys={[...ACTION_STATUSES]} value={(d, key) => d.counts[key]} x={(d) => d.slot} xScale={x} yScale={y} color={() => ""}>
          {(stacks) =>
            stacks.map((stack) =>
              stack.bars.map((bar) =>
                bar.height > 0 ? (
                  <rect
                    key={`${stack.key}-${bar.index}`}
                    x={`${bar.x}%`}
                    y={bar.y}
                    width={`${bar.width}%`}
                    height={bar.height}
                    fill={fill(stack.key)}
                    stroke={LOOK[stack.key].color}
                    strokeWidth={1}
                  />
                ) : null,
              ),
            )
          }
        </BarStack>
        {data.map((m) => {
          const total = ACTION_STATUSES.reduce((n, s) => n + m.counts[s], 0);
          const mid = (x(m.slot) ?? 0) + width / 2;
          return (
            <g key={m.month}>
              <text x={`${mid}%`} y={y(total) - 6} textAnchor="middle" className="chart-value">
                {m.progress}%
              </text>
              <text x={`${mid}%`} y={TOP + COLUMN_HEIGHT + 17} textAnchor="middle" className="chart-label chart-label--axis">
                {m.label}
              </text>
            </g>
          );
        })}
      </svg>
      <StatusLegend labels={labels} />
      {table}
    </figure>
  );
}
