/**
 * GDAL's command-line tools (Debian package gdal-bin; GDAL 3.6 has no `ogrinfo -json`), run with execFile:
 * what QGIS and most Chinese GIS tools see in a file. Layers are read from `ogrinfo -so -al`; features and
 * SQL results (the SQLite dialect, with SpatiaLite's ST_ functions) through `ogr2ogr -f GeoJSON /vsistdout/`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Feature, FeatureCollection, Geometry } from 'geojson';

const run = promisify(execFile);

async function gdal(tool: 'ogrinfo' | 'ogr2ogr', args: string[]): Promise<string> {
  try {
    const { stdout } = await run(tool, args, { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') throw new Error(`${tool} is not installed: the export tests need GDAL (apt-get install gdal-bin).`, { cause: err });
    throw new Error(`${tool} ${args.join(' ')} failed: ${e.stderr || e.message}`, { cause: err });
  }
}

export interface OgrLayer {
  name: string;
  /** As ogrinfo names it: Polygon, Multi Polygon, Point, None, Unknown (any). */
  geometry: string;
  featureCount: number;
  /** The layer's CRS as WKT2, null when unknown. */
  srsWkt: string | null;
  /** The EPSG code GDAL identifies the CRS as (the WKT's outermost ID), null when none. */
  epsg: number | null;
  /** The datum's name in the WKT ("China 2000", "World Geodetic System 1984"). */
  datum: string | null;
  /** Field name → ogrinfo's type (String, Real, Integer, Date, Integer(Boolean) …). */
  fields: Record<string, string>;
}

/** The layers of a data source as `ogrinfo -ro -so -al` describes them. `options` go before the source (e.g. -oo). */
export async function ogrLayers(source: string, options: string[] = []): Promise<OgrLayer[]> {
  const lines = (await gdal('ogrinfo', ['-ro', '-so', '-al', ...options, source])).split('\n');
  const layers: OgrLayer[] = [];
  let layer: OgrLayer | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let m: RegExpExecArray | null;
    if ((m = /^Layer name: (.*)$/.exec(line))) {
      layer = { name: m[1], geometry: '', featureCount: -1, srsWkt: null, epsg: null, datum: null, fields: {} };
      layers.push(layer);
    } else if (!layer) continue;
    else if ((m = /^Geometry: (.*)$/.exec(line))) layer.geometry = m[1];
    else if ((m = /^Feature Count: (\d+)$/.exec(line))) layer.featureCount = Number(m[1]);
    else if (line === 'Layer SRS WKT:') {
      // The WKT runs over several lines until its brackets close; "(unknown)" when there is none.
      let wkt = '';
      let depth = 0;
      do {
        const l = lines[++i];
        wkt += `${l.trim()}`;
        depth += (l.match(/\[/g) ?? []).length - (l.match(/\]/g) ?? []).length;
      } while (depth > 0 && i < lines.length - 1);
      if (wkt !== '(unknown)') {
        layer.srsWkt = wkt;
        const id = /ID\["EPSG",(\d+)\]\]$/.exec(wkt);
        layer.epsg = id ? Number(id[1]) : null;
        layer.datum = /DATUM\["([^"]+)"/.exec(wkt)?.[1] ?? null;
      }
    } else if ((m = /^(\S.*): (\w+(?:\(\w+\))?) \(\d+\.\d+\)$/.exec(line))) layer.fields[m[1]] = m[2];
  }
  if (layers.length === 0) throw new Error(`ogrinfo found no layer in ${source}`);
  return layers;
}

/** Every feature of a layer (or of the first) as GDAL reads it, written out by ogr2ogr as GeoJSON (coordinates as in the file). */
export async function ogrFeatures(source: string, options: { layer?: string; open?: string[] } = {}): Promise<Feature<Geometry | null>[]> {
  const open = (options.open ?? []).flatMap((o) => ['-oo', o]);
  const text = await gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', ...open, source, ...(options.layer ? [options.layer] : [])]);
  return (JSON.parse(text) as FeatureCollection<Geometry | null>).features;
}

/** The rows of a query in GDAL's SQLite dialect (SpatiaLite functions: ST_IsValid, ST_IsPolygonCW, NumInteriorRings …). */
export async function ogrSql(source: string, sql: string, open: string[] = []): Promise<Record<string, unknown>[]> {
  const text = await gdal('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', ...open.flatMap((o) => ['-oo', o]), source, '-dialect', 'sqlite', '-sql', sql]);
  return (JSON.parse(text) as FeatureCollection).features.map((f) => f.properties ?? {});
}

/** Runs ogr2ogr with these arguments (e.g. a conversion: -f "ESRI Shapefile" out.shp in.geojson). */
export async function ogr2ogr(args: string[]): Promise<void> {
  await gdal('ogr2ogr', args);
}

/** A temporary directory for files handed to GDAL, removed by the returned cleanup. */
export function gdalWorkDir(): { dir: string; write: (name: string, data: Uint8Array | string) => string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'park-atlas-gdal-'));
  return {
    dir,
    write: (name, data) => {
      const file = path.join(dir, name);
      writeFileSync(file, data);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
