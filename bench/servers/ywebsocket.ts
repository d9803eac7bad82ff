// Child process: the classic y-websocket server (v2.1.0, installed as
// `y-websocket-v2`), no persistence, on 127.0.0.1 and an ephemeral port. This is
// what `npx y-websocket` runs (bin/server.cjs), minus the env-driven extras:
// YPERSISTENCE and CALLBACK_URL are unset, so documents live in memory only.
import http from "node:http";
import { createRequire } from "node:module";
import { WebSocketServer } from "ws";
import { HOST, serveIpc } from "../lib";

delete process.env.YPERSISTENCE;
delete process.env.CALLBACK_URL;
const require = createRequire(import.meta.url);
const utils = require("y-websocket-v2/bin/utils") as {
  setupWSConnection: (conn: unknown, req: http.IncomingMessage, opts?: { docName?: string; gc?: boolean }) => void;
  docs: Map<string, unknown>;
};

const server = http.createServer((_req, res) => {
  res.writeHead(200, { "content-type": "text/plain" });
  res.end("okay");
});
const wss = new WebSocketServer({ noServer: true });
wss.on("connection", utils.setupWSConnection);
server.on("upgrade", (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
});

server.listen(0, HOST, () => {
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  serveIpc(
    port,
    { server: "y-websocket 2.1.0 (bin/utils.cjs setupWSConnection), no persistence" },
    { stats: () => ({ docs: utils.docs.size, connections: wss.clients.size }) },
    async () => {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  );
});
