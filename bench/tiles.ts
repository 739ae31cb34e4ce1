/**
 * Tile figures for the bench (issue 12): each tile through the app's route against its floor — the bare
 * ST_AsMVT of the same tile served over the same HTTP server — timed interleaved; tile sizes at every zoom; the
 * first tile after an edit; tiles per second under load for one and two app processes; the server's memory at
 * rest. Every figure is measured in this run; a figure that fails prints its error and the bench goes on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../server/app.ts';
import type { Db } from '../server/db/types.ts';
import { embeddedTileSql, parcelsMinArea, PARCELS_THINNED_UP_TO_ZOOM } from '../server/tiles.ts';
import { signIn } from '../test/helpers/server.ts';
import { freePort } from '../test/helpers/ports.ts';
import { tileFor } from '../test/helpers/geo.ts';

export { tileFor };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type Tile = { z: number; x: number; y: number };

/** The floor of a parcels tile on a real PostGIS: written out by hand, the plain ST_AsMVT of the same features. */
function floorSql(z: number): string {
  const props =
    z > PARCELS_THINNED_UP_TO_ZOOM
      ? 'p.code, p.zone_id, p.land_use_code AS land_use, left(p.land_use_code, 2) AS land_use_l1, p.status, p.is_standard_land AS standard'
      : 'left(p.land_use_code, 2) AS land_use_l1, p.status';
  return `SELECT ST_AsMVT(t, 'parcels', 4096, 'geom', 'feature_id') AS tile FROM (
  SELECT p.id AS feature_id, p.id, ${props}, ST_AsMVTGeom(ST_Transform(p.geom, 3857), ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
  FROM parcels p WHERE p.geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AND p.area_m2 >= $4) t`;
}

