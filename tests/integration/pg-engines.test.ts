// The engines scripts/engines.sh brings up for CI and `npm test` (issue #14): a
// PostgreSQL 15 whose new databases sort byte-wise (C collation, which Samsyn
// requires), and a Redis that carries a published message.
import { Redis } from "ioredis";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { noPostgresReason, testDatabaseUrl, testRedisUrl } from "../helpers/pg";

describe.skipIf(noPostgresReason)(`PostgreSQL from scripts/engines.sh${noPostgresReason ? ` (skipped: ${noPostgresReason})` : ""}`, () => {
  it("is version 15 or newer, UTF-8, and new databases use C collation", async () => {
    const client = new pg.Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      const { rows } = await client.query<{ v: string; encoding: string; collate: string }>(
        `select current_setting('server_version_num') as v, pg_encoding_to_char(encoding) as encoding, datcollate as collate
         from pg_database where datname = 'template1'`,
      );
      expect(Number(rows[0].v)).toBeGreaterThanOrEqual(150000);
      expect(rows[0].encoding).toBe("UTF8");
      expect(rows[0].collate).toBe("C");
    } finally {
      await client.end();
    }
  });
});

const noRedisReason = testRedisUrl() ? undefined : "no Redis: set TEST_REDIS_URL or run `bash scripts/engines.sh` (CI and `npm test` do)";

describe.skipIf(noRedisReason)(`Redis from scripts/engines.sh${noRedisReason ? ` (skipped: ${noRedisReason})` : ""}`, () => {
  it("answers and carries a published message to a subscriber", async () => {
    const pub = new Redis(testRedisUrl()!, { lazyConnect: true });
    const sub = new Redis(testRedisUrl()!, { lazyConnect: true });
    try {
      await Promise.all([pub.connect(), sub.connect()]);
      expect(await pub.ping()).toBe("PONG");
      const channel = `samsyn-test-${process.pid}-${Date.now()}`;
      const got = new Promise<string>((resolve) => sub.on("message", (_c: string, m: string) => resolve(m)));
      await sub.subscribe(channel);
      await pub.publish(channel, "hello");
      expect(await got).toBe("hello");
    } finally {
      pub.disconnect();
      sub.disconnect();
    }
  });
});
