// The minutes text, co-edited live (Yjs `minutes:<meeting id>`, XmlFragment "content").
import { useEffect, useMemo } from "react";
import { colourFor } from "~/collab/hooks";
import { RichTextField } from "~/collab/RichTextField";
import { ConnectionStatus } from "~/collab/ConnectionStatus";
import { useLiveDoc } from "~/collab/useLiveDoc";
import { useT } from "~/i18n";


/** A rich text co-edited live: the minutes, or a statement's text (`label` names it). */
export function LiveMinutes({ docName, me, editable, label }: { docName: string; me: { id: string; name: string }; editable: boolean; label?: string }) {
  const t = useT();
  const live = useLiveDoc(docName);
  const fragment = useMemo(() => live?.doc.getXmlFragment("content"), [live?.doc]);
  const colour = colourFor(me.id);
  useEffect(() => {
    live?.provider.awareness.setLocalStateField("user", { id: me.id, name: me.name, color: colour });
  }, [live?.provider, me.id, me.name, colour]);
  return (
    <div className="live-minutes">
      <ConnectionStatus live={live} readOnly={!editable} loading="minutes.loading" />
      <span className="label" id="minutes-label">
        {label ?? t("minutes.text")}
      </span>
      {live?.synced && fragment ? (
        <RichTextField fragment={fragment} awareness={live.provider.awareness} user={{ name: me.name, color: colour }} labelledBy="minutes-label" editable={editable} />
      ) : null}
    </div>
  );
}
