/**
 * The PostGIS extension bundle the embedded database loads, trimmed and cached on disk.
 *
 * PGlite's PostGIS package ships one 19.7 MB tar.gz (91 MB unpacked) with PostGIS, raster, topology and the
 * tiger geocoder. At every start PGlite gunzips it, writes every file into its in-memory file system and
 * compiles every .so in it to WebAssembly — raster and topology (31 MB of WebAssembly) included, though the app
 * only creates the postgis extension. Here the bundle is rewritten once without what `CREATE EXTENSION postgis`
 * never reads (raster, topology, tiger, the pre-extension "unpackaged" and contrib scripts) and kept in
 * node_modules/.cache (or the system's temporary directory if that is not writable), keyed by the original's
 * size and time, so a package update makes a new one. Later starts read the small bundle.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Extension } from '@electric-sql/pglite';

/** What `CREATE EXTENSION postgis` and ST_Transform need; everything else in the bundle is left out. */
export function keepInBundle(name: string): boolean {
  const n = name.replace(/^\.\//, '');
  if (n.endsWith('/')) return true;
  if (n === 'lib/postgresql/postgis-3.so') return true;
  if (n.startsWith('share/proj/')) return true;
  // postgis.control, postgis--3.6.2.sql and the postgis--ANY--3.6.2.sql update script, not the unpackaged ones.
  return /^share\/postgresql\/extension\/postgis(\.control|--[^/]*\.sql)$/.test(n) && !n.includes('unpackaged');
}

interface TarEntry {
  header: Buffer;
  body: Buffer;
  name: string;
}

/** The entries of a ustar archive (PAX and GNU long-name headers travel with the entry they describe). */
function readTar(tar: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  let pending: Buffer[] = [];
  let longName: string | null = null;
  for (let at = 0; at + 512 <= tar.length;) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const size = parseInt(header.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const blocks = 512 + Math.ceil(size / 512) * 512;
    const whole = tar.subarray(at, at + blocks);
    const body = tar.subarray(at + 512, at + 512 + size);
    at += blocks;
    if (type === 'x' || type === 'g' || type === 'L') {
      // Metadata for the next entry: kept in front of it.
      if (type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
      if (type === 'x') {
        const m = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
        if (m) longName = m[1];
      }
      pending.push(whole);
      continue;
    }
    const prefix = header.subarray(345, 500).toString('utf8').replace(/\0.*$/s, '');
    const short = header.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '');
    const name = longName ?? (prefix ? `${prefix}/${short}` : short);
    entries.push({ header: Buffer.concat([...pending, whole.subarray(0, 512)]), body, name });
    pending = [];
    longName = null;
  }
  return entries;
}

function writeTar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(e.header, e.body);
    const pad = (512 - (e.body.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

function cacheDirs(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [path.resolve(here, '../../node_modules/.cache/park-atlas'), path.join(tmpdir(), 'park-atlas-cache')];
}

/** The trimmed bundle's path, made on first use; null when it cannot be made (then PGlite reads the original). */
export function trimmedPostgisBundle(original: string): string | null {
  const st = statSync(original);
  const file = `postgis-${st.size}-${Math.floor(st.mtimeMs)}.tar.gz`;
  for (const dir of cacheDirs()) {
    const target = path.join(dir, file);
    if (existsSync(target)) return target;
  }
  const entries = readTar(gunzipSync(readFileSync(original))).filter((e) => keepInBundle(e.name));
  if (!entries.some((e) => e.name.endsWith('postgis-3.so')) || !entries.some((e) => e.name.endsWith('postgis.control'))) return null;
  // Level 1: PGlite gunzips it at every start, and the output size, not the level, sets that time.
  const bytes = gzipSync(writeTar(entries), { level: 1 });
  for (const dir of cacheDirs()) {
    try {
      mkdirSync(dir, { recursive: true });
      const target = path.join(dir, file);
      // Written aside and renamed: processes starting together never read a half-written bundle.
      const tmp = `${target}.${process.pid}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, target);
      return target;
    } catch {
      // Not writable: the next place.
    }
  }
  return null;
}

/** PGlite's postgis extension, loading the trimmed bundle when it can be made. */
export function trimmedPostgis(): Extension {
  return {
    name: postgis.name,
    async setup(pg, emscriptenOpts) {
      const result = await postgis.setup(pg, emscriptenOpts);
      if (!result.bundlePath) return result;
      try {
        const original = fileURLToPath(result.bundlePath);
        const trimmed = trimmedPostgisBundle(original);
        return trimmed ? { ...result, bundlePath: pathToFileURL(trimmed) } : result;
      } catch {
        return result;
      }
    },
  };
}
