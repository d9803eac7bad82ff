// A meeting's documents (handlingar, issue #15): compact rows with the facts people
// scan for (name, type, size, who uploaded it, which item), each a download link;
// for those who may, an upload form and, per file, "Ändra" (rename, replace, delete)
// opened on request. Plain multipart forms posting to the attachments route: they
// work without script, and the route answers with a redirect back here that says
// what happened (?attachmentDone) or what was refused (?attachmentError).
// docs/decisions/039-meeting-documents.md
import { FileText, Paperclip, Pencil, Trash2, Upload } from "lucide-react";
import { ConfirmSubmit } from "~/components/ConfirmDialog";
import { ErrorSummary, Field, type FormMessage } from "~/components/forms";
import { useT } from "~/i18n";

export interface AttachmentRow {
  id: string;
  name: string;
  size: number;
  typeLabel: string;
  url: string;
  agendaItemId: string | null;
  itemTitle: string | null;
  uploadedBy: string | null;
  /** The viewer may rename, replace and delete it now. */
  canChange: boolean;
}

interface Props {
  /** Where the forms post (POST /councils/:slug/meetings/:id/attachments). */
  action: string;
  files: AttachmentRow[];
  /** Where the person may attach now: the meeting as a whole (null) and/or these items. Empty: no upload form. */
  targets: { id: string | null; title: string }[];
  limits: { mb: string; total: string; usedBytes: number };
  /** The last answer of the attachments route (from the redirect's query). */
  outcome: { done?: string; error?: FormMessage; intent?: string; attachmentId?: string } | null;
}

/** "12 kB", "3,4 MB": sizes in the reader's language. */
export function useFileSize() {
  const t = useT();
  const one = new Intl.NumberFormat(t.locale === "en" ? "en-GB" : "sv-SE", { maximumFractionDigits: 1 });
  return (bytes: number) => {
    if (bytes < 1024) return t("attachments.bytes", { n: bytes });
    if (bytes < 1024 * 1024) return t("attachments.kb", { n: Math.round(bytes / 1024) });
    return t("attachments.mb", { n: one.format(bytes / (1024 * 1024)) });
  };
}

