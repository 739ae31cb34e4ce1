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
 * Most of a cycle's cost is the restart (PGlite and PostGIS starting in WebAssembly), so each cycle is made
 * dense rather than the cycles many: several edits acknowledged at once, several in flight when the process is
 * killed (alongside the import commit on import cycles), and every parcel and the import zone checked after
 * each restart. The prepared data directory is made once and reused by every cycle, never re-seeded.
 *
 * CRASH_CYCLES sets the number of kills (default 12; more by hand: CRASH_CYCLES=200 npx vitest run test/crash).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { demoDumpBlob } from '../helpers/databases.ts';
import { freePort } from '../helpers/ports.ts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openEmbeddedDb } from '../../server/db/embedded.ts';
import { signIn } from '../helpers/server.ts';

const root = path.resolve(import.meta.dirname, '../..');
const CYCLES = Number(process.env.CRASH_CYCLES ?? 12);
/** Edits acknowledged per cycle (sent together), and edits in flight when the process is killed. */
const ACKED_PER_CYCLE = 6;
const IN_FLIGHT_PER_CYCLE = 3;

const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));
/** n different items of a list, in random order. */
function pick<T>(list: T[], n: number): T[] {
  const rest = [...list];
  return Array.from({ length: n }, () => rest.splice(randomInt(0, rest.length - 1), 1)[0]);
}
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
    const ok = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
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
  const db = await openEmbeddedDb({ dataDir, loadDataDir: demoDumpBlob() });
  try {
    // An import zone big enough that its commit takes a while (a hundred or more parcels updated in one
    // transaction, a window to kill in), and no bigger: it is exported, staged and committed every other cycle.
    const zones = await db.query<{ id: number; n: number }>(
      `SELECT zone_id AS id, count(*)::int AS n FROM parcels GROUP BY zone_id HAVING count(*) BETWEEN 100 AND 400 ORDER BY count(*) LIMIT 1`,
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
  const edits = new Map<number, { acked: string | null; inFlight: string | null }>(
    editParcelIds.map((id) => [id, { acked: originalValues.get(id)!, inFlight: null }]),
  );
  /** The import commits: acknowledged, or killed on the way (then either outcome is allowed, but whole). */
  const imports: { id: number; token: string; acked: boolean }[] = [];
  let zoneValue: string | null = null;
  const counts = {
    kills: 0,
    killsDuringImportCommit: 0,
    killsWithEditsInFlight: 0,
    ackedEdits: 0,
    ackedImports: 0,
    editChecks: 0,
    importsFound: 0,
    inFlightSent: 0,
    inFlightFoundCommitted: 0,
  };
  /** Where the time goes (reported, never asserted: the machine's speed is not under test). */
  const seconds = { start: 0, check: 0, write: 0 };
  let commitMs = 0;

  for (let cycle = 0; cycle <= CYCLES; cycle++) {
    let t0 = performance.now();
    current = await startServer();
    seconds.start += (performance.now() - t0) / 1000;
    t0 = performance.now();
    const { base } = current;
    expect((await (await fetch(`${base}/api/health`)).json()).durability).toBe('full');
    const { cookie, csrfToken } = await signIn(base, 'admin');
    const headers = { Cookie: cookie, 'X-CSRF-Token': csrfToken, 'Content-Type': 'application/json' };
    const get = async (p: string) => (await fetch(`${base}${p}`, { headers })).json();

    // 1. After a restart: everything acknowledged before the kill is there (all parcels asked at once).
    const found = await Promise.all(
      [...edits.keys()].map(async (id) => [id, (await get(`/api/parcels/${id}`)).environment_standard as string | null] as const),
    );
    for (const [id, value] of found) {
      const e = edits.get(id)!;
      const allowed = e.inFlight === null ? [e.acked] : [e.acked, e.inFlight];
      expect(allowed, `parcel ${id} after kill ${counts.kills}`).toContain(value);
      counts.editChecks++;
      if (e.inFlight !== null && value === e.inFlight) counts.inFlightFoundCommitted++;
      e.acked = value;
      e.inFlight = null;
    }
    const importCycle = cycle % 2 === 1 && cycle < CYCLES;
    // The import zone's export: checked after a restart, and (changed) the file imported on an import cycle.
    let exported: { features: { properties: Record<string, unknown> }[] } | null = null;
    if (imports.length > 0 || importCycle) {
      exported = await get(`/api/export/parcels?format=geojson&zone=${importZone}`);
      expect(exported!.features, JSON.stringify(exported).slice(0, 300)).toHaveLength(importParcelCount);
    }
    if (imports.length > 0) {
      const values = new Set(exported!.features.map((f) => f.properties['环境标准']));
      // All of an import's parcels or none: the zone holds exactly one import's value.
      expect([...values], `import zone after kill ${counts.kills}`).toHaveLength(1);
      const [value] = [...values] as string[];
      const committed = new Set(
        ((await get('/api/imports')).imports as { id: number; status: string }[]).filter((i) => i.status === 'committed').map((i) => i.id),
      );
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
    seconds.check += (performance.now() - t0) / 1000;
    if (cycle === CYCLES) break;
    t0 = performance.now();

    // 2. Writes: several edits acknowledged (sent together, each on the current version), then more in flight
    // when the process is killed, beside an import commit on every other cycle.
    const edit = async (id: number, value: string) => {
      const parcel = await get(`/api/parcels/${id}`);
      const res = await fetch(`${base}/api/parcels/${id}`, {
        method: 'PATCH',
        headers,
        body: JSON.stringify({ version: parcel.version, changes: { environment_standard: value } }),
      });
      if (res.status !== 200) throw new Error(`edit refused: ${res.status} ${await res.text()}`);
    };
    // Acknowledged in groups the size of the in-flight one, each group sent together. The kill comes at a random
    // moment within the last group's time (the restarted server warm by then), so that most kills cut edits; on
    // import cycles, within 1.3 times the first commit's duration.
    const ackedIds = pick(editParcelIds, ACKED_PER_CYCLE);
    let killWithinMs = 0;
    for (let g = 0; g < ackedIds.length; g += IN_FLIGHT_PER_CYCLE) {
      const groupStarted = performance.now();
      await Promise.all(ackedIds.slice(g, g + IN_FLIGHT_PER_CYCLE).map((id, i) => edit(id, `c${cycle}-e${g + i}`)));
      killWithinMs = performance.now() - groupStarted;
    }
    ackedIds.forEach((id, i) => (edits.get(id)!.acked = `c${cycle}-e${i}`));
    counts.ackedEdits += ackedIds.length;

    let commit: Promise<'acked' | 'cut'> | null = null;
    let importEntry: { id: number; token: string; acked: boolean } | null = null;
    if (importCycle) {
      const token = `import c${cycle}`;
      for (const f of exported!.features) f.properties['环境标准'] = token;
      const staged = await fetch(`${base}/api/imports`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/octet-stream', 'X-File-Name': `crash-${cycle}.geojson` },
        body: JSON.stringify(exported),
      }).then((r) => r.json());
      expect(staged.id, JSON.stringify(staged)).toBeGreaterThan(0);
      importEntry = { id: staged.id as number, token, acked: false };
      imports.push(importEntry);
      const commitStarted = performance.now();
      commit = fetch(`${base}/api/imports/${staged.id}/commit`, { method: 'POST', headers, body: '{}' }).then(
        async (r) => {
          if (r.status !== 200) throw new Error(`commit refused: ${r.status} ${await r.text()}`);
          return 'acked' as const;
        },
        () => 'cut' as const,
      );
      if (commitMs === 0) {
        // The first commit runs to the end: its duration scales the kill moments of the later ones.
        expect(await commit).toBe('acked');
        commitMs = performance.now() - commitStarted;
        importEntry.acked = true;
        counts.ackedImports++;
        // And this cycle's kill lands among the edits only.
        commit = null;
      } else {
        killWithinMs = Math.max(killWithinMs, 1.3 * commitMs);
      }
    }
    let killSent = false;
    const flightIds = pick(editParcelIds, IN_FLIGHT_PER_CYCLE);
    const flights = flightIds.map((id) => {
      edits.get(id)!.inFlight = `c${cycle}-in-flight`;
      return edit(id, `c${cycle}-in-flight`).then(
        () => 'acked' as const,
        // Cut by the kill, or refused before it (a failure).
        (err: Error) => (killSent ? ('cut' as const) : Promise.reject(err)),
      );
    });
    counts.inFlightSent += flightIds.length;
    const everything = Promise.all([...flights, commit]);
    await Promise.race([everything, sleep(Math.random() * killWithinMs)]);
    // What had been acknowledged at the moment of the kill (an edit refused before it fails the test here).
    const outcomes = await Promise.all(flights.map((f) => Promise.race([f, Promise.resolve('pending' as const)])));
    const commitOutcome = commit ? await Promise.race([commit, Promise.resolve('pending' as const)]) : null;
    killSent = true;
    await kill(current);
    counts.kills++;
    flightIds.forEach((id, i) => {
      if (outcomes[i] !== 'acked') return;
      edits.get(id)!.acked = `c${cycle}-in-flight`;
      edits.get(id)!.inFlight = null;
      counts.ackedEdits++;
    });
    if (outcomes.includes('pending')) counts.killsWithEditsInFlight++;
    if (commitOutcome === 'acked') {
      importEntry!.acked = true;
      counts.ackedImports++;
    }
    if (commitOutcome === 'pending') counts.killsDuringImportCommit++;
    await everything;
    seconds.write += (performance.now() - t0) / 1000;
  }
  // Stop the last server the polite way: it must close the database cleanly.
  current!.child.kill('SIGTERM');
  await current!.exited;
  expect(current!.output()).not.toMatch(/could not start|PANIC/);
  current = null;

  console.log(
    `Crash test: ${counts.kills} kills (${counts.killsDuringImportCommit} during an import commit, ${counts.killsWithEditsInFlight} with edits in flight); ` +
      `acknowledged: ${counts.ackedEdits} edits, ${counts.ackedImports} imports, all found after the restarts (${counts.editChecks} parcel checks, ${counts.importsFound} imports); ` +
      `in flight: ${counts.inFlightSent} edits sent, ${counts.inFlightFoundCommitted} found committed. ` +
      `Time: ${seconds.start.toFixed(0)} s starting the server (${CYCLES + 1} starts), ${seconds.check.toFixed(0)} s checking, ${seconds.write.toFixed(0)} s writing.`,
  );
  expect(counts.kills).toBe(CYCLES);
  expect(counts.ackedEdits).toBeGreaterThanOrEqual(ACKED_PER_CYCLE * CYCLES);
  expect(counts.editChecks).toBe(editParcelIds.length * (CYCLES + 1));
  expect(counts.ackedImports).toBeGreaterThanOrEqual(1);
}, 1_800_000);
