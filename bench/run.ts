/**
 * Benchmarks, printed as ratios against a baseline measured in the same run (the machines are noisy):
 *   npm run bench -- [--parcels 100000] [--postgres URL] [--rounds 15] [--load-seconds 15]
 * On a generated province: vector tiles against the bare ST_AsMVT of the same tile (bench/tiles.ts), the zones
 * list, a bbox of parcels and the reports, each against the bare SQL it is built on. Baseline and subject are
 * timed interleaved, round by round; a figure that fails prints its error and the bench goes on.
 * --skip embedded,tiles,reports,load,memory,firstview leaves parts out.
 */
import { firstViewFigures } from './firstView.ts';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium as pw } from 'playwright-core';
import { build } from 'vite';
import { generateDataset } from '../data/generator.ts';
import { seedDataset } from '../data/seed.ts';
import { openEmbeddedDb } from '../server/db/embedded.ts';
import { migrate } from '../server/db/migrate.ts';
import { openPostgresDb } from '../server/db/postgres.ts';
import type { Db } from '../server/db/types.ts';
import { PARCELS_MIN_ZOOM } from '../server/tiles.ts';
import { signIn } from '../test/helpers/server.ts';
import {
  firstTileAfterEdit,
  routeAgainstFloor,
  rssMb,
  startBenchServer,
  startServerProcess,
  tileFor,
  tileSizes,
  tilesAt,
  tilesPerSecond,
  type BenchServer,
} from './tiles.ts';
import { seedDemoAccounts } from '../server/accounts.ts';
import { analyseArea } from '../domain/areaAnalysis.ts';
import { SUPPLIED_OR_LATER, latestClockStartWithin } from '../domain/idleLand.ts';
import { sql } from '../server/db/sql/index.ts';

const { values } = parseArgs({
  options: {
    parcels: { type: 'string', default: '100000' },
    postgres: { type: 'string' },
    rounds: { type: 'string', default: '15' },
    'load-seconds': { type: 'string', default: '15' },
    // Parts to leave out, comma-separated: embedded, tiles, reports, load, memory (a busy machine's time is short).
    skip: { type: 'string', default: '' },
  },
});
const skip = new Set(values.skip.split(',').filter(Boolean));
const parcels = Number(values.parcels);
const rounds = Number(values.rounds);
const loadSeconds = Number(values['load-seconds']);

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/**
 * Baseline and subject interleaved: two warm-up calls each, then `rounds` rounds running both in alternating
 * order; the medians of each, and the median of the rounds' ratios.
 */
async function interleaved(baseline: () => Promise<unknown>, subject: () => Promise<unknown>) {
  for (let i = 0; i < 2; i++) {
    await baseline();
    await subject();
  }
  const b: number[] = [];
  const s: number[] = [];
  const time = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      b.push(await time(baseline));
      s.push(await time(subject));
    } else {
      s.push(await time(subject));
      b.push(await time(baseline));
    }
  }
  return { baseline: median(b), subject: median(s), ratio: median(s.map((v, i) => v / b[i])) };
}

