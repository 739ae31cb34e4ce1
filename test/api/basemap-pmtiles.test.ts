/**
 * The local PMTiles basemap (BASEMAP_PMTILES): offered in /api/config without the file's own path, served at
 * one fixed URL in HTTP range requests (what MapLibre's pmtiles protocol sends), refused at start-up when the
 * file is missing; and 天地图 comes with its label layers.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { PMTILES_PATH, basemapsFromEnv, readConfig } from '../../server/config.ts';
import type { Db } from '../../server/db/types.ts';
import { dbTargets } from '../helpers/databases.ts';

describe('the local PMTiles basemap', () => {
  let db: Db;
  let server: Server;
  let url: string;
  const dir = mkdtempSync(path.join(tmpdir(), 'pa-pmtiles-'));
  const file = path.join(dir, 'shanxi.pmtiles');
  // The server does not read the archive; any bytes show whether the ranges are right.
  const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7 + 3) % 256));

  beforeAll(async () => {
    writeFileSync(file, bytes);
    db = await dbTargets()[0].open();
    const config = readConfig({ BASEMAP_PMTILES: file, DATA_DIR: dir });
    const app = createApp({ db, config: { basemaps: config.basemaps, pmtilesFile: config.pmtilesFile } });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    await db.close();
  });

  it('is offered by its URL, never by the path of the file on the server', async () => {
    const res = await fetch(`${url}/api/config`);
    const body = await res.json();
    const local = body.basemaps.find((b: { id: string }) => b.id === 'local-pmtiles');
    expect(local).toEqual({
      id: 'local-pmtiles',
      name: '本地底图（PMTiles）',
      name_en: 'Local basemap (PMTiles)',
      pmtiles: PMTILES_PATH,
      attribution: '© OpenStreetMap contributors',
    });
    expect(JSON.stringify(body)).not.toContain(dir);
  });

  it('answers range requests with exactly the bytes asked for', async () => {
    const head = await fetch(`${url}${PMTILES_PATH}`, { headers: { Range: 'bytes=0-126' } });
    expect(head.status).toBe(206);
    expect(head.headers.get('content-range')).toBe(`bytes 0-126/${bytes.length}`);
    expect(Buffer.from(await head.arrayBuffer())).toEqual(bytes.subarray(0, 127));
    const middle = await fetch(`${url}${PMTILES_PATH}`, { headers: { Range: 'bytes=4000-4099' } });
    expect(middle.status).toBe(206);
    expect(Buffer.from(await middle.arrayBuffer())).toEqual(bytes.subarray(4000, 4100));
    const whole = await fetch(`${url}${PMTILES_PATH}`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect((await whole.arrayBuffer()).byteLength).toBe(bytes.length);
    const past = await fetch(`${url}${PMTILES_PATH}`, { headers: { Range: 'bytes=9000-9100' } });
    expect(past.status).toBe(416);
  });

  it('refuses to start on a missing or misnamed file, and is not offered without the setting', () => {
    expect(() => readConfig({ BASEMAP_PMTILES: path.join(dir, 'nope.pmtiles') })).toThrow(/BASEMAP_PMTILES: no file/);
    writeFileSync(path.join(dir, 'tiles.mbtiles'), 'x');
    expect(() => readConfig({ BASEMAP_PMTILES: path.join(dir, 'tiles.mbtiles') })).toThrow(/must name a \.pmtiles file/);
    expect(readConfig({}).pmtilesFile).toBeUndefined();
    expect(basemapsFromEnv({}).some((b) => b.pmtiles)).toBe(false);
  });

  it('offers 天地图 with its annotation layers over vector (cva) and imagery (cia)', () => {
    const [vec, img] = basemapsFromEnv({ TIANDITU_KEY: 'k' });
    expect(vec.labels?.[0]).toContain('/cva_w/wmts?');
    expect(vec.labels?.[0]).toContain('LAYER=cva');
    expect(img.labels?.[0]).toContain('LAYER=cia');
    expect(vec.labels).toHaveLength(8);
  });
});
