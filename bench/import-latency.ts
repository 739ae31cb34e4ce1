/**
 * How long other users wait while a large (but allowed) land import runs on the embedded database:
 *   npx tsx bench/import-latency.ts [--features 2000] [--vertices 100] [--big 150000]
 * A GeoJSON of `features` non-overlapping polygons of `vertices` vertices each (plus, with --big, one more
 * polygon of that many vertices) is staged, checked and committed as the demo planner, while a second
 * client keeps asking GET /api/health/live (no database) and GET /api/zones (the database). Printed: each
 * phase's duration and the worst and median latency of the concurrent requests during it. Figures depend on
 * the machine; compare runs on the same one.
 */
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { generateDataset } from '../data/generator.ts';
import { seedDataset } from '../data/seed.ts';
import { seedDemoAccounts } from '../server/accounts.ts';
import { openEmbeddedDb } from '../server/db/embedded.ts';
import { migrate } from '../server/db/migrate.ts';
import { freeSpot, upload } from '../test/helpers/importFiles.ts';
import { startTestServer } from '../test/helpers/server.ts';

const { values } = parseArgs({
  options: {
    features: { type: 'string', default: '2000' },
    vertices: { type: 'string', default: '100' },
    big: { type: 'string', default: '0' },
    trace: { type: 'boolean', default: false },
  },
});
const featureCount = Number(values.features);
const vertices = Number(values.vertices);
const big = Number(values.big);

/** A ring of `n` vertices (closed: n + 1 positions) around a lon/lat centre, radius in metres. */
function ring([x, y]: [number, number], radiusM: number, n: number): number[][] {
  const dLat = radiusM / 111_320;
  const dLon = radiusM / (111_320 * Math.cos((y * Math.PI) / 180));
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    out.push([x + dLon * Math.cos(a), y + dLat * Math.sin(a)]);
  }
  out.push(out[0]);
  return out;
}

process.env.BCRYPT_COST = '4';
const db = await openEmbeddedDb();
await migrate(db);
await seedDataset(db, generateDataset());
await seedDemoAccounts(db);
if (values.trace) {
  // --trace: every statement over 200 ms, to see where the time goes.
  const wrapSlow = <Q extends { query: (text: string, v?: unknown[]) => Promise<unknown[]> }>(q: Q): Q => {
    const query = q.query.bind(q);
    return {
      ...q,
      async query(text: string, v?: unknown[]) {
        const start = performance.now();
        try {
          return await query(text, v);
        } finally {
          const ms = performance.now() - start;
          if (ms > 200) console.log(`  slow ${ms.toFixed(0)} ms: ${text.replace(/\s+/g, ' ').slice(0, 110)}`);
        }
      },
    };
  };
  const transaction = db.transaction;
  Object.assign(db, wrapSlow(db), { transaction: (fn: Parameters<typeof transaction>[0]) => transaction((tx) => fn(wrapSlow(tx))) });
}
const server = await startTestServer(db);
const planner = await server.as('planner');
const viewer = await server.as('viewer');

// Small circles on a grid inside the largest free circle of a zone: no overlaps, all inside the zone.
const spot = await freeSpot(db, 'SX-YQGX');
const side = Math.ceil(Math.sqrt(featureCount + (big ? 1 : 0)));
const cellM = (spot.radiusM * 1.4) / side;
const features: unknown[] = [];
for (let k = 0; k < featureCount + (big ? 1 : 0); k++) {
  const i = k % side;
  const j = Math.floor(k / side);
  const dLat = ((j - (side - 1) / 2) * cellM) / 111_320;
  const dLon = ((i - (side - 1) / 2) * cellM) / (111_320 * Math.cos((spot.centre[1] * Math.PI) / 180));
  const n = k === featureCount ? big : vertices;
  features.push({
    type: 'Feature',
    properties: { 地块编号: `BENCH-${k + 1}`, 用地性质: '100102' },
    geometry: { type: 'Polygon', coordinates: [ring([spot.centre[0] + dLon, spot.centre[1] + dLat], cellM * 0.4, n)] },
  });
}
const file = Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
console.log(`${features.length} features, ${featureCount * vertices + big} vertices, ${(file.length / 1024 / 1024).toFixed(1)} MB`);

// The concurrent client runs in a worker thread: in this process's own event loop it would be blocked
// together with the server and never see the wait.
interface Sample {
  path: string;
  start: number;
  end: number;
}
const poller = new Worker(
  `const { parentPort, workerData } = require('node:worker_threads');
  let running = true;
  parentPort.on('message', () => { running = false; });
  const samples = [];
  async function poll(path) {
    while (running) {
      const start = Date.now();
      const res = await fetch(workerData.url + path, { headers: { Cookie: workerData.cookie } });
      await res.arrayBuffer();
      samples.push({ path, start, end: Date.now() });
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  Promise.all([poll('/api/health/live'), poll('/api/zones')]).then(() => parentPort.postMessage(samples));`,
  { eval: true, workerData: { url: server.url, cookie: viewer.cookie } },
);
const samplesReady = new Promise<Sample[]>((resolve) => poller.once('message', resolve));

const phases: { phase: string; start: number; end: number; status: number }[] = [];
async function timed<T extends { status: number }>(name: string, fn: () => Promise<T>): Promise<T> {
  await sleep(500);
  const start = Date.now();
  const res = await fn();
  phases.push({ phase: name, start, end: Date.now(), status: res.status });
  return res;
}

const staged = await timed('stage', () => upload(server.url, planner, 'bench.geojson', file));
if (staged.status !== 201) throw new Error(`stage: ${staged.status} ${JSON.stringify(staged.body).slice(0, 300)}`);
const check = await timed('check', () => planner.send('POST', `/api/imports/${staged.body.id}/check`, { zoneId: spot.zoneId }));
if (check.status !== 200 || check.body.errors) throw new Error(`check: ${check.status} ${JSON.stringify(check.body).slice(0, 300)}`);
const commit = await timed('commit', () => planner.send('POST', `/api/imports/${staged.body.id}/commit`, { zoneId: spot.zoneId }));
if (commit.status !== 200) throw new Error(`commit: ${commit.status} ${JSON.stringify(commit.body).slice(0, 300)}`);
await sleep(500);
poller.postMessage('stop');
const samples = await samplesReady;
await poller.terminate();

const fmt = (v: number) => `${v.toFixed(0).padStart(7)} ms`;
const paths = ['/api/health/live', '/api/zones'];
for (const p of phases) {
  console.log(`${p.phase.padEnd(7)} ${fmt(p.end - p.start)} (${p.status})`);
  for (const path of paths) {
    // Every request that was waiting at some moment of the phase.
    const ms = samples
      .filter((s) => s.path === path && s.end >= p.start && s.start <= p.end)
      .map((s) => s.end - s.start)
      .sort((a, b) => a - b);
    if (ms.length === 0) console.log(`   ${path.padEnd(18)} no request during the phase`);
    else console.log(`   ${path.padEnd(18)} ${String(ms.length).padStart(4)} requests, median ${fmt(ms[Math.floor(ms.length / 2)])}, max ${fmt(ms.at(-1)!)}`);
  }
}
for (const path of paths) {
  const idle = samples
    .filter((s) => s.path === path && !phases.some((p) => s.end >= p.start && s.start <= p.end))
    .map((s) => s.end - s.start)
    .sort((a, b) => a - b);
  if (idle.length) console.log(`idle ${path}: median ${fmt(idle[Math.floor(idle.length / 2)])}`);
}
await server.close();
await db.close();