/** Runs one figure; a failure is printed and the bench goes on. */
async function figure(label: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    console.log(`  ${label.padEnd(50)} FAILED: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const fmt = (ms: number) => `${ms.toFixed(2).padStart(8)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0).padStart(5)} KB`;

/**
 * The drawn-area figures as the browser computes them: domain/areaAnalysis.ts bundled by Vite as the client is,
 * run in headless Chromium on the same parcels; median of `rounds` after two warm-up runs.
 */
async function timeInBrowser(features: unknown[], polygon: unknown): Promise<number | null> {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) return null;
  const out = (await build({
    configFile: false,
    logLevel: 'silent',
    build: { write: false, minify: true, lib: { entry: path.resolve('domain/areaAnalysis.ts'), formats: ['iife'], name: 'AreaAnalysis' } },
  })) as { output: { code?: string }[] }[];
  const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.setContent('<!doctype html><title>bench</title>');
    await page.addScriptTag({ content: out[0].output[0].code! });
    // A string, not a closure: tsx's transform would add helpers the page does not have.
    await page.evaluate(`window.benchInput = ${JSON.stringify({ features, polygon })}`);
    return await page.evaluate(`(() => {
      const { features, polygon } = window.benchInput;
      const run = () => window.AreaAnalysis.analyseArea(features, polygon);
      run();
      run();
      const t = [];
      for (let i = 0; i < ${rounds}; i++) {
        const s = performance.now();
        run();
        t.push(performance.now() - s);
      }
      return t.sort((a, b) => a - b)[Math.floor(t.length / 2)];
    })()`);
  } finally {
    await browser.close();
  }
}

/** The tile figures of one database (bench/tiles.ts): route against floor per zoom, sizes, the tile after an edit. */
async function tileFigures(db: Db, server: BenchServer, centre: { lon: number; lat: number }) {
  console.log('  parcels tiles, route against its floor (interleaved; floor: bare ST_AsMVT of the same tile on PostGIS,');
  console.log('  the bare rows of the same SQL on the embedded database), and tile sizes over the zones (max / mean):');
  for (let z = PARCELS_MIN_ZOOM; z <= 14; z++) {
    await figure(`z${z}`, async () => {
      const t = tileFor(centre.lon, centre.lat, z);
      const r = await routeAgainstFloor(server, t, rounds);
      const sizes = await tileSizes(server, await tilesAt(db, z, z <= 11 ? 400 : 60));
      console.log(
        `  z${String(z).padEnd(3)} route ${fmt(r.route)}  floor ${fmt(r.floor)}  ratio ${r.ratio.toFixed(2)}×${db.kind === 'postgres' ? (r.ratio <= 1.25 ? ' (goal ≤1.25×: met)' : ' (goal ≤1.25×: NOT met)') : ''}` +
          `   size max ${kb(sizes.max)} mean ${kb(sizes.mean)} over ${sizes.count} tiles${sizes.max >= 500 * 1024 ? '  (over 500 KB!)' : ''}`,
      );
    });
  }
  await figure('tile after an edit', async () => {
    const e = await firstTileAfterEdit(db, server, 14, 7);
    console.log(
      `  z14 parcels tile right after an edit of a parcel in it ${fmt(e.first)}  (same tile again ${fmt(e.steady)}); a far tile's ETag unchanged after ${e.farEtagKept} of ${e.edits} edits`,
    );
  });
  await figure('hex decoding', async () => {
    if (db.kind !== 'postgres') return;
    const t = tileFor(centre.lon, centre.lat, 10);
    const [row] = await db.query<{ hex: string }>(
      "SELECT encode(ST_AsMVT(q, 'p', 4096, 'geom'), 'hex') AS hex FROM (SELECT p.id, ST_AsMVTGeom(ST_Transform(p.geom, 3857), ST_TileEnvelope($1, $2, $3)) AS geom FROM parcels p WHERE p.geom && ST_Transform(ST_TileEnvelope($1, $2, $3), 4326)) q",
      [t.z, t.x, t.y],
    );
    const s = performance.now();
    for (let i = 0; i < 100; i++) Buffer.from(row.hex, 'hex');
    console.log(`  node-postgres's hex decoding of a ${kb(row.hex.length / 2)} tile: ${((performance.now() - s) / 100).toFixed(3)} ms`);
  });
}

