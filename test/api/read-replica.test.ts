/**
 * DATABASE_READ_URL: pure reads go to the replica, writes and the session check to the primary, and a browser
 * that just wrote reads the primary for a while. The "replica" here is a separate copy of the database, made
 * before the edit and opened read-only: a replica that never catches up, so which one answered is visible,
 * and a write sent to it would fail. Runs when TEST_DATABASE_URL is set.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { openPostgresDb } from '../../server/db/postgres.ts';
import type { Db } from '../../server/db/types.ts';
import { withMaintenanceDb } from '../helpers/databases.ts';
import { signIn } from '../helpers/server.ts';

const url = inject('postgresUrl');

describe.runIf(url)('reads from a replica', () => {
  const names: string[] = [];
  let db: Db;
  let server: Server;
  let base: string;

  const urlOf = (name: string) => {
    const u = new URL(url!);
    u.pathname = `/${name}`;
    return u;
  };

  beforeAll(async () => {
    await withMaintenanceDb(url!, async (admin, name) => {
      for (const role of ['primary', 'replica']) {
        const copy = `${name}_${role.slice(0, 3)}${randomBytes(3).toString('hex')}`;
        await admin.exec(`CREATE DATABASE ${copy} TEMPLATE ${name}_template`);
        names.push(copy);
      }
    });
    const replicaUrl = urlOf(names[1]);
    replicaUrl.searchParams.set('options', '-c default_transaction_read_only=on');
    db = await openPostgresDb(urlOf(names[0]).toString(), { readUrl: replicaUrl.toString() });
    const app = createApp({ db, config: { basemaps: [], databaseReadUrl: replicaUrl.toString(), readYourWritesSeconds: 600 } });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await db?.close();
    await withMaintenanceDb(url!, async (admin) => {
      for (const name of names) await admin.exec(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    });
  });

  it('sends reads to the replica, writes and the session check to the primary, and the writer reads its own write', async () => {
    const [p] = await db.query<{ id: number; version: number; land_price_wan: number | null }>(
      "SELECT id, version, land_price_wan FROM parcels WHERE code = 'DTJK-0042'",
    );
    // Sessions exist only on the primary: that the signed-in reads below work shows where the session is checked.
    const writer = await signIn(base, 'landbureau');
    const viewer = await signIn(base, 'viewer');
    const edit = await fetch(`${base}/api/parcels/${p.id}`, {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/json', Cookie: writer.cookie, 'X-CSRF-Token': writer.csrfToken },
      body: JSON.stringify({ version: p.version, changes: { land_price_wan: 4321.5 } }),
    });
    expect(edit.status).toBe(200);
    const stickiness = edit.headers.getSetCookie().find((c) => c.startsWith('pa_primary_until='));
    expect(stickiness).toMatch(/HttpOnly/i);

    // Another user reads the replica, which has not caught up.
    const seenByViewer = await fetch(`${base}/api/parcels/${p.id}`, { headers: { Cookie: viewer.cookie } });
    expect(seenByViewer.status).toBe(200);
    expect((await seenByViewer.json()).land_price_wan).toBe(p.land_price_wan);
    // The writer, with the cookie the write set, reads the primary and sees the edit.
    const seenByWriter = await fetch(`${base}/api/parcels/${p.id}`, { headers: { Cookie: `${writer.cookie}; ${stickiness!.split(';')[0]}` } });
    expect((await seenByWriter.json()).land_price_wan).toBe(4321.5);
    // Without the cookie (after READ_YOUR_WRITES_SECONDS) the writer reads the replica again.
    const later = await fetch(`${base}/api/parcels/${p.id}`, { headers: { Cookie: writer.cookie } });
    expect((await later.json()).land_price_wan).toBe(p.land_price_wan);
  });

  it('checks the replica in readiness', async () => {
    const ready = await fetch(`${base}/api/health/ready`);
    expect(ready.status).toBe(200);
  });
});
