// "Live" / "Offline" beside a list that the live connection keeps current. Its own
// component: only it re-renders when the connection's state changes.
import { useT } from "~/i18n";
import { useLiveState } from "./live-socket";

export function LiveStatus() {
  const t = useT();
  const live = useLiveState();
  return (
    <span className="live-status" role="status" data-live={live}>
      {live === "live" ? t("council.live") : live === "offline" ? t("council.offline") : ""}
    </span>
  );
}