async function bench(name: string, db: Db) {
  await seedDemoAccounts(db);
  const server = await startBenchServer(db);
  console.log(`\n${name}`);
  const [centre] = await db.query<{ lon: number; lat: number }>(
    "SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_Centroid(geom) AS c FROM parcels WHERE code = 'ZGQ-0100') s",
  );
  if (!skip.has('tiles')) await tileFigures(db, server, centre);
  if (skip.has('reports')) return server.close();
  const row = async (label: string, baseline: () => Promise<unknown>, subject: () => Promise<unknown>) => {
    await figure(label, async () => {
      const r = await interleaved(baseline, subject);
      console.log(`  ${label.padEnd(50)} baseline ${fmt(r.baseline)}  subject ${fmt(r.subject)}  ratio ${r.ratio.toFixed(1)}×`);
    });
  };
  const ok = (path: string) => async () => {
    const res = await server.get(path);
    await res.arrayBuffer();
    if (!res.ok) throw new Error(`${path}: ${res.status}`);
  };
  const t13 = tileFor(centre.lon, centre.lat, 13);
  const n = 2 ** 13;
  const lon = (v: number) => (v / n) * 360 - 180;
  const lat = (v: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * v) / n))) * 180) / Math.PI;
  const bbox = [lon(t13.x), lat(t13.y + 1), lon(t13.x + 1), lat(t13.y)];
  await row(
    'GET /api/parcels?bbox (z13 box) vs SQL count',
    () => db.query('SELECT count(*) FROM parcels WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)', bbox),
    ok(`/api/parcels?bbox=${bbox.join(',')}&limit=5000`),
  );
  await row('GET /api/zones vs SQL count of zones', () => db.query('SELECT count(*) FROM zones'), ok('/api/zones'));
  // Land utilisation (issue 4): each against the single raw aggregate it is built on.
  await row(
    'GET /api/land/idle (all zones) vs SQL sum',
    () => db.query("SELECT zone_id, count(*), sum(area_m2) FROM parcels WHERE supplied_date <= '2026-10-31' GROUP BY zone_id"),
    // What the map page asks for: the date's colouring, the totals and the 500 most urgent parcels.
    ok('/api/land/idle?asOf=2026-10-31&state=idle,at_risk&limit=500'),
  );
  await row(
    'GET /api/land/dashboard (all zones) vs SQL sum',
    () =>
      db.query(
        "SELECT zone_id, left(land_use_code, 2), sum(area_m2) FILTER (WHERE supplied_date <= '2026-10-31'), sum(area_m2) FILTER (WHERE completed_date <= '2026-10-31') FROM parcels GROUP BY 1, 2",
      ),
    ok('/api/land/dashboard?asOf=2026-10-31'),
  );
  await figure('GET /api/land/mujun', async () => {
    const [{ n: enterprises }] = await db.query<{ n: number }>('SELECT count(*) AS n FROM enterprises');
    await row(
      `GET /api/land/mujun (${enterprises} firms) vs SQL of their figures`,
      () => db.query('SELECT e.id, f.* FROM enterprises e JOIN enterprise_figures f ON f.enterprise_id = e.id AND f.year = 2025'),
      ok('/api/land/mujun'),
    );
  });
  // The same three against the SQL each is built on, run bare: what the API adds (judging, JSON, HTTP).
  const idleSql = () => db.query(sql.idleCandidates, ['2026-10-31', null, SUPPLIED_OR_LATER, latestClockStartWithin('2026-10-31', 90)]);
  await row('GET /api/land/idle vs its own SQL', idleSql, ok('/api/land/idle?asOf=2026-10-31&state=idle,at_risk&limit=500'));
  await row(
    'GET /api/land/dashboard vs its own SQL',
    () => Promise.all([db.query(sql.zoneLandByClass, ['2026-10-31', ['17%', '1402%'], null]), db.query(sql.zoneTax, [2025, '2026-10-31']), idleSql()]),
    ok('/api/land/dashboard?asOf=2026-10-31'),
  );
  // Project supervision (issue 5): each report against the SQL of the rows it judges.
  const projectRows = () => db.query('SELECT * FROM projects');
  await row('GET /api/supervision/rates (all rounds) vs SQL of projects', projectRows, ok('/api/supervision/rates?asOf=2026-10-31'));
  await row('GET /api/supervision/lights (all zones) vs SQL of projects', projectRows, ok('/api/supervision/lights?asOf=2026-10-31'));
  await row(
    'GET /api/indicators/ranking vs SQL of the months',
    () => db.query("SELECT * FROM zone_monthly_indicators WHERE month >= '2025-01-01'"),
    ok('/api/indicators/ranking?month=2026-09'),
  );
  await server.close();
  // Drawn-area figures, the browser's work: 2,000 parcels around a point, a polygon cutting through them.
  await figure('drawn-area figures', async () => {
    const [c] = await db.query<{ lon: number; lat: number }>(
      "SELECT ST_X(ST_Centroid(geom)) AS lon, ST_Y(ST_Centroid(geom)) AS lat FROM zones WHERE code = 'SX-ZGQ'",
    );
    const near = await db.query<{ id: number; g: any; area_m2: number }>(
      'SELECT id, ST_AsGeoJSON(geom)::json AS g, area_m2 FROM parcels ORDER BY geom <-> ST_SetSRID(ST_MakePoint($1, $2), 4326) LIMIT 2000',
      [c.lon, c.lat],
    );
    const features = near.map((r) => ({
      type: 'Feature' as const,
      id: r.id,
      geometry: r.g,
      properties: {
        id: r.id,
        land_use: '100101',
        supplied: true,
        built: true,
        idle: false,
        industrial: true,
        output_wan: 1000,
        used_m2: 20000,
        area_m2: r.area_m2,
      },
    }));
    const d = 0.02;
    const polygon = {
      type: 'Feature' as const,
      properties: {},
      geometry: {
        type: 'Polygon' as const,
        coordinates: [
          [
            [c.lon - d, c.lat - d],
            [c.lon + d * 0.7, c.lat - d * 1.1],
            [c.lon + d, c.lat + d],
            [c.lon - d * 0.8, c.lat + d * 0.9],
            [c.lon - d, c.lat - d],
          ],
        ],
      },
    };
    const t: number[] = [];
    for (let i = 0; i < rounds + 2; i++) {
      const s = performance.now();
      analyseArea(features, polygon);
      t.push(performance.now() - s);
    }
    const browserMs = await timeInBrowser(features, polygon);
    console.log(`  drawn-area figures, 2,000 parcels, Node         ${fmt(median(t.slice(2)))}`);
    console.log(`  drawn-area figures, 2,000 parcels, Chromium     ${browserMs === null ? '(no Chromium)' : fmt(browserMs)}  (target: under 50 ms)`);
  });
}

