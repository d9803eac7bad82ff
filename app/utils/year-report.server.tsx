// The year-end report's HTML, rendered once per request on the server (the charts'
// code stays out of the browser bundle, as the dashboard's: decision 030).
import { renderToStaticMarkup } from "react-dom/server";
import { YearReportBody } from "~/components/YearReport";

export const renderYearReport = (props: Parameters<typeof YearReportBody>[0]) => renderToStaticMarkup(<YearReportBody {...props} />);
