// Child process: a Hocuspocus 3 server with no extensions (so no persistence),
// on 127.0.0.1 and an ephemeral port.
import { Server } from "@hocuspocus/server";
import { HOST, serveIpc } from "../lib";

const server = new Server({ port: 0, address: HOST, quiet: true, stopOnSignals: false });
await server.listen();
serveIpc(
  server.address.port,
  { server: "@hocuspocus/server 3.4, no extensions" },
  { stats: () => ({ docs: server.hocuspocus.getDocumentsCount(), connections: server.hocuspocus.getConnectionsCount() }) },
  async () => {
    await server.destroy();
  },
);