/** The server process's resident memory, started on the database and left idle for a few seconds. */
async function memoryAtRest(label: string, env: Record<string, string>) {
  if (skip.has('memory')) return;
  await figure(`memory at rest (${label})`, async () => {
    const s = await startServerProcess(env);
    try {
      await new Promise((r) => setTimeout(r, 5000));
      console.log(`  server at rest, ${label}: RSS ${rssMb(s.child.pid!).toFixed(0)} MB`);
    } finally {
      await s.stop();
    }
  });
}

/** Tiles per second for one and for two app processes on the same PostgreSQL, full tiles (no ETag). */
async function loadFigures(url: string, db: Db) {
  if (skip.has('load')) return;
  await figure('tiles under load', async () => {
    const tiles = [...(await tilesAt(db, 13, 80)), ...(await tilesAt(db, 14, 80)), ...(await tilesAt(db, 12, 40))];
    const one = await startServerProcess({ DATABASE_URL: url });
    let two: Awaited<ReturnType<typeof startServerProcess>> | null = null;
    try {
      const { cookie } = await signIn(one.url, 'viewer');
      await tilesPerSecond([one.url], cookie, tiles, 8, 3);
      const r1 = await tilesPerSecond([one.url], cookie, tiles, 8, loadSeconds);
      two = await startServerProcess({ DATABASE_URL: url });
      await tilesPerSecond([one.url, two.url], cookie, tiles, 8, 3);
      const r2 = await tilesPerSecond([one.url, two.url], cookie, tiles, 8, loadSeconds);
      console.log(
        `  parcels tiles per second, 8 clients, z12–z14: one process ${r1.toFixed(1)}, two processes ${r2.toFixed(1)}  (two/one ${(r2 / r1).toFixed(2)}×, goal ≥1.8×)`,
      );
    } finally {
      await Promise.all([one.stop(), two?.stop()]);
    }
  });
}

const data = generateDataset({ parcels });
console.log(`Generated ${data.parcels.length} parcels in ${data.zones.length} zones.`);
// On disk (without fsync: a bench), so that a server process can start on it afterwards for its memory at rest.
const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'park-atlas-bench-')), 'pglite');
try {
  let t = performance.now();
  if (!skip.has('embedded')) {
    const embedded = await openEmbeddedDb({ dataDir, durability: 'off' });
    await migrate(embedded);
    await seedDataset(embedded, data);
    console.log(`Embedded: seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await bench(`embedded PGlite (${data.parcels.length} parcels)`, embedded);
    if (!skip.has('firstview')) await figure('first view', () => firstViewFigures(embedded));
    await embedded.close();
    await memoryAtRest(`embedded, ${data.parcels.length} parcels`, { DATA_DIR: dataDir, EMBEDDED_FSYNC: 'off' });
  }
  if (values.postgres) {
    const pg = await openPostgresDb(values.postgres);
    await pg.exec('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; CREATE EXTENSION IF NOT EXISTS postgis;');
    await migrate(pg);
    t = performance.now();
    await seedDataset(pg, data);
    console.log(`PostgreSQL: seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await pg.exec('ANALYZE');
    await bench(`PostgreSQL + PostGIS (${data.parcels.length} parcels)`, pg);
    await loadFigures(values.postgres, pg);
    await pg.close();
    await memoryAtRest(`PostgreSQL, ${data.parcels.length} parcels`, { DATABASE_URL: values.postgres });
  }
} finally {
  rmSync(path.dirname(dataDir), { recursive: true, force: true });
}
