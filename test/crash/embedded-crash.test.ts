/**
 * The embedded database under SIGKILL: the real server process (tsx server/index.ts) on a data directory of its
 * own, writes through the API (parcel edits, and imports committed through the import API), the process killed
 * at random moments during the writes and during import commits, restarted on the same directory, and every
 * acknowledged write looked for. An import must be all there or not at all, its status agreeing.
 *
 * What this proves: nothing PGlite acknowledged lives only in the process's memory (each commit's WAL is written
 * to the host files before the answer), the directory opens again after any kill (crash recovery), and imports
 * are atomic across a crash. What it does not prove: survival of a power cut or OS crash. A killed process
 * leaves its writes in the kernel's page cache, which a power cut would lose; that is what the fsyncs in
 * server/db/embedded.ts are for, and test/unit/embedded-durability.test.ts checks that they reach the host
 * (dropping the page cache to simulate a power cut needs root and a disk of its own: not done here).
 *
 * CRASH_CYCLES sets the number of kills (default 20; more by hand: CRASH_CYCLES=200 npx vitest run test/crash).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/ports.ts';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openEmbeddedDb } from '../../server/db/embedded.ts';
import { signIn } from '../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../..');
const CYCLES = Number(process.env.CRASH_CYCLES ?? 20);

const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Running {
  child: ChildProcess;
  base: string;
  exited: Promise<void>;
  output: () => string;
}

let dataDir: string;
/** The id of the zone the imports rewrite. */
let importZone: number;
let importParcelCount: number;
let editParcelIds: number[];
/** The edited parcels' values before the test. */
let originalValues: Map<number, string | null>;
let current: Running | null = null;

async function startServer(): Promise<Running> {
  const port = await freePort();
  // node itself with tsx as a loader, not the tsx wrapper: SIGKILL must hit the process that holds the database.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1', DEMO_DATA: 'yes', BCRYPT_COST: '4', BACKUP_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  let exited = false;
  const exitedPromise = new Promise<void>((resolve) => child.on('exit', () => ((exited = true), resolve())));
  const base = `http://127.0.0.1:${port}`;
  // Waits on the server being ready, however long a loaded machine takes.
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (exited) throw new Error(`The server exited while starting:\n${out}`);
    const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`The server did not start within 10 minutes:\n${out}`);
    await sleep(100);
  }
  return { child, base, exited: exitedPromise, output: () => out };
}

async function kill(server: Running) {
  server.child.kill('SIGKILL');
  // The next server may open the directory only when this process is gone.
  await server.exited;
}

beforeAll(async () => {
  dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'pa-crash-')), 'pglite');
  // The demo database copied into a real data directory (with the server's durability, 'full').
  const db = await openEmbeddedDb({ dataDir, loadDataDir: new Blob([readFileSync(inject('embeddedDumpPath'))], { type: 'application/x-gzip' }) });
  try {
    // An import zone big enough that its commit takes a while (many parcels updated in one transaction).
    const zones = await db.query<{ id: number; n: number }>(
      `SELECT zone_id AS id, count(*)::int AS n FROM parcels GROUP BY zone_id HAVING count(*) BETWEEN 80 AND 400 ORDER BY count(*) DESC LIMIT 1`,
    );
    expect(zones).toHaveLength(1);
    [{ id: importZone, n: importParcelCount }] = zones;
    const edits = await db.query<{ id: number; value: string | null }>(
      `SELECT id, environment_standard AS value FROM parcels WHERE zone_id <> $1 ORDER BY id LIMIT 12`,
      [importZone],
    );
    editParcelIds = edits.map((r) => r.id);
    originalValues = new Map(edits.map((r) => [r.id, r.value]));
  } finally {
    await db.close();
  }
}, 600_000);

