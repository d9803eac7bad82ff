// The collab server's wire format and presence rules (server/collab/messages.ts,
// protocol.ts), on frames made by the real y-protocols encoders the stock client uses.
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { BadMessage, CLOSE, closeFor, decodeAwareness, readMessage, Refused, syncUpdateMessage } from "../../server/collab/messages";
import { bindIdentity } from "../../server/collab/protocol";

const frame = (write: (enc: encoding.Encoder) => void) => {
  const enc = encoding.createEncoder();
  write(enc);
  return encoding.toUint8Array(enc);
};

describe("collab wire format", () => {
  it("reads the stock client's sync step 1, step 2 and update frames", () => {
    const doc = new Y.Doc();
    doc.getText("t").insert(0, "hej");
    const step1 = readMessage(frame((enc) => (encoding.writeVarUint(enc, 0), syncProtocol.writeSyncStep1(enc, doc))));
    expect(step1).toEqual({ type: "syncStep1", stateVector: Y.encodeStateVector(doc) });
    const step2 = readMessage(frame((enc) => (encoding.writeVarUint(enc, 0), syncProtocol.writeSyncStep2(enc, doc))));
    expect(step2.type).toBe("update");
    const update = Y.encodeStateAsUpdate(doc);
    expect(readMessage(syncUpdateMessage(update))).toEqual({ type: "update", update });
  });

  it("reads presence with each state parsed, and refuses an oversized one", () => {
    const doc = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(doc);
    awareness.setLocalState({ user: { name: "Anders" }, cursor: 3 });
    const update = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    const msg = readMessage(frame((enc) => (encoding.writeVarUint(enc, 1), encoding.writeVarUint8Array(enc, update))));
    expect(msg.type === "awareness" && msg.entries.map((e) => [e.clientId, e.parsed])).toEqual([[doc.clientID, { user: { name: "Anders" }, cursor: 3 }]]);

    awareness.setLocalState({ note: "x".repeat(5000) });
    const big = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
    expect(() => readMessage(frame((enc) => (encoding.writeVarUint(enc, 1), encoding.writeVarUint8Array(enc, big))))).toThrow(BadMessage);
    awareness.destroy();
  });

  it("turns every malformed frame into a BadMessage (4400), never a server error", () => {
    const doc = new Y.Doc();
    const full = frame((enc) => (encoding.writeVarUint(enc, 0), syncProtocol.writeSyncStep1(enc, doc)));
    for (const bad of [new Uint8Array([]), new Uint8Array([7]), new Uint8Array([0, 9]), full.slice(0, 2), new Uint8Array([1, 5, 1, 1, 1, 1, 0x22])]) {
      let err: unknown;
      try {
        readMessage(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(BadMessage);
      expect(closeFor(err)).toEqual({ kind: "bad", code: CLOSE.badMessage, reason: "Malformed message" });
    }
  });

  it("maps failures to close codes: limits keep theirs, lib0's range errors are bad input, the rest is ours", () => {
    expect(closeFor(new Refused(CLOSE.tooFast, "Writing too fast"))).toEqual({ kind: "refused", code: 4429, reason: "Writing too fast" });
    expect(closeFor(new BadMessage("x", "Missing earlier edits; reconnect", CLOSE.tryAgain))).toEqual({ kind: "bad", code: 1013, reason: "Missing earlier edits; reconnect" });
    expect(closeFor(new RangeError("Integer out of Range"))).toEqual({ kind: "bad", code: 4400, reason: "Malformed message" });
    expect(closeFor(new Error("SQLITE_BUSY"))).toEqual({ kind: "server", code: 1011, reason: "Server error" });
  });
});

describe("presence is bound to the signed-in person", () => {
  const conn = { userId: "u1", userName: "Karin Ek" };
  const entry = (state: unknown) => ({ clientId: 7, clock: 2, state: JSON.stringify(state), parsed: state });

  it("replaces whatever user a client claims by the session's, keeping only a short colour", () => {
    const bound = bindIdentity(entry({ user: { id: "u2", name: "Someone else", color: "#ff0000" + "0".repeat(40) }, cursor: 5 }), conn);
    expect(bound.clientId).toBe(7);
    expect(JSON.parse(bound.state)).toEqual({ user: { id: "u1", name: "Karin Ek", color: ("#ff0000" + "0".repeat(40)).slice(0, 32) }, cursor: 5 });
    // What the server sends on decodes with the stock client's decoder.
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, 1);
    encoding.writeVarUint(enc, bound.clientId);
    encoding.writeVarUint(enc, bound.clock);
    encoding.writeVarString(enc, bound.state);
    expect(decodeAwareness(encoding.toUint8Array(enc))[0].state).toBe(bound.state);
  });

  it("keeps a leaving client's null, and turns any other non-object into null", () => {
    expect(bindIdentity(entry(null), conn).state).toBe("null");
    expect(bindIdentity(entry([1, 2]), conn).state).toBe("null");
    expect(bindIdentity(entry("hi"), conn).state).toBe("null");
  });
});