/** The files of one agenda item, listed at the item (download links only; changes are made in Handlingar). */
export function ItemAttachments({ files }: { files: AttachmentRow[] }) {
  const t = useT();
  const size = useFileSize();
  if (!files.length) return null;
  return (
    <div className="item-attachments">
      <span className="visually-hidden">{t("attachments.ofItem")}:</span>
      <ul className="attachment-links">
        {files.map((f) => (
          <li key={f.id}>
            <Paperclip aria-hidden="true" size={14} />{" "}
            <a href={f.url} download>
              {f.name}
            </a>{" "}
            <span className="muted">
              ({f.typeLabel}, {size(f.size)})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function FileMenu({ file, action, outcome }: { file: AttachmentRow; action: string; outcome: Props["outcome"] }) {
  const t = useT();
  const mine = outcome?.error && outcome.attachmentId === file.id ? outcome : undefined;
  const prefix = `file-${file.id}-`;
  const errors = mine?.error ? { [mine.intent === "rename" ? "name" : "file"]: mine.error } : undefined;
  return (
    <details className="item-menu" open={!!mine}>
      <summary aria-label={t("attachments.menuLabel", { name: file.name })}>
        <Pencil aria-hidden="true" size={16} /> {t("attachments.menu")}
      </summary>
      <div className="item-menu__body">
        {mine ? <ErrorSummary errors={errors} labels={{ name: t("attachments.rename"), file: t("attachments.replace") }} idPrefix={prefix} /> : null}
        <form method="post" action={action} encType="multipart/form-data">
          <input type="hidden" name="intent" value="rename" />
          <input type="hidden" name="attachmentId" value={file.id} />
          <Field name="name" idPrefix={prefix} label={t("attachments.rename")} errors={mine?.intent === "rename" ? errors : undefined}>
            {(a) => <input {...a} type="text" defaultValue={file.name} maxLength={200} required />}
          </Field>
          <button type="submit" className="button--secondary">
            {t("attachments.renameSubmit")}
          </button>
        </form>
        <form method="post" action={action} encType="multipart/form-data">
          <input type="hidden" name="intent" value="replace" />
          <input type="hidden" name="attachmentId" value={file.id} />
          <Field name="file" idPrefix={prefix} label={t("attachments.replace")} errors={mine?.intent === "replace" ? errors : undefined}>
            {(a) => <input {...a} type="file" required />}
          </Field>
          <button type="submit" className="button--secondary">
            {t("attachments.replaceSubmit")}
          </button>
        </form>
        <form method="post" action={action} encType="multipart/form-data" className="inline-form">
          <input type="hidden" name="intent" value="delete" />
          <input type="hidden" name="attachmentId" value={file.id} />
          <ConfirmSubmit
            className="button--secondary button--small button--danger-text"
            label={t("attachments.delete", { name: file.name })}
            confirm={{ title: t("planEditor.deleteTitle", { title: file.name }), body: t("confirm.deleteAttachmentBody"), confirm: t("attachments.deleteShort") }}
          >
            <Trash2 aria-hidden="true" size={16} /> {t("attachments.deleteShort")}
          </ConfirmSubmit>
        </form>
      </div>
    </details>
  );
}

export function AttachmentsSection({ action, files, targets, limits, outcome }: Props) {
  const t = useT();
  const size = useFileSize();
  // A refusal of an upload shows at the upload form; one of a file's change, in that file's menu.
  const inMenu = !!outcome?.error && outcome.intent !== "upload" && files.some((f) => f.id === outcome.attachmentId && f.canChange);
  const uploadError = outcome?.error && !inMenu && targets.length ? outcome.error : undefined;
  const otherError = outcome?.error && !inMenu && !targets.length ? outcome.error : undefined;
  const doneKey =
    outcome?.done === "added"
      ? "attachments.added"
      : outcome?.done === "renamed"
        ? "attachments.renamed"
        : outcome?.done === "replaced"
          ? "attachments.replaced"
          : outcome?.done === "deleted"
            ? "attachments.deleted"
            : null;
  return (
    <section aria-labelledby="handlingar-h" id="handlingar" className="attachments">
      <h2 id="handlingar-h">{t("attachments.title")}</h2>
      <div aria-live="polite">{doneKey ? <p className="notice">{t(doneKey)}</p> : null}</div>
      {otherError ? <ErrorSummary errors={{ _form: otherError }} labels={{}} /> : null}
      {files.length === 0 ? (
        <p>{t("attachments.none")}</p>
      ) : (
        <ul className="attachment-list">
          {files.map((f) => (
            <li key={f.id} className="attachment-row">
              <p className="attachment-row__main">
                <FileText aria-hidden="true" size={18} />{" "}
                <a href={f.url} download aria-label={t("attachments.download", { name: f.name })}>
                  {f.name}
                </a>
              </p>
              <p className="attachment-row__facts muted">
                <span>
                  <span className="visually-hidden">{t("attachments.type")}: </span>
                  {f.typeLabel}
                </span>
                {" · "}
                <span>
                  <span className="visually-hidden">{t("attachments.size")}: </span>
                  {size(f.size)}
                </span>
                {f.uploadedBy ? (
                  <>
                    {" · "}
                    <span>
                      {t("attachments.uploadedBy")} {t.person(f.uploadedBy)}
                    </span>
                  </>
                ) : null}
                {f.itemTitle ? (
                  <>
                    {" · "}
                    <span>
                      {t("attachments.atItem")}: {f.itemTitle}
                    </span>
                  </>
                ) : null}
              </p>
              {f.canChange ? <FileMenu file={f} action={action} outcome={outcome} /> : null}
            </li>
          ))}
        </ul>
      )}
      {targets.length ? (
        <details className="attachment-upload" open={!!uploadError || files.length === 0}>
          <summary>
            <Upload aria-hidden="true" size={16} /> <span id="attachment-upload-h">{t("attachments.upload")}</span>
          </summary>
          <ErrorSummary errors={uploadError ? { file: uploadError } : undefined} labels={{ file: t("attachments.file") }} idPrefix="attachment-" />
          <form method="post" action={action} encType="multipart/form-data" aria-labelledby="attachment-upload-h">
            <input type="hidden" name="intent" value="upload" />
            <Field
              name="file"
              idPrefix="attachment-"
              label={t("attachments.file")}
              hint={t("attachments.limits", { mb: limits.mb, total: limits.total, used: size(limits.usedBytes) })}
              errors={uploadError ? { file: uploadError } : undefined}
            >
              {(a) => <input {...a} type="file" required />}
            </Field>
            {targets.length > 1 || targets[0].id !== null ? (
              <Field name="agendaItemId" idPrefix="attachment-" label={t("attachments.item")} errors={undefined}>
                {(a) => (
                  <select {...a} defaultValue={targets[0].id ?? ""}>
                    {targets.map((x) => (
                      <option key={x.id ?? "meeting"} value={x.id ?? ""}>
                        {x.id ? x.title : t("attachments.itemNone")}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            ) : null}
            <button type="submit">{t("attachments.uploadSubmit")}</button>
          </form>
        </details>
      ) : null}
    </section>
  );
}
