// GET /councils/:slug/plans/:year/report.pdf — the year-end report as an accessible
// (tagged) PDF (issue #17): the same content as the report page, for whoever sees
// the plan's dashboard.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { yearReportData } from "../../server/domain/year-report";
import { yearReportPdf } from "../../server/pdf/year-report";
import { formatNumber } from "~/i18n";
import { plainError } from "~/utils/attachments.server";
import { requireCouncil } from "~/utils/auth.server";
import { pdfFileName, pdfResponse, pdfTexts } from "~/utils/pdf.server";
import { requirePlan } from "~/utils/plan.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // A resource route throws plain Responses (a thrown `data()` is logged as a server error).
  const { council, membership } = await requireCouncil(request, context, params.slug, "plan:view").catch((err: unknown) => {
    throw plainError(err);
  });
  const plan = await requirePlan(context, council.id, params.year).catch((err: unknown) => {
    throw plainError(err);
  });
  const data = await yearReportData(context.db, { councilName: council.name, plan, viewer: membership });
  const bytes = await yearReportPdf(data, pdfTexts(), (v) => formatNumber("sv", v));
  return pdfResponse(bytes, pdfFileName("arsrapport", council.name, `${plan.year}`));
}
