// The S3-compatible FileStore (server/files/s3.ts) against a real S3-compatible HTTP
// server (s3rver, run in this process on a port of its own, with a folder of its
// own): the real AWS SDK signs and sends every request. Then a Samsyn server whose
// meeting documents live in that bucket: an upload and a download over HTTP go
// through it, and nothing lands in the local folder but the spool, which is empty.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3FileStore, type S3Options } from "../../server/files/s3";
import { ZONE } from "../../server/domain/time";
import { login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

// s3rver ships no types.
const S3rver = createRequire(import.meta.url)("s3rver") as new (o: Record<string, unknown>) => {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
};

const BUCKET = "samsyn-test";

describe("the S3-compatible file store", () => {
  let s3: InstanceType<typeof S3rver>;
  let s3Dir: string;
  let options: S3Options;

  beforeAll(async () => {
    s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-s3-"));
    s3 = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: s3Dir, configureBuckets: [{ name: BUCKET }] });
    const { port } = await s3.run();
    // s3rver's own fixed credentials; the SDK signs with them as it would with real ones.
    options = { bucket: BUCKET, endpoint: `http://127.0.0.1:${port}`, region: "eu-north-1", credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } };
  });
  afterAll(async () => {
    await s3?.close();
    fs.rmSync(s3Dir, { recursive: true, force: true });
  });

  it("puts (a buffer and a stream), gets, deletes; a missing key is null", async () => {
    const store = new S3FileStore(options);
    await store.put("meetings/m1/a", Buffer.from("hej handlingar"), { size: 14, type: "text/plain" });
    const big = Buffer.alloc(3 * 1024 * 1024, "x");
    await store.put("meetings/m1/b", Readable.from([big.subarray(0, 1_000_000), big.subarray(1_000_000)]), { size: big.length, type: "application/pdf" });
    expect(await text((await store.get("meetings/m1/a"))!)).toBe("hej handlingar");
    const back = await store.get("meetings/m1/b");
    const chunks: Buffer[] = [];
    for await (const c of back!) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks).equals(big)).toBe(true);
    await store.delete("meetings/m1/a");
    expect(await store.get("meetings/m1/a")).toBeNull();
    expect(await store.get("meetings/none/x")).toBeNull();
    // Deleting what is not there is not an error.
    await store.delete("meetings/none/x");
    await expect(store.get("../etc/passwd")).rejects.toThrow(/bad key/);
  });

  describe("a Samsyn server with its files in the bucket", () => {
    let s: TestServer;
    let localDir: string;
    beforeAll(async () => {
      localDir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-files-"));
      s = await startTestServer({ files: { dir: localDir, s3: options, maxFileBytes: 1024 * 1024, maxMeetingBytes: 4 * 1024 * 1024 } });
    });
    afterAll(async () => {
      await s?.close();
      fs.rmSync(localDir, { recursive: true, force: true });
    });

    it("uploads to the bucket and downloads from it; a deletion removes the object", async () => {
      const leader = await login(s.url, "processledare@samsyn.test");
      const date = DateTime.now().setZone(ZONE).plus({ days: 9 }).toISODate()!;
      const created = await postForm(s.url, "/councils/skaraborg/meetings", { intent: "create", title: "S3-möte", date, startTime: "09:00", endTime: "10:00", location: "", videoUrl: "", description: "" }, leader);
      const meetingPath = created.headers.get("location")!;
      const pdf = Buffer.from("%PDF-1.7\n% handling i en hink\n%%EOF\n");
      const form = new FormData();
      form.append("file", new Blob([new Uint8Array(pdf)]), "Hink.pdf");
      const res = await fetch(`${s.url}${meetingPath}/attachments`, { method: "POST", headers: { origin: s.url, cookie: leader, accept: "application/json" }, body: form });
      expect(res.status).toBe(201);
      const file = (await res.json()) as { id: string; url: string };
      const row = await s.db.selectFrom("attachments").selectAll().where("id", "=", file.id).executeTakeFirstOrThrow();
      // The object is in the bucket (read with a store of our own), not in the local folder.
      expect(await text((await new S3FileStore(options).get(row.storage_key))!)).toBe(pdf.toString());
      const localFiles = fs.readdirSync(localDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(localFiles).toEqual([]);
      const dl = await fetch(`${s.url}${file.url}`, { headers: { cookie: leader } });
      expect(dl.status).toBe(200);
      expect(dl.headers.get("content-type")).toBe("application/pdf");
      expect(Buffer.from(await dl.arrayBuffer()).equals(pdf)).toBe(true);
      const del = await postForm(s.url, `${meetingPath}/attachments`, { intent: "delete", attachmentId: file.id }, leader, { accept: "application/json" });
      expect(del.status).toBe(204);
      expect(await new S3FileStore(options).get(row.storage_key)).toBeNull();
    });
  });
});
