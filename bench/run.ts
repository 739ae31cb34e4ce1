/**
 * Benchmarks, printed as ratios against a baseline measured in the same run (the machines are noisy):
 *   npm run bench -- [--parcels 100000] [--postgres URL]
 * On a generated province: the zones list, a bbox of parcels and vector tiles, each against the bare SQL
 * aggregate over the same rows.
 */
import { existsSync } from 'node:fs';
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
import { createTileSource } from '../server/tiles.ts';
import { startTestServer } from '../test/helpers/server.ts';
import { seedDemoAccounts } from '../server/accounts.ts';
import { analyseArea } from '../domain/areaAnalysis.ts';
import { SUPPLIED_OR_LATER, latestClockStartWithin } from '../domain/idleLand.ts';
import { sql } from '../server/db/sql/index.ts';

const { values } = parseArgs({ options: { parcels: { type: 'string', default: '100000' }, postgres: { type: 'string' }, rounds: { type: 'string', default: '15' } } });
const parcels = Number(values.parcels);
const rounds = Number(values.rounds);

function tileFor(lon: number, lat: number, z: number) {
  const n = 2 ** z;
  const latRad = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n) };
}

/** Median of `rounds` timings in ms, after two warm-up calls. */
async function time(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  await fn();
  const t: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const s = performance.now();
    await fn();
    t.push(performance.now() - s);
  }
  return t.sort((a, b) => a - b)[Math.floor(t.length / 2)];
}

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

