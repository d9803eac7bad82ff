// The header's link to the notification list, with the unread count, kept live:
// a new notification updates the count and is announced politely (role="status")
// with a link to it, without moving focus.
import { Link } from "@remix-run/react";
import { useEffect, useState } from "react";
import { useT } from "~/i18n";
import { liveSocket, type LiveSocket } from "./live-socket";

export function NotificationBell({ unread: initial }: { unread: number }) {
  const t = useT();
  const [unread, setUnread] = useState(initial);
  const [latest, setLatest] = useState<{ id: string; text: string } | null>(null);
  // The loader's count wins after every navigation or revalidation.
  useEffect(() => setUnread(initial), [initial]);
  useEffect(() => {
    let socket: LiveSocket | undefined;
    let cancelled = false;
    const onNew = (p: { id: string; text: string; link: string; unread: number }) => {
      setUnread(p.unread);
      setLatest({ id: p.id, text: p.text });
    };
    void liveSocket().then((s) => {
      if (cancelled) return;
      socket = s;
      s.on("notification:new", onNew);
    });
    return () => {
      cancelled = true;
      socket?.off("notification:new", onNew);
    };
  }, []);
  return (
    <>
      <Link to="/notifications" className="notif-link">
        {t("notifications.title")}
        {unread > 0 ? (
          <span className="notif-count">
            {" "}
            <span aria-hidden="true">{unread}</span>
            <span className="visually-hidden">{t("notifications.unreadCount", { count: unread })}</span>
          </span>
        ) : null}
      </Link>
      <div role="status" className="notif-toast-region">
        {latest ? (
          <p className="notif-toast">
            <span className="visually-hidden">{t("notifications.new")}: </span>
            {/* Through /notifications/<id>: opening it marks it read, then goes to the thing. */}
            <Link to={`/notifications/${latest.id}`}>{latest.text}</Link>{" "}
            <button type="button" className="link-button" onClick={() => setLatest(null)}>
              {t("notifications.dismiss")}
            </button>
          </p>
        ) : null}
      </div>
    </>
  );
}