afterAll(async () => {
  if (current) await kill(current);
  rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

it(`keeps every acknowledged write, and imports whole or not at all, across ${CYCLES} kills`, async () => {
  expect(editParcelIds).toHaveLength(12);
  /** Per parcel: the value last acknowledged, and a value sent but not acknowledged when the process died. */
  const edits = new Map<number, { acked: string | null; inFlight: string | null }>(editParcelIds.map((id) => [id, { acked: originalValues.get(id)!, inFlight: null }]));
  /** The import commits: acknowledged, or killed on the way (then either outcome is allowed, but whole). */
  const imports: { id: number; token: string; acked: boolean }[] = [];
  let zoneValue: string | null = null;
  const counts = { kills: 0, killsDuringImportCommit: 0, ackedEdits: 0, ackedImports: 0, editsFound: 0, importsFound: 0, inFlightFoundCommitted: 0 };
  let editMs = 50;
  let commitMs = 0;

  for (let cycle = 0; cycle <= CYCLES; cycle++) {
    current = await startServer();
    const { base } = current;
    expect((await (await fetch(`${base}/api/health`)).json()).durability).toBe('full');
    const { cookie, csrfToken } = await signIn(base, 'admin');
    const headers = { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' };

    // 1. After a restart: everything acknowledged before the kill is there.
    for (const [id, e] of edits) {
      const parcel = await (await fetch(`${base}/api/parcels/${id}`, { headers })).json();
      const found: string | null = parcel.environment_standard;
      const allowed = e.inFlight === null ? [e.acked] : [e.acked, e.inFlight];
      expect(allowed, `parcel ${id} after kill ${counts.kills}`).toContain(found);
      if (found === e.acked) counts.editsFound++;
      if (e.inFlight !== null && found === e.inFlight) counts.inFlightFoundCommitted++;
      e.acked = found;
      e.inFlight = null;
    }
    if (imports.length > 0) {
      const exported = await (await fetch(`${base}/api/export/parcels?format=geojson&zone=${importZone}`, { headers })).json();
      expect(exported.features).toHaveLength(importParcelCount);
      const values = new Set(exported.features.map((f: { properties: Record<string, unknown> }) => f.properties['环境标准']));
      // All of an import's parcels or none: the zone holds exactly one import's value.
      expect([...values], `import zone after kill ${counts.kills}`).toHaveLength(1);
      const [value] = [...values] as string[];
      const committed = new Set(((await (await fetch(`${base}/api/imports`, { headers })).json()).imports as { id: number; status: string }[]).filter((i) => i.status === 'committed').map((i) => i.id));
      for (const imp of imports) {
        if (imp.acked) expect(committed.has(imp.id), `acknowledged import ${imp.id}`).toBe(true);
      }
      const last = imports[imports.length - 1];
      if (!last.acked) {
        // The killed commit: its status and its parcels agree.
        expect(committed.has(last.id)).toBe(value === last.token);
        if (value === last.token) last.acked = true;
      }
      const expected = [...imports].reverse().find((i) => i.acked)?.token ?? zoneValue;
      expect(value).toBe(expected);
      zoneValue = value;
      counts.importsFound = imports.filter((i) => i.acked).length;
    }
    if (cycle === CYCLES) break;

    // 2. Writes: a few acknowledged edits (each on the current version), then one in flight when killed.
    const edit = async (id: number, value: string) => {
      const t0 = performance.now();
      const parcel = await (await fetch(`${base}/api/parcels/${id}`, { headers })).json();
      const res = await fetch(`${base}/api/parcels/${id}`, { method: 'PATCH', headers, body: JSON.stringify({ version: parcel.version, changes: { environment_standard: value } }) });
      if (res.status !== 200) throw new Error(`edit refused: ${res.status} ${await res.text()}`);
      editMs = 0.8 * editMs + 0.2 * (performance.now() - t0);
    };
    const acknowledged = randomInt(1, 4);
    for (let i = 0; i < acknowledged; i++) {
      const id = editParcelIds[randomInt(0, editParcelIds.length - 1)];
      const value = `c${cycle}-e${i}`;
      await edit(id, value);
      edits.get(id)!.acked = value;
      counts.ackedEdits++;
    }

    const importCycle = cycle % 2 === 1;
    if (importCycle) {
      const token = `import c${cycle}`;
      const exported = await (await fetch(`${base}/api/export/parcels?format=geojson&zone=${importZone}`, { headers })).json();
      expect(exported.features, JSON.stringify(exported).slice(0, 300)).toHaveLength(importParcelCount);
      for (const f of exported.features) f.properties['环境标准'] = token;
      const staged = await fetch(`${base}/api/imports`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/octet-stream', 'X-File-Name': `crash-${cycle}.geojson` },
        body: JSON.stringify(exported),
      }).then((r) => r.json());
      expect(staged.id, JSON.stringify(staged)).toBeGreaterThan(0);
      const entry = { id: staged.id as number, token, acked: false };
      imports.push(entry);
      const t0 = performance.now();
      const commit = fetch(`${base}/api/imports/${staged.id}/commit`, { method: 'POST', headers, body: '{}' }).then(
        async (r) => {
          if (r.status !== 200) throw new Error(`commit refused: ${r.status} ${await r.text()}`);
          return 'acked' as const;
        },
        () => 'cut' as const,
      );
      if (commitMs === 0) {
        // The first commit runs to the end: its duration scales the kill moments of the later ones.
        expect(await commit).toBe('acked');
        commitMs = performance.now() - t0;
        entry.acked = true;
        counts.ackedImports++;
        // And this cycle's kill lands in an edit instead.
      } else {
        await Promise.race([commit, sleep(Math.random() * 1.3 * commitMs)]);
        const outcome = await Promise.race([commit, Promise.resolve('pending' as const)]);
        if (outcome === 'acked') {
          entry.acked = true;
          counts.ackedImports++;
        }
        await kill(current);
        counts.kills++;
        counts.killsDuringImportCommit += outcome === 'pending' ? 1 : 0;
        await commit;
        continue;
      }
    }
    // An edit in flight, killed at a random point of its expected duration.
    const id = editParcelIds[randomInt(0, editParcelIds.length - 1)];
    const value = `c${cycle}-in-flight`;
    edits.get(id)!.inFlight = value;
    const pending = edit(id, value).then(
      () => 'acked' as const,
      () => 'cut' as const,
    );
    await Promise.race([pending, sleep(Math.random() * 1.5 * editMs)]);
    const outcome = await Promise.race([pending, Promise.resolve('pending' as const)]);
    if (outcome === 'acked') {
      edits.get(id)!.acked = value;
      edits.get(id)!.inFlight = null;
      counts.ackedEdits++;
    }
    await kill(current);
    counts.kills++;
    await pending;
  }
  // Stop the last server the polite way: it must close the database cleanly.
  current!.child.kill('SIGTERM');
  await current!.exited;
  expect(current!.output()).not.toMatch(/could not start|PANIC/);
  current = null;

  console.log(
    `Crash test: ${counts.kills} kills (${counts.killsDuringImportCommit} during an import commit); acknowledged: ${counts.ackedEdits} edits, ${counts.ackedImports} imports; ` +
      `found after restarts: ${counts.editsFound} edit checks, ${counts.importsFound} imports; in-flight writes found committed: ${counts.inFlightFoundCommitted}`,
  );
  expect(counts.kills).toBe(CYCLES);
  expect(counts.ackedEdits).toBeGreaterThanOrEqual(CYCLES);
  expect(counts.ackedImports).toBeGreaterThanOrEqual(1);
}, 1_800_000);
