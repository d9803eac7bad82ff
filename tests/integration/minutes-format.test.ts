// The minutes page (#13): a template from the agenda seeded once, formatting kept
// after approval (the approved minutes are HTML with their lists and headings),
// decisions recorded next to their agenda item, and action items edited and deleted
// where the role allows. Real server, real HTTP, stock y-websocket clients.
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connect, synced, waitFor, type Client } from "../helpers/yjs";

describe("minutes: template, formatting, decisions and action items", () => {
  let s: TestServer;
  const c: Record<string, string> = {};
  const users: Record<string, string> = {};
  const clients: Client[] = [];
  let meetingId: string;
  let path: string;
  const headings = (frag: Y.XmlFragment) =>
    frag
      .toArray()
      .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === "heading")
      .map((h) => h.toArray().map((t) => (t as Y.XmlText).toString()).join(""));

  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: 20 } });
    for (const who of ["processledare", "ledamot", "observator", "maria.andersson"]) {
      c[who] = await login(s.url, `${who}@samsyn.test`);
      users[who] = (await s.db.selectFrom("users").select("id").where("email", "=", `${who}@samsyn.test`).executeTakeFirstOrThrow()).id;
    }
    meetingId = (await s.db.selectFrom("meetings").select("id").where("title", "=", "Rådsmöte: revidering av handlingsplanen").executeTakeFirstOrThrow()).id;
    path = `/councils/skaraborg/meetings/${meetingId}/minutes`;
  });
  afterAll(async () => {
    for (const cl of clients) cl.destroy();
    await s.close();
  });

  it("new minutes are seeded once from the agenda, even when two people open them at once", async () => {
    // Attendance straight into the database: any page load by a writer would seed the minutes.
    await s.db
      .insertInto("attendance")
      .values(["processledare", "ledamot", "maria.andersson"].map((who) => ({ meeting_id: meetingId, user_id: users[who], status: "present" as const })))
      .execute();
    // An observer opening the page seeds nothing (they cannot write the minutes).
    expect((await get(s.url, path, c.observator)).status).toBe(200);
    const before = connect(s.url, `doc:${meetingId}`, c.ledamot);
    clients.push(before);
    await synced(before);
    expect(before.doc.getXmlFragment("content").length).toBe(0);
    const pages = await Promise.all([get(s.url, path, c.processledare), get(s.url, path, c.ledamot), get(s.url, path, c.processledare)]);
    expect(pages.map((p) => p.status)).toEqual([200, 200, 200]);
    const frag = before.doc.getXmlFragment("content");
    await waitFor(() => headings(frag).length === 6, "the template to reach a connected client");
    const h = headings(frag);
    expect(h[0]).toMatch(/^Rådsmöte: revidering av handlingsplanen, \d+ \S+ \d{4}$/);
    expect(h.slice(1)).toEqual([
      "§1 Mötet öppnas",
      "§2 Årets uppföljning: åtgärder med risk för försening",
      "§3 Förslag till prioriterade områden nästa år",
      "§4 Beslut om att öppna revideringen",
      "§5 Övriga frågor",
    ]);
    const attendees = (frag.get(1) as Y.XmlElement).toString();
    expect(attendees).toContain("Närvarande:");
    expect(attendees).toContain("Karin Lindqvist");
    // One empty paragraph under each agenda heading.
    expect(frag.length).toBe(2 + 5 * 2);
    expect((frag.get(3) as Y.XmlElement).nodeName).toBe("paragraph");
    expect((frag.get(3) as Y.XmlElement).length).toBe(0);
    // Emptied by hand and opened again: not seeded a second time.
    before.doc.transact(() => frag.delete(0, frag.length));
    await new Promise((r) => setTimeout(r, 100));
    await get(s.url, path, c.processledare);
    await new Promise((r) => setTimeout(r, 100));
    expect(frag.length).toBe(0);
  });

  it("a link the server would not allow is refused; the editor's formatting is accepted", async () => {
    const writer = connect(s.url, `doc:${meetingId}`, c.ledamot);
    clients.push(writer);
    await synced(writer);
    const frag = writer.doc.getXmlFragment("content");
    writer.doc.transact(() => {
      const h = new Y.XmlElement("heading");
      h.setAttribute("level", 3 as unknown as string);
      const list = new Y.XmlElement("bulletList");
      const para = new Y.XmlElement("paragraph");
      frag.insert(0, [h, list, para]);
      h.insert(0, [new Y.XmlText("§1 Mötet öppnas")]);
      ["Karin hälsade välkommen", "Dagordningen godkändes"].forEach((text, i) => {
        const li = new Y.XmlElement("listItem");
        list.push([li]);
        const p = new Y.XmlElement("paragraph");
        li.insert(0, [p]);
        const t = new Y.XmlText();
        p.insert(0, [t]);
        t.insert(0, text, i === 1 ? { bold: {} } : undefined);
      });
      const t = new Y.XmlText();
      para.insert(0, [t]);
      t.insert(0, "<script>alert(1)</script> Läs ");
      t.insert(t.length, "underlaget", { link: { href: "https://example.org/underlag", target: "_blank", rel: "noopener noreferrer nofollow", class: null, title: null } });
    });
    const reader = connect(s.url, `doc:${meetingId}`, c.processledare);
    clients.push(reader);
    await synced(reader);
    await waitFor(() => reader.doc.getXmlFragment("content").toString().includes("underlaget"), "the formatted text to reach another client");
    // A javascript: link closes the writer's connection with 4400 and is not stored.
    const hostile = connect(s.url, `doc:${meetingId}`, c.ledamot);
    await synced(hostile);
    const closed = new Promise<number>((resolve) => hostile.provider.ws?.addEventListener("close", (e) => resolve((e as CloseEvent).code)));
    hostile.doc.transact(() => {
      const p = new Y.XmlElement("paragraph");
      hostile.doc.getXmlFragment("content").push([p]);
      const t = new Y.XmlText();
      p.insert(0, [t]);
      t.insert(0, "klicka", { link: { href: "javascript:alert(1)" } });
    });
    expect(await closed).toBe(4400);
    hostile.destroy();
    await new Promise((r) => setTimeout(r, 100));
    expect(reader.doc.getXmlFragment("content").toString()).not.toContain("javascript:");
  });

  it("decisions are recorded next to their agenda item by the leader, not by members or observers", async () => {
    const items = await s.db.selectFrom("agenda_items").select(["id", "title"]).where("meeting_id", "=", meetingId).orderBy("position").execute();
    const item = items.find((i) => i.title === "Beslut om att öppna revideringen")!;
    expect((await postForm(s.url, path, { intent: "decision", itemId: item.id, decision: "Nej." }, c.observator)).status).toBe(403);
    expect((await postForm(s.url, path, { intent: "decision", itemId: item.id, decision: "Nej." }, c.ledamot)).status).toBe(403);
    const bad = await postForm(s.url, path, { intent: "decision", itemId: "not-a-uuid", decision: "x" }, c.processledare);
    expect(bad.status).toBe(400);
    const ok = await postForm(s.url, path, { intent: "decision", itemId: item.id, decision: "Rådet beslutade att öppna revideringen." }, c.processledare);
    expect(ok.status).toBe(200);
    expect(textOf(ok.text)).toContain("Beslutet är antecknat.");
    const page = textOf((await get(s.url, path, c.ledamot)).text);
    expect(page).toContain("§4 Beslut om att öppna revideringen Rådet beslutade att öppna revideringen.");
    expect(page).toContain("§1 Mötet öppnas Inget beslut antecknat.");
    expect(textOf((await get(s.url, path, c.observator)).text)).not.toContain("Rådet beslutade att öppna revideringen.");
  });

  it("action items are edited and deleted by writers; observers are refused; bad input is a 400", async () => {
    await postForm(s.url, path, { intent: "actionItem", what: "Skicka ut underlaget", ownerUserId: users.ledamot }, c.ledamot);
    await postForm(s.url, path, { intent: "actionItem", what: "Boka lokal" }, c.ledamot);
    const rows = await s.db.selectFrom("action_items").select(["id", "what"]).where("meeting_id", "=", meetingId).orderBy("created_at").execute();
    const [send, room] = [rows.find((r) => r.what === "Skicka ut underlaget")!, rows.find((r) => r.what === "Boka lokal")!];
    expect((await postForm(s.url, path, { intent: "editActionItem", itemId: send.id, what: "Nej" }, c.observator)).status).toBe(403);
    expect((await postForm(s.url, path, { intent: "deleteActionItem", itemId: send.id }, c.observator)).status).toBe(403);
    const empty = await postForm(s.url, path, { intent: "editActionItem", itemId: send.id, what: "" }, c.ledamot);
    expect(empty.status).toBe(400);
    expect(textOf(empty.text)).toContain("Vad ska göras: Fyll i fältet.");
    expect((await postForm(s.url, path, { intent: "editActionItem", itemId: send.id, what: "x", dueDate: "2026-13-45" }, c.ledamot)).status).toBe(400);
    const edited = await postForm(s.url, path, { intent: "editActionItem", itemId: send.id, what: "Skicka ut underlaget senast fredag", ownerUserId: users["maria.andersson"], dueDate: "2030-01-10" }, c.ledamot);
    expect(edited.status).toBe(200);
    expect(textOf(edited.text)).toContain("Åtgärdspunkten är ändrad.");
    expect(await s.db.selectFrom("action_items").select(["what", "owner_user_id", "due_date"]).where("id", "=", send.id).executeTakeFirstOrThrow()).toEqual({
      what: "Skicka ut underlaget senast fredag",
      owner_user_id: users["maria.andersson"],
      due_date: "2030-01-10",
    });
    const deleted = await postForm(s.url, path, { intent: "deleteActionItem", itemId: room.id }, c.processledare);
    expect(deleted.status).toBe(200);
    expect(await s.db.selectFrom("action_items").select("id").where("id", "=", room.id).executeTakeFirst()).toBeUndefined();
    expect((await postForm(s.url, path, { intent: "deleteActionItem", itemId: room.id }, c.processledare)).status).toBe(404);
    // One already turned into a plan action is neither edited nor deleted here.
    await s.db.updateTable("action_items").set({ plan_action_id: "a-plan-action" }).where("id", "=", send.id).execute();
    expect((await postForm(s.url, path, { intent: "deleteActionItem", itemId: send.id }, c.ledamot)).status).toBe(409);
    expect((await postForm(s.url, path, { intent: "editActionItem", itemId: send.id, what: "x" }, c.ledamot)).status).toBe(409);
    await s.db.updateTable("action_items").set({ plan_action_id: null }).where("id", "=", send.id).execute();
  });

  it("approved minutes keep their headings, lists, bold and links as HTML, for observers too; frozen minutes refuse edits", async () => {
    expect((await postForm(s.url, path, { intent: "approvers", approver1: users["maria.andersson"] }, c.processledare)).status).toBe(200);
    expect((await postForm(s.url, path, { intent: "close" }, c.processledare)).status).toBe(200);
    const items = await s.db.selectFrom("action_items").select("id").where("meeting_id", "=", meetingId).execute();
    expect((await postForm(s.url, path, { intent: "deleteActionItem", itemId: items[0].id }, c.ledamot)).status).toBe(409);
    const agendaItem = await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meetingId).executeTakeFirstOrThrow();
    expect((await postForm(s.url, path, { intent: "decision", itemId: agendaItem.id, decision: "Sent." }, c.processledare)).status).toBe(409);
    // The meeting page's own decision form follows the same rule (recordDecision): closed minutes take no decision.
    const late = await postForm(s.url, path.replace(/\/minutes$/, ""), { intent: "decision", itemId: agendaItem.id, decision: "Sent." }, c.processledare);
    expect(late.status).toBe(409);
    expect((await s.db.selectFrom("agenda_items").select("decision").where("id", "=", agendaItem.id).executeTakeFirstOrThrow()).decision).not.toBe("Sent.");
    expect((await postForm(s.url, path, { intent: "decide", decision: "approve" }, c["maria.andersson"])).status).toBe(200);
    for (const who of ["observator", "ledamot"]) {
      const page = await get(s.url, path, c[who]);
      expect(page.status).toBe(200);
      const html = page.text;
      expect(html).toContain("<h3>§1 Mötet öppnas</h3>");
      expect(html).toContain("<ul><li><p>Karin hälsade välkommen</p></li><li><p><strong>Dagordningen godkändes</strong></p></li></ul>");
      expect(html).toContain('<a href="https://example.org/underlag" rel="noopener noreferrer nofollow">underlaget</a>');
      expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(html).not.toContain("<script>alert(1)");
      // Sent once: not repeated in the page's loader data.
      expect(html.split("Dagordningen godkändes").length - 1).toBe(1);
    }
    // A client-side navigation (.data) carries the HTML itself.
    const data = await get(s.url, `${path}.data`, c.observator);
    expect(data.text).toContain("<ul><li><p>Karin hälsade välkommen</p></li>");
  });

  it("an adopted statement is read through the same renderer: its list kept, a hostile link dropped", async () => {
    const st = await s.db.selectFrom("statements").select(["id"]).where("status", "=", "adopted").executeTakeFirstOrThrow();
    const doc = new Y.Doc();
    const frag = doc.getXmlFragment("content");
    doc.transact(() => {
      const list = new Y.XmlElement("bulletList");
      frag.insert(0, [list]);
      const li = new Y.XmlElement("listItem");
      list.insert(0, [li]);
      const p = new Y.XmlElement("paragraph");
      li.insert(0, [p]);
      const t = new Y.XmlText();
      p.insert(0, [t]);
      t.insert(0, "Fler platser");
      t.insert(t.length, " i yrkesvux", { link: { href: "javascript:alert(1)" } });
    });
    await s.db.updateTable("statements").set({ frozen_state: Y.encodeStateAsUpdate(doc) }).where("id", "=", st.id).execute();
    const page = await get(s.url, `/councils/skaraborg/statements/${st.id}`, c.observator);
    expect(page.status).toBe(200);
    expect(page.text).toContain("<ul><li><p>Fler platser i yrkesvux</p></li></ul>");
    expect(page.text).not.toContain("javascript:alert");
  });
});
