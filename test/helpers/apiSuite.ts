/** Opens a database copy and a server on it for one describe block, and closes both after it. */
import { afterAll, beforeAll } from 'vitest';
import type { Db } from '../../server/db/types.ts';
import type { DbTarget } from './databases.ts';
import { startTestServer, type TestServer } from './server.ts';

export function useApiServer(target: DbTarget): { db: Db; server: TestServer } {
  const ctx = {} as { db: Db; server: TestServer };
  beforeAll(async () => {
    ctx.db = await target.open();
    ctx.server = await startTestServer(ctx.db);
  });
  afterAll(async () => {
    await ctx.server?.close();
    await ctx.db?.close();
  });
  return ctx;
}
