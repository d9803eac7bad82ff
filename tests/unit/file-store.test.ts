// The folder FileStore and the spool sweep (server/files, issue #15).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { sweepSpool } from "../../server/files";
import { LocalFileStore } from "../../server/files/local";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-store-"));

describe("the folder file store", () => {
  it("puts (buffer, stream), gets, replaces, deletes; refuses keys that could leave its folder", async () => {
    const dir = tmp();
    const store = new LocalFileStore(dir);
    await store.put("meetings/m1/a", Buffer.from("ett"), { size: 3, type: "text/plain" });
    await store.put("meetings/m1/b", Readable.from([Buffer.from("tv"), Buffer.from("å")]), { size: 4, type: "text/plain" });
    expect(await text((await store.get("meetings/m1/a"))!)).toBe("ett");
    expect(await text((await store.get("meetings/m1/b"))!)).toBe("två");
    await store.put("meetings/m1/a", Buffer.from("nytt"), { size: 4, type: "text/plain" });
    expect(await text((await store.get("meetings/m1/a"))!)).toBe("nytt");
    // A short write is an error, and leaves nothing behind.
    await expect(store.put("meetings/m1/c", Buffer.from("kort"), { size: 10, type: "text/plain" })).rejects.toThrow(/expected 10/);
    expect(await store.get("meetings/m1/c")).toBeNull();
    expect(fs.readdirSync(path.join(dir, "meetings", "m1")).sort()).toEqual(["a", "b"]);
    await store.delete("meetings/m1/a");
    await store.delete("meetings/m1/a");
    expect(await store.get("meetings/m1/a")).toBeNull();
    for (const bad of ["../x", "meetings/../../x", "/etc/passwd", "a//b", "a b"]) await expect(store.get(bad)).rejects.toThrow(/bad key/);
  });

  it("the spool sweep removes only files older than its age", async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, "old"), "x");
    fs.writeFileSync(path.join(dir, "new"), "y");
    const twoHoursAgo = (Date.now() - 2 * 3600_000) / 1000;
    fs.utimesSync(path.join(dir, "old"), twoHoursAgo, twoHoursAgo);
    expect(await sweepSpool(dir, 3600_000)).toBe(1);
    expect(fs.readdirSync(dir)).toEqual(["new"]);
    expect(await sweepSpool(path.join(dir, "none"), 3600_000)).toBe(0);
  });
});
