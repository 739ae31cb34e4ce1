/** Configuration from the environment, read once. See .env.example and the README. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_TIME_ZONE, isKnownTimeZone } from '../domain/dates.ts';

export interface Basemap {
  id: string;
  name: string;
  name_en: string;
  /** A MapLibre style URL, or raster tile URL templates. */
  style?: string;
  tiles?: string[];
  /** Labels drawn over `tiles` (天地图's annotation layers: its vector and imagery tiles carry no names). */
  labels?: string[];
  /** A PMTiles archive served by this server (vector or raster; the client reads its header). */
  pmtiles?: string;
  attribution?: string;
}

/** Where the local PMTiles basemap is served: one fixed path, so that the file's own path never reaches a browser. */
export const PMTILES_PATH = '/basemap/local.pmtiles';

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  /** A read replica of DATABASE_URL: pure reads go there (see the README's read-your-writes rule). */
  databaseReadUrl?: string;
  /** After a write, the same browser's reads stay on the primary this long. */
  readYourWritesSeconds: number;
  /** On SIGTERM/SIGINT, in-flight requests get this long to finish before the process exits. */
  shutdownTimeoutSeconds: number;
  logLevel: string;
  dataDir: string;
  /** The embedded database syncs its writes to disk (EMBEDDED_FSYNC, default on; see README "Durability"). */
  embeddedFsync: boolean;
  /** Scheduled backups: a directory, how often, and how many to keep (BACKUP_DIR, BACKUP_EVERY_HOURS, BACKUP_KEEP). */
  backup?: { dir: string; everyHours: number; keep: number };
  demoData: 'auto' | 'yes' | 'no';
  basemaps: Basemap[];
  /** BASEMAP_PMTILES: a .pmtiles file on this machine, served at PMTILES_PATH with HTTP range requests. */
  pmtilesFile?: string;
  /** Mark the session cookie Secure even when the app itself sees plain HTTP (behind a TLS proxy). */
  secureCookies: boolean;
  trustProxy: boolean;
  /** Requests per minute and address on the public catalogue API. */
  publicRequestsPerMinute: number;
  /** The zone "today" is counted in (IANA name). */
  timeZone: string;
  /** What one uploaded file may hold (see uploadLimitsFromEnv). */
  uploadLimits: UploadLimits;
}

/**
 * What one uploaded file may hold, checked before the expensive work starts: a file over a limit is refused
 * with the limit and the figure found, not parsed for minutes while everyone else waits.
 */
export interface UploadLimits {
  /** Vertices (positions) in one feature (IMPORT_MAX_VERTICES_PER_FEATURE). */
  maxVerticesPerFeature: number;
  /** Vertices in the whole file (IMPORT_MAX_VERTICES_PER_FILE). */
  maxVerticesPerFile: number;
  /** Nesting of JSON arrays and objects, XML elements, WKT parentheses and geometry collections (IMPORT_MAX_DEPTH). */
  maxDepth: number;
  /** What a zip, KMZ or shapefile bundle may inflate to, in bytes (IMPORT_MAX_INFLATED_MB). */
  maxInflatedBytes: number;
  /** What an Excel workbook may inflate to, in bytes (SPREADSHEET_MAX_INFLATED_MB): ExcelJS holds it all in memory. */
  maxSpreadsheetInflatedBytes: number;
}

/** Read when a file arrives, so that a test or an operator's change of the environment takes effect. */
export function uploadLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): UploadLimits {
  return {
    maxVerticesPerFeature: positiveNumberSetting(env, 'IMPORT_MAX_VERTICES_PER_FEATURE', 200_000, true),
    maxVerticesPerFile: positiveNumberSetting(env, 'IMPORT_MAX_VERTICES_PER_FILE', 2_000_000, true),
    maxDepth: positiveNumberSetting(env, 'IMPORT_MAX_DEPTH', 64, true),
    maxInflatedBytes: positiveNumberSetting(env, 'IMPORT_MAX_INFLATED_MB', 500) * 1024 * 1024,
    maxSpreadsheetInflatedBytes: positiveNumberSetting(env, 'SPREADSHEET_MAX_INFLATED_MB', 100) * 1024 * 1024,
  };
}