async function bench(name: string, db: Db) {
  const tiles = createTileSource(db);
  await seedDemoAccounts(db);
  const server = await startTestServer(db);
  const [centre] = await db.query<{ lon: number; lat: number }>("SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_Centroid(geom) AS c FROM parcels WHERE code = 'ZGQ-0100') s");
  const rows: [string, number, number][] = [];
  const row = async (label: string, baseline: () => Promise<unknown>, subject: () => Promise<unknown>) => {
    const b = await time(baseline);
    const s = await time(subject);
    rows.push([label, b, s]);
  };
  const env = (z: number) => {
    const { x, y } = tileFor(centre.lon, centre.lat, z);
    const n = 2 ** z;
    const lon = (v: number) => (v / n) * 360 - 180;
    const lat = (v: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * v) / n))) * 180) / Math.PI;
    return { x, y, bbox: [lon(x), lat(y + 1), lon(x + 1), lat(y)] };
  };
  for (const z of [12, 14]) {
    const { x, y, bbox } = env(z);
    await row(
      `parcel tile z${z} vs SQL count in its box`,
      () => db.query('SELECT count(*) FROM parcels WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)', bbox),
      () => tiles.tile('parcels', z, x, y),
    );
  }
  const { bbox } = env(13);
  await row(
    'GET /api/parcels?bbox (z13 box) vs SQL count',
    () => db.query('SELECT count(*) FROM parcels WHERE geom && ST_MakeEnvelope($1, $2, $3, $4, 4326)', bbox),
    () => server.get(`/api/parcels?bbox=${bbox.join(',')}&limit=5000`).then((r) => r.arrayBuffer()),
  );
  await row('GET /api/zones vs SQL count of zones', () => db.query('SELECT count(*) FROM zones'), () => server.get('/api/zones').then((r) => r.arrayBuffer()));
  // Land utilisation (issue 4): each against the single raw aggregate it is built on.
  await row(
    'GET /api/land/idle (all zones) vs SQL sum',
    () => db.query("SELECT zone_id, count(*), sum(area_m2) FROM parcels WHERE supplied_date <= '2026-10-31' GROUP BY zone_id"),
    // What the map page asks for: the date's colouring, the totals and the 500 most urgent parcels.
    () => server.get('/api/land/idle?asOf=2026-10-31&state=idle,at_risk&limit=500').then((r) => r.arrayBuffer()),
  );
  await row(
    'GET /api/land/dashboard (all zones) vs SQL sum',
    () => db.query("SELECT zone_id, left(land_use_code, 2), sum(area_m2) FILTER (WHERE supplied_date <= '2026-10-31'), sum(area_m2) FILTER (WHERE completed_date <= '2026-10-31') FROM parcels GROUP BY 1, 2"),
    () => server.get('/api/land/dashboard?asOf=2026-10-31').then((r) => r.arrayBuffer()),
  );
  const [{ n: enterprises }] = await db.query<{ n: number }>('SELECT count(*) AS n FROM enterprises');
  await row(
    `GET /api/land/mujun (${enterprises} firms) vs SQL of their figures`,
    () => db.query('SELECT e.id, f.* FROM enterprises e JOIN enterprise_figures f ON f.enterprise_id = e.id AND f.year = 2025'),
    () => server.get('/api/land/mujun').then((r) => r.arrayBuffer()),
  );
  // The same three against the SQL each is built on, run bare: what the API adds (judging, JSON, HTTP).
  const idleSql = () => db.query(sql.idleCandidates, ['2026-10-31', null, SUPPLIED_OR_LATER, latestClockStartWithin('2026-10-31', 90)]);
  await row('GET /api/land/idle vs its own SQL', idleSql, () => server.get('/api/land/idle?asOf=2026-10-31&state=idle,at_risk&limit=500').then((r) => r.arrayBuffer()));
  await row(
    'GET /api/land/dashboard vs its own SQL',
    () => Promise.all([db.query(sql.zoneLandByClass, ['2026-10-31', ['17%', '1402%'], null]), db.query(sql.zoneTax, [2025, '2026-10-31']), idleSql()]),
    () => server.get('/api/land/dashboard?asOf=2026-10-31').then((r) => r.arrayBuffer()),
  );
  // Project supervision (issue 5): each report against the SQL of the rows it judges.
  const projectRows = () => db.query('SELECT * FROM projects');
  await row('GET /api/supervision/rates (all rounds) vs SQL of projects', projectRows, () => server.get('/api/supervision/rates?asOf=2026-10-31').then((r) => r.arrayBuffer()));
  await row('GET /api/supervision/lights (all zones) vs SQL of projects', projectRows, () => server.get('/api/supervision/lights?asOf=2026-10-31').then((r) => r.arrayBuffer()));
  await row(
    'GET /api/indicators/ranking vs SQL of the months',
    () => db.query("SELECT * FROM zone_monthly_indicators WHERE month >= '2025-01-01'"),
    () => server.get('/api/indicators/ranking?month=2026-09').then((r) => r.arrayBuffer()),
  );
  // Drawn-area figures, the browser's work: 2,000 parcels around a point, a polygon cutting through them.
  const [c] = await db.query<{ lon: number; lat: number }>("SELECT ST_X(ST_Centroid(geom)) AS lon, ST_Y(ST_Centroid(geom)) AS lat FROM zones WHERE code = 'SX-ZGQ'");
  const near = await db.query<{ id: number; g: any; area_m2: number }>('SELECT id, ST_AsGeoJSON(geom)::json AS g, area_m2 FROM parcels ORDER BY geom <-> ST_SetSRID(ST_MakePoint($1, $2), 4326) LIMIT 2000', [c.lon, c.lat]);
  const features = near.map((r) => ({ type: 'Feature' as const, id: r.id, geometry: r.g, properties: { id: r.id, land_use: '100101', supplied: true, built: true, idle: false, industrial: true, output_wan: 1000, used_m2: 20000, area_m2: r.area_m2 } }));
  const d = 0.02;
  const polygon = { type: 'Feature' as const, properties: {}, geometry: { type: 'Polygon' as const, coordinates: [[[c.lon - d, c.lat - d], [c.lon + d * 0.7, c.lat - d * 1.1], [c.lon + d, c.lat + d], [c.lon - d * 0.8, c.lat + d * 0.9], [c.lon - d, c.lat - d]]] } };
  const drawMs = await time(async () => analyseArea(features, polygon));
  const browserMs = await timeInBrowser(features, polygon);
  await server.close();
  console.log(`\n${name}`);
  console.log(`  drawn-area figures, 2,000 parcels, Node         ${drawMs.toFixed(2).padStart(8)} ms`);
  console.log(`  drawn-area figures, 2,000 parcels, Chromium     ${browserMs === null ? '(no Chromium)' : `${browserMs.toFixed(2).padStart(8)} ms`}  (target: under 50 ms)`);
  for (const [label, b, s] of rows) console.log(`  ${label.padEnd(50)} baseline ${b.toFixed(2).padStart(8)} ms  subject ${s.toFixed(2).padStart(8)} ms  ratio ${(s / b).toFixed(1)}×`);
}

const data = generateDataset({ parcels });
console.log(`Generated ${data.parcels.length} parcels in ${data.zones.length} zones.`);
const embedded = await openEmbeddedDb();
await migrate(embedded);
let t = performance.now();
await seedDataset(embedded, data);
console.log(`Embedded: seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
await bench(`embedded PGlite (${data.parcels.length} parcels)`, embedded);
await embedded.close();
if (values.postgres) {
  const pg = await openPostgresDb(values.postgres);
  await pg.exec('DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; CREATE EXTENSION IF NOT EXISTS postgis;');
  await migrate(pg);
  t = performance.now();
  await seedDataset(pg, data);
  console.log(`PostgreSQL: seeded in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  await pg.exec('ANALYZE');
  await bench(`PostgreSQL + PostGIS (${data.parcels.length} parcels)`, pg);
  await pg.close();
}