export interface BenchServer {
  url: string;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The app as the server runs it, plus one bench-only route beside /api: /bench-floor/z/x/y.pbf answers the
 * floor's bytes (bare ST_AsMVT on a real PostGIS; on the embedded one, which has no ST_AsMVT, the bare rows of
 * the same SQL the tile is made of, as JSON: the database's share of the work).
 */
export async function startBenchServer(db: Db): Promise<BenchServer> {
  const app = createApp({ db, config: { basemaps: [] } });
  const embeddedText = embeddedTileSql('parcels');
  app.get('/bench-floor/:z/:x/:y.pbf', async (req, res) => {
    const z = Number(req.params.z);
    const x = Number(req.params.x);
    const y = Number(req.params.y);
    if (db.kind === 'postgres') {
      const [row] = await db.query<{ tile: Buffer | null }>(floorSql(z), [z, x, y, parcelsMinArea(z)]);
      res.status(row?.tile?.length ? 200 : 204).send(row?.tile ?? Buffer.alloc(0));
    } else {
      const rows = await db.query<Record<string, unknown>>(embeddedText, [z, x, y, parcelsMinArea(z)]);
      res.status(200).send(Buffer.from(JSON.stringify(rows.length)));
    }
  });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  server.keepAliveTimeout = 65_000;
  // A slow figure on the embedded database (亩均 at province scale) must not have its socket closed under it.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { cookie } = await signIn(url, 'viewer');
  return {
    url,
    get: (p, headers = {}) => fetch(url + p, { headers: { Cookie: cookie, ...headers } }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const s = performance.now();
  await fn();
  return performance.now() - s;
}

async function fetchOk(server: BenchServer, p: string): Promise<number> {
  const res = await server.get(p);
  const bytes = (await res.arrayBuffer()).byteLength;
  if (res.status !== 200 && res.status !== 204) throw new Error(`${p}: ${res.status}`);
  return bytes;
}

/**
 * Route and floor of one tile, interleaved: each round runs both, in alternating order, so load from other jobs
 * falls on both alike; the ratio is the median of the rounds' ratios.
 */
export async function routeAgainstFloor(server: BenchServer, t: Tile, rounds: number) {
  const route = `/api/tiles/parcels/${t.z}/${t.x}/${t.y}.pbf`;
  const floor = `/bench-floor/${t.z}/${t.x}/${t.y}.pbf`;
  for (let i = 0; i < 2; i++) {
    await fetchOk(server, route);
    await fetchOk(server, floor);
  }
  const r: number[] = [];
  const f: number[] = [];
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      f.push(await timed(() => fetchOk(server, floor)));
      r.push(await timed(() => fetchOk(server, route)));
    } else {
      r.push(await timed(() => fetchOk(server, route)));
      f.push(await timed(() => fetchOk(server, floor)));
    }
  }
  return { floor: median(f), route: median(r), ratio: median(r.map((v, i) => v / f[i])) };
}

/** Every tile at zoom z that the zones' boxes touch (capped), plus the tile at each zone's centre. */
export async function tilesAt(db: Db, z: number, cap = 400): Promise<Tile[]> {
  const zones = await db.query<{ x0: number; y0: number; x1: number; y1: number; cx: number; cy: number }>(
    'SELECT ST_XMin(geom) AS x0, ST_YMin(geom) AS y0, ST_XMax(geom) AS x1, ST_YMax(geom) AS y1, ST_X(ST_PointOnSurface(geom)) AS cx, ST_Y(ST_PointOnSurface(geom)) AS cy FROM zones ORDER BY id',
  );
  const seen = new Map<string, Tile>();
  const add = (t: Tile) => seen.set(`${t.x}/${t.y}`, t);
  for (const zn of zones) add(tileFor(zn.cx, zn.cy, z));
  for (const zn of zones) {
    const a = tileFor(zn.x0, zn.y1, z);
    const b = tileFor(zn.x1, zn.y0, z);
    for (let x = a.x; x <= b.x; x++) for (let y = a.y; y <= b.y; y++) if (seen.size < cap) add({ z, x, y });
  }
  return [...seen.values()];
}

/** The largest and the mean parcels tile (bytes) over the tiles given, fetched through the route. */
export async function tileSizes(server: BenchServer, tiles: Tile[]) {
  let max = 0;
  let sum = 0;
  let at: Tile | null = null;
  for (const t of tiles) {
    const n = await fetchOk(server, `/api/tiles/parcels/${t.z}/${t.x}/${t.y}.pbf`);
    sum += n;
    if (n > max) [max, at] = [n, t];
  }
  return { max, mean: sum / tiles.length, count: tiles.length, at };
}

/**
 * The first tile after an edit: a parcel is changed (a write like any other: a new row version, the layer's
 * version bumped), then the tile over it is requested; the median of `times` edits, each on another parcel. The
 * route first warms the tile so that a cache, if any, holds it before the edit.
 */
export async function firstTileAfterEdit(db: Db, server: BenchServer, z: number, times: number) {
  const parcels = await db.query<{ id: number; lon: number; lat: number }>(
    "SELECT id, ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM parcels WHERE code LIKE 'ZGQ-%' ORDER BY code LIMIT $1",
    [times],
  );
  const ms: number[] = [];
  const far = tileFor(110.5, 35.2, z);
  let farEtagKept = 0;
  for (const p of parcels) {
    const t = tileFor(p.lon, p.lat, z);
    const route = `/api/tiles/parcels/${t.z}/${t.x}/${t.y}.pbf`;
    await fetchOk(server, route);
    const farBefore = (await server.get(`/api/tiles/parcels/${far.z}/${far.x}/${far.y}.pbf`)).headers.get('etag');
    await db.query("UPDATE parcels SET status = CASE WHEN status = 'reserve' THEN 'available' ELSE status END, code = code WHERE id = $1", [p.id]);
    ms.push(await timed(() => fetchOk(server, route)));
    const farAfter = (await server.get(`/api/tiles/parcels/${far.z}/${far.x}/${far.y}.pbf`)).headers.get('etag');
    if (farBefore === farAfter) farEtagKept++;
  }
  const steady = [];
  for (let i = 0; i < times; i++) {
    const p = parcels[i % parcels.length];
    const t = tileFor(p.lon, p.lat, z);
    steady.push(await timed(() => fetchOk(server, `/api/tiles/parcels/${t.z}/${t.x}/${t.y}.pbf`)));
  }
  return { first: median(ms), steady: median(steady), farEtagKept, edits: parcels.length };
}

/** Starts `node --import tsx server/index.ts` with the environment given, resolved when it answers ready. */
export async function startServerProcess(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; stop: () => Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', DEMO_DATA: 'no', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 600_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}): ${stderr}`);
    const ok = await fetch(`${url}/api/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`The server did not get ready: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 30_000).unref();
    });
  return { url, child, stop };
}

/** Resident memory of a process, from /proc (MB). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Tiles per second that `concurrency` clients get for `seconds`, spread over the servers given (round robin),
 * each request a full tile (no ETag): the mean over the run.
 */
export async function tilesPerSecond(urls: string[], cookie: string, tiles: Tile[], concurrency: number, seconds: number): Promise<number> {
  let done = 0;
  let failed = 0;
  let next = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, c) => {
      while (performance.now() < end) {
        const t = tiles[next++ % tiles.length];
        const url = urls[(c + next) % urls.length];
        try {
          const res = await fetch(`${url}/api/tiles/parcels/${t.z}/${t.x}/${t.y}.pbf`, { headers: { Cookie: cookie } });
          await res.arrayBuffer();
          if (res.ok) done++;
          else failed++;
        } catch {
          failed++;
        }
      }
    }),
  );
  if (failed) console.log(`    (${failed} requests failed)`);
  return done / ((performance.now() - start) / 1000);
}