export function basemapsFromEnv(env: NodeJS.ProcessEnv): Basemap[] {
  const list: Basemap[] = [];
  if (env.TIANDITU_KEY) {
    // 天地图 is CGCS2000 with no offset, so parcels overlay it correctly (unlike GCJ-02 maps).
    const key = encodeURIComponent(env.TIANDITU_KEY);
    const wmts = (layer: string) =>
      [0, 1, 2, 3, 4, 5, 6, 7].map(
        (s) =>
          `https://t${s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${key}`,
      );
    // Names come as a separate annotation layer (cva over vector, cia over imagery), in Chinese.
    list.push({ id: 'tianditu-vec', name: '天地图 矢量', name_en: 'Tianditu vector', tiles: wmts('vec'), labels: wmts('cva'), attribution: '© 天地图' });
    list.push({ id: 'tianditu-img', name: '天地图 影像', name_en: 'Tianditu imagery', tiles: wmts('img'), labels: wmts('cia'), attribution: '© 天地图' });
  }
  if (env.BASEMAP_STYLE_URL) list.push({ id: 'custom-style', name: '自定义样式', name_en: 'Custom style', style: env.BASEMAP_STYLE_URL });
  if (env.BASEMAP_TILES_URL) {
    list.push({ id: 'custom-tiles', name: '自定义瓦片', name_en: 'Custom tiles', tiles: [env.BASEMAP_TILES_URL], attribution: env.BASEMAP_ATTRIBUTION });
  }
  if (env.BASEMAP_PMTILES) {
    list.push({
      id: 'local-pmtiles',
      name: '本地底图（PMTiles）',
      name_en: 'Local basemap (PMTiles)',
      pmtiles: PMTILES_PATH,
      attribution: env.BASEMAP_PMTILES_ATTRIBUTION || '© OpenStreetMap contributors',
    });
  }
  return list;
}

function positiveNumberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, integer = false): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
    throw new Error(`${name} must be a positive ${integer ? 'whole ' : ''}number, got "${text}"`);
  return n;
}

function pmtilesFile(env: NodeJS.ProcessEnv): string | undefined {
  if (!env.BASEMAP_PMTILES) return undefined;
  const file = path.resolve(env.BASEMAP_PMTILES);
  // Said at start-up rather than as a blank map later.
  if (!existsSync(file)) throw new Error(`BASEMAP_PMTILES: no file at ${file}`);
  if (!file.endsWith('.pmtiles')) throw new Error(`BASEMAP_PMTILES must name a .pmtiles file, got "${env.BASEMAP_PMTILES}"`);
  return file;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 5173);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  const demo = (env.DEMO_DATA ?? 'auto').toLowerCase();
  if (!['auto', 'yes', 'no', '1', '0', 'true', 'false'].includes(demo)) throw new Error(`DEMO_DATA must be auto, yes or no, got "${env.DEMO_DATA}"`);
  const timeZone = env.APP_TIME_ZONE || DEFAULT_TIME_ZONE;
  if (!isKnownTimeZone(timeZone)) throw new Error(`APP_TIME_ZONE must be an IANA time zone such as Asia/Shanghai, got "${env.APP_TIME_ZONE}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    databaseReadUrl: env.DATABASE_READ_URL || undefined,
    readYourWritesSeconds: positiveNumberSetting(env, 'READ_YOUR_WRITES_SECONDS', 10),
    shutdownTimeoutSeconds: positiveNumberSetting(env, 'SHUTDOWN_TIMEOUT_SECONDS', 20),
    logLevel: env.LOG_LEVEL || 'info',
    dataDir: path.resolve(env.DATA_DIR ?? '.data/pglite'),
    embeddedFsync: !['off', '0', 'false', 'no'].includes((env.EMBEDDED_FSYNC ?? 'on').toLowerCase()),
    backup: env.BACKUP_DIR
      ? {
          dir: path.resolve(env.BACKUP_DIR),
          everyHours: positiveNumberSetting(env, 'BACKUP_EVERY_HOURS', 24),
          keep: positiveNumberSetting(env, 'BACKUP_KEEP', 7, true),
        }
      : undefined,
    demoData: demo === 'auto' ? 'auto' : ['yes', '1', 'true'].includes(demo) ? 'yes' : 'no',
    basemaps: basemapsFromEnv(env),
    pmtilesFile: pmtilesFile(env),
    secureCookies: env.COOKIE_SECURE === '1' || env.COOKIE_SECURE === 'true',
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    publicRequestsPerMinute: Number(env.PUBLIC_REQUESTS_PER_MINUTE ?? 300) || 300,
    timeZone,
    uploadLimits: uploadLimitsFromEnv(env),
  };
}
