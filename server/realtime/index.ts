// socket.io: authenticated connections join `user:<id>` and `council:<id>` rooms.
// Domain events become emits here and only here.
import type { Server as HttpServer } from "node:http";
import { Server, type ServerOptions } from "socket.io";
import type { Db } from "../../db";
import { getSessionUser, sessionIdOf } from "../auth/session";
import { listCouncilsForUser } from "../domain/councils";
import type { LocalEventBus } from "../domain/events";
import { listNotifications, unreadCount } from "../domain/notifications";
import { isSameOrigin } from "../http-origin";
import { log } from "../log";
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from "./protocol";

export interface RealtimeOptions {
  db: Db;
  bus: LocalEventBus;
  sessionSecret: string;
  publicUrl: string | null;
  secure: boolean;
  /** socket.io's adapter across nodes (the Redis adapter); default: this process only. */
  adapter?: ServerOptions["adapter"];
}

export function initRealtime(httpServer: HttpServer, opts: RealtimeOptions) {
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(httpServer, {
    // Several nodes: rooms and emits span them through Redis (see server/redis.ts).
    ...(opts.adapter ? { adapter: opts.adapter } : {}),
    serveClient: false,
    // Other upgrade paths (/yjs/) belong to other handlers: do not destroy them.
    destroyUpgrade: false,
    maxHttpBufferSize: 64 * 1024,
    // Cross-site WebSocket hijacking: refuse foreign origins before the handshake.
    allowRequest: (req, cb) => cb(null, isSameOrigin(req, opts.publicUrl, opts.secure)),
  });

  io.use(async (socket, next) => {
    try {
      const user = await getSessionUser(opts.db, socket.request.headers.cookie, opts.sessionSecret);
      if (!user) return next(new Error("unauthorized"));
      socket.data.userId = user.id;
      socket.data.sessionId = sessionIdOf(socket.request.headers.cookie, opts.sessionSecret)!;
      next();
    } catch (err) {
      log.error("socket auth failed", { err: String(err) });
      next(new Error("server error"));
    }
  });

  io.on("connection", async (socket) => {
    const userId = socket.data.userId;
    const councils = (await listCouncilsForUser(opts.db, userId)).filter((c) => c.active);
    await socket.join([`user:${userId}`, `session:${socket.data.sessionId}`, ...councils.map((c) => `council:${c.id}`)]);
    socket.emit("ready", { userId, councils: councils.map((c) => c.slug) });
  });

  /** Re-resolve whether the person may be in the council's room now (an adjunct period may have ended). */
  async function syncRooms(userId: string, councilId: string) {
    const active = (await listCouncilsForUser(opts.db, userId)).some((c) => c.id === councilId && c.active);
    if (active) {
      io.in(`user:${userId}`).socketsJoin(`council:${councilId}`);
      return;
    }
    // Access ended by a role change: tell the person, as for a removal (only if they had it).
    const had = (await io.in(`user:${userId}`).fetchSockets()).some((s) => s.rooms.has(`council:${councilId}`));
    io.in(`user:${userId}`).socketsLeave(`council:${councilId}`);
    if (had) io.to(`user:${userId}`).emit("council:access-revoked", { councilId });
  }

  /** The person's newest notification, in their language, to every tab they have open. */
  async function pushLatestNotification(userId: string) {
    const user = await opts.db.selectFrom("users").select("locale").where("id", "=", userId).executeTakeFirst();
    const [latest] = await listNotifications(opts.db, userId, user?.locale === "en" ? "en" : "sv", { limit: 1 });
    if (!latest) return;
    const unread = await unreadCount(opts.db, userId);
    io.to(`user:${userId}`).emit("notification:new", { id: latest.id, text: latest.text, link: latest.link, unread });
  }

  // Events published on this node only: with several nodes, the Redis adapter takes
  // every emit, room join and disconnect below to the sockets on the other nodes.
  const unsubscribe = opts.bus.subscribe((event, origin) => {
    if (origin !== "here") return;
    switch (event.type) {
      case "membership.added":
      case "membership.changed":
        void syncRooms(event.userId, event.councilId)
          .catch((err) => log.error("room sync failed", { err: String(err) }))
          .then(() => io.to(`council:${event.councilId}`).emit("council:members-changed", { councilId: event.councilId }));
        break;
      case "membership.removed":
        io.in(`user:${event.userId}`).socketsLeave(`council:${event.councilId}`);
        io.to(`user:${event.userId}`).emit("council:access-revoked", { councilId: event.councilId });
        io.to(`council:${event.councilId}`).emit("council:members-changed", { councilId: event.councilId });
        break;
      case "council.created":
        break;
      case "meeting.convened":
      case "meeting.moved":
      case "meeting.updated":
      case "meeting.cancelled":
        io.to(`council:${event.councilId}`).emit("council:meetings-changed", {
          councilId: event.councilId,
          meetingId: event.meetingId,
          change: event.type.slice("meeting.".length) as "convened" | "moved" | "updated" | "cancelled",
        });
        break;
      case "poll.changed":
      case "agenda.changed":
      case "minutes.changed":
        io.to(`council:${event.councilId}`).emit("council:meetings-changed", {
          councilId: event.councilId,
          meetingId: event.meetingId,
          change: event.type === "poll.changed" ? "poll" : event.type === "agenda.changed" ? "agenda" : "minutes",
        });
        break;
      case "plan.changed":
        break;
      case "followup.recorded":
        io.to(`council:${event.councilId}`).emit("council:followup", { councilId: event.councilId, planId: event.planId });
        break;
      case "session.ended":
        io.in(`session:${event.sessionId}`).disconnectSockets(true);
        break;
      case "user.removed":
        io.in(`user:${event.userId}`).disconnectSockets(true);
        break;
      case "notifications.created":
        for (const userId of event.userIds) {
          void pushLatestNotification(userId).catch((err) => log.error("notification push failed", { err: String(err) }));
        }
        break;
      case "statement.changed":
        io.to(`council:${event.councilId}`).emit("council:statement", { councilId: event.councilId, statementId: event.statementId });
        break;
      case "activity.recorded":
        io.to(`council:${event.councilId}`).emit("council:activity", { councilId: event.councilId });
        break;
    }
  });

  return {
    io,
    async close() {
      unsubscribe();
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
