// One pattern for every wide table (issue #13, docs/decisions/030-charts-and-tables.md):
// on a narrow screen the table scrolls sideways inside its own region, never the
// page. The region is focusable and named, so a keyboard user can scroll it with
// the arrow keys and a screen reader announces what it holds (WCAG 2.1.1, axe's
// scrollable-region-focusable); a visible hint says that it scrolls. The region is
// the containing block of everything inside it (position: relative in styles.css):
// a visually hidden label in a cell, which is absolutely positioned, would
// otherwise widen the page from under the scroll container.
// No hooks: the dashboard renders it with renderToStaticMarkup (DashboardBody).
import type { ReactNode } from "react";
import { MoveHorizontal } from "lucide-react";

export function ScrollTable({ label, hint, children, className }: { label: string; hint: string; children: ReactNode; className?: string }) {
  return (
    <div className={className ? `scroll-table ${className}` : "scroll-table"}>
      <p className="scroll-table__hint">
        <MoveHorizontal aria-hidden="true" size={16} /> {hint}
      </p>
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex -- a scroll container must be reachable by keyboard */}
      <div className="scroll-table__region" role="region" aria-label={label} tabIndex={0}>
        {children}
      </div>
    </div>
  );
}
