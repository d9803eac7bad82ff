// A real SMTP server in its own process (smtp-server from npm), for tests of the
// SMTP path: prints `listening <port>`, then one JSON line per message received.
// Usage: node tests/helpers/smtp-sink.mjs [port]
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        const line = {
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          from: mail.from?.text ?? "",
          to: mail.to ? (Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(", ") : mail.to.text) : "",
          subject: mail.subject ?? "",
          text: mail.text ?? "",
        };
        process.stdout.write(JSON.stringify(line) + "\n");
        callback();
      })
      .catch((err) => callback(err));
  },
});
server.listen(Number(process.argv[2] ?? 0), "127.0.0.1", () => {
  process.stdout.write(`listening ${server.server.address().port}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
