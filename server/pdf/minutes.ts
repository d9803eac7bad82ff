// The minutes (protokoll) of a meeting as an accessible PDF (issue #15): the
// council, the meeting, its time and place, attendance by organisation, the
// numbered paragraphs with their decisions, the text, the action items and the
// approvers with their dates; the checksum of the frozen text on the last page.
// Until approved, every page is marked as a draft.
import type { MinutesPdfData } from "../domain/meeting-pdfs";
import { richTextStateBlocks } from "./rich-text";
import { TaggedPdf } from "./tagged";
import type { PdfTexts } from "./texts";

const PRESENCE = {
  present: "pdf.presence.present",
  substitute: "pdf.presence.substitute",
  excused: "pdf.presence.excused",
  absent: "pdf.presence.absent",
  guest: "pdf.presence.guest",
} as const;
const APPROVER = { pending: "pdf.approver.pending", approved: "pdf.approver.approved", returned: "pdf.approver.returned" } as const;
const STATUS = { draft: "pdf.status.draft", closed: "pdf.status.closed", approved: "pdf.status.approved" } as const;

export async function minutesPdf(d: MinutesPdfData, x: PdfTexts): Promise<Buffer> {
  const { t } = x;
  const title = t("pdf.minutes.title", { title: d.title });
  const pdf = new TaggedPdf({
    title,
    author: d.council,
    subject: d.council,
    lang: x.lang,
    mark: d.status === "approved" ? undefined : t("pdf.draftMark"),
    pageLabel: (n, total) => t("pdf.page", { n, total }),
  });
  pdf.h1(title);
  pdf.p(d.council, { bold: true });
  pdf.p(t("pdf.when", { when: d.startsAt && d.endsAt ? x.when(d.startsAt, d.endsAt) : t("pdf.timeNotSet") }));
  if (d.location) pdf.p(t("pdf.where", { place: d.location }));
  pdf.p(t(STATUS[d.status], { date: d.approvedAt ? x.date(d.approvedAt) : "" }));

  pdf.h2(t("pdf.attendance"));
  if (d.attendance.length) {
    pdf.table(
      [t("pdf.attendance.organisation"), t("pdf.attendance.name"), t("pdf.attendance.presence")],
      d.attendance.map((a) => [
        a.organisation,
        x.person(a.name),
        a.presence === "substitute" && a.note
          ? t("pdf.presence.substituteFor", { name: x.person(a.note) })
          : a.presence === "guest" && a.note
            ? t("pdf.presence.guestAs", { role: a.note })
            : t(PRESENCE[a.presence]),
      ]),
      ["*", "*", 110],
    );
  } else {
    pdf.p(t("minutes.noAttendance"));
  }

  pdf.h2(t("pdf.paragraphs"));
  if (!d.paragraphs.length) pdf.p(t("minutes.noAgenda"));
  for (const p of d.paragraphs) {
    pdf.h3(t("pdf.paragraph", { n: p.paragraph, title: p.title }));
    pdf.p(p.decision ? t("pdf.decision", { decision: p.decision }) : t("minutes.noDecisionYet"));
  }

  pdf.h2(t("minutes.text"));
  const blocks = richTextStateBlocks(d.textState);
  if (!blocks.length) pdf.p(t("pdf.noText"));
  for (const b of blocks) {
    if (b.kind === "heading") pdf.h3(b.text);
    else if (b.kind === "paragraph") pdf.p(b.text);
    else pdf.list(b.items, b.ordered);
  }

  pdf.h2(t("minutes.actionItems"));
  if (d.actionItems.length) {
    pdf.list(
      d.actionItems.map((i) =>
        [i.what, i.owner ? t("pdf.actionItem.owner", { name: x.person(i.owner) }) : null, i.dueDate ? t("pdf.actionItem.due", { date: x.date(i.dueDate) }) : null]
          .filter(Boolean)
          .join(" – "),
      ),
    );
  } else {
    pdf.p(t("minutes.noActionItems"));
  }

  pdf.h2(t("minutes.approval"));
  if (d.approvers.length) {
    pdf.list(d.approvers.map((a) => t(APPROVER[a.status], { name: x.person(a.name), date: a.decidedAt ? x.date(a.decidedAt) : "" })));
  } else {
    pdf.p(t("minutes.noApprovers"));
  }

  // Last: the checksum of the frozen text, so a printed copy can be checked against the record.
  pdf.p(d.checksum ? t(d.status === "approved" ? "pdf.checksum.approved" : "pdf.checksum.closed", { sum: d.checksum }) : t("pdf.checksum.none"), { small: true });
  return pdf.finish();
}
