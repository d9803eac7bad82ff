// What the server's rich-text check (server/domain/rich-text-schema.ts) costs per
// update: one keystroke in an action's description, one in an action's title, a
// new paragraph, and a pasted block of lists, on a 500-action plan. Side by side on
// every update (alternating which goes first): the full path (`Y.decodeUpdate` +
// `checkUpdate`) and the server's path (`quickCheck` from the bytes, the full path
// when it does not recognise the update). In-process, no server:
// `npx tsx bench/rich-text-check.ts`.
import * as Y from "yjs";
import { actionsOf, areasOf, goalsOf, initialPlanUpdate } from "../server/domain/plan-doc";
import { checkUpdate, quickCheck } from "../server/domain/rich-text-schema";

const words = "Rådet följer upp kompetensförsörjningen i regionen tillsammans med arbetsgivare och utbildare".split(" ");
const paragraph = (i: number) => Array.from({ length: 40 }, (_, j) => words[(i + j) % words.length]).join(" ");
const plan = initialPlanUpdate({
  year: 2026,
  title: "Handlingsplan",
  areas: Array.from({ length: 10 }, (_, a) => ({
    title: `Område ${a}`,
    goals: Array.from({ length: 5 }, (_, g) => ({
      title: `Mål ${g}`,
      actions: Array.from({ length: 10 }, (_, x) => ({ title: `Åtgärd ${a}.${g}.${x}`, description: `${paragraph(x)}\n\n${paragraph(x + 1)}\n\n${paragraph(x + 2)}` })),
    })),
  })),
});

const server = new Y.Doc();
Y.applyUpdate(server, plan);
const client = new Y.Doc();
Y.applyUpdate(client, plan);
const action = (i: number) => actionsOf(goalsOf(areasOf(client).get(i % 10)).get((i >> 3) % 5)).get(i % 10);

const full = (u: Uint8Array) => checkUpdate(server, u, Y.decodeUpdate(u));
const served = (u: Uint8Array) => (quickCheck(server, u) === undefined ? full(u) : null);

function measure(what: string, edit: (i: number) => void, n = 2000) {
  const updates: Uint8Array[] = [];
  const on = (u: Uint8Array) => updates.push(u);
  client.on("update", on);
  for (let i = 0; i < n; i++) edit(i);
  client.off("update", on);
  const times = { full: [] as number[], served: [] as number[] };
  let quick = 0;
  const time = (which: "full" | "served", u: Uint8Array) => {
    const t0 = process.hrtime.bigint();
    const reason = which === "full" ? full(u) : served(u);
    times[which].push(Number(process.hrtime.bigint() - t0) / 1000);
    if (reason) throw new Error(`${what}: refused (${reason})`);
  };
  updates.forEach((u, i) => {
    if (quickCheck(server, u) !== undefined) quick++;
    for (const which of i % 2 ? (["full", "served"] as const) : (["served", "full"] as const)) time(which, u);
    Y.applyUpdate(server, u);
  });
  const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
  const f = (x: number) => x.toFixed(1).padStart(6);
  console.log(
    `${what.padEnd(44)} n=${String(updates.length).padStart(5)}  full path median ${f(q(times.full, 0.5))} µs p95 ${f(q(times.full, 0.95))} µs  ` +
      `served median ${f(q(times.served, 0.5))} µs p95 ${f(q(times.served, 0.95))} µs  ratio ${(q(times.served, 0.5) / q(times.full, 0.5)).toFixed(2)}×  ` +
      `from the bytes ${Math.round((100 * quick) / updates.length)} %  (${updates[0].length} bytes)`,
  );
}

console.log("The rich-text check on a 500-action plan (server doc " + Y.encodeStateAsUpdate(server).length + " bytes)");
measure("one keystroke in a description", (i) => (((action(i).get("description") as Y.XmlFragment).get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(5, "x"));
measure("one keystroke in a title", (i) => (action(i).get("title") as Y.Text).insert(0, "x"));
measure("a new paragraph in a description", (i) => {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText("Ny rad")]);
  (action(i).get("description") as Y.XmlFragment).push([p]);
});
measure(
  "a pasted list of 20 items with nested lists",
  (i) => {
    const list = new Y.XmlElement("bulletList");
    list.insert(
      0,
      Array.from({ length: 20 }, (_, j) => {
        const li = new Y.XmlElement("listItem");
        const p = new Y.XmlElement("paragraph");
        p.insert(0, [new Y.XmlText(`Punkt ${j}`)]);
        const inner = new Y.XmlElement("orderedList");
        const ili = new Y.XmlElement("listItem");
        const ip = new Y.XmlElement("paragraph");
        ip.insert(0, [new Y.XmlText(`Underpunkt ${j}`)]);
        ili.insert(0, [ip]);
        inner.insert(0, [ili]);
        li.insert(0, [p, inner]);
        return li;
      }),
    );
    (action(i).get("description") as Y.XmlFragment).push([list]);
  },
  200,
);
