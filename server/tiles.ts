/**
 * Vector tiles for parcels and zones. Both databases select a tile's features with the same SQL
 * (db/sql/parcels_mvt.sql, zones_mvt.sql). A real PostGIS turns them into the tile itself with
 * ST_AsMVT(ST_AsMVTGeom(...)); the embedded PostGIS is built without protobuf (no ST_AsMVT, no ST_AsMVTGeom), so
 * there the features are clipped to the tile in SQL and quantised, wound and encoded here with vt-pbf. Both give
 * the same layers, properties and feature ids.
 *
 * The record id travels twice in every feature: as the MVT feature id (what MVT readers such as QGIS key on)
 * and as the property `id`, which is the one the web client reads: it reads `properties.id` on the GeoJSON
 * zone and project sources as well, and its parcels source promotes that property to the feature-state key.
 * ST_AsMVT takes its feature-id column out of the properties, so the SQL selects the id a second time.
 */
import { createHash } from 'node:crypto';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Db } from './db/types.ts';
import { sql } from './db/sql/index.ts';

export const TILE_LAYERS = ['parcels', 'zones'] as const;
export type TileLayer = (typeof TILE_LAYERS)[number];

/** Parcels are not drawn below this zoom (a province would be one huge tile): the tile is empty. */
export const PARCELS_MIN_ZOOM = 9;
export const MAX_TILE_ZOOM = 22;
/** Up to this zoom a parcels tile is thinned (see parcels_mvt.sql). */
export const PARCELS_THINNED_UP_TO_ZOOM = 10;
const EXTENT = 4096;
const BUFFER = 64;

/**
 * The smallest parcel (m²) drawn at a zoom: a z9 tile of a province holds 20,000 parcels of one or two pixels
 * each. The floors keep the densest demo and province tiles under 500 KB (npm run bench prints the sizes).
 */
export function parcelsMinArea(z: number): number {
  if (z <= 9) return 25_000;
  if (z <= PARCELS_THINNED_UP_TO_ZOOM) return 12_000;
  return 0;
}

/** The columns each layer's SQL selects besides feature_id and geom, in order: the tile's properties. */
const PROPERTIES: Record<TileLayer, readonly string[]> = {
  parcels: ['id', 'code', 'zone_id', 'land_use', 'land_use_l1', 'status', 'standard'],
  zones: ['id', 'code', 'name', 'level'],
};
const FEATURES_SQL: Record<TileLayer, string> = { parcels: sql.parcelsMvt, zones: sql.zonesMvt };

function paramsFor(layer: TileLayer, z: number, x: number, y: number): unknown[] {
  return layer === 'parcels' ? [z, x, y, parcelsMinArea(z)] : [z, x, y];
}

/**
 * The tile as ST_AsMVT makes it from the shared selection: ST_AsMVTGeom once per feature (ST_AsMVT skips the
 * features it returns NULL for, so no WHERE repeats it). Only constants are spliced in; values are parameters.
 */
export function postgisTileSql(layer: TileLayer): string {
  const props = PROPERTIES[layer].map((c) => `f.${c}`).join(', ');
  return `SELECT ST_AsMVT(t, '${layer}', ${EXTENT}, 'geom', 'feature_id') AS tile FROM (
  SELECT f.feature_id, ${props}, ST_AsMVTGeom(f.geom, ST_TileEnvelope($1, $2, $3), ${EXTENT}, ${BUFFER}, true) AS geom
  FROM (${FEATURES_SQL[layer]}) f
) t`;
}

/**
 * The shared selection clipped to the tile and its buffer, in Web Mercator (the embedded database): one JSON
 * text of [feature_id, ...properties, GeoJSON geometry] arrays. One value, not a row per feature: PGlite hands
 * rows and bytea over slowly (a z10 tile as 2,000 WKB rows took several times as long).
 */
export function embeddedTileSql(layer: TileLayer): string {
  const props = PROPERTIES[layer].map((c) => `f.${c}`).join(', ');
  return `SELECT json_agg(json_build_array(f.feature_id, ${props},
  ST_AsGeoJSON(ST_ClipByBox2D(f.geom, ST_TileEnvelope($1, $2, $3, margin => ${BUFFER}.0 / ${EXTENT})), 2)::json))::text AS features
FROM (${FEATURES_SQL[layer]}) f`;
}

/**
 * The layer's data version, from tile_versions: a trigger bumps it in the same transaction as every write to
 * the layer's table (migration 011), so every process sees the new version exactly when it sees the new data.
 */
export async function tileVersion(db: Pick<Db, 'query'>, layer: TileLayer): Promise<number> {
  const [row] = await db.query<{ version: number }>('SELECT version FROM tile_versions WHERE layer = $1', [layer]);
  return Number(row?.version ?? 0);
}

/** A digest of how tiles are made: a new release may cut them differently, so it is part of every ETag. */
function howDigest(db: Db, layer: TileLayer): string {
  const how = db.kind === 'postgres' ? postgisTileSql(layer) : embeddedTileSql(layer);
  return createHash('sha1')
    .update(db.kind)
    .update(how)
    .update(String([parcelsMinArea(9), parcelsMinArea(10)]))
    .digest('base64url')
    .slice(0, 10);
}

export interface TileSource {
  /** The layer's current data version (see tileVersion). */
  version(layer: TileLayer): Promise<number>;
  /** The tile's ETag at that data version: it changes when the tile may have changed. */
  etag(layer: TileLayer, version: number, z: number, x: number, y: number): Promise<string>;
  /** The tile's protobuf bytes (possibly empty: no features); `version` when the caller has just read it. */
  tile(layer: TileLayer, z: number, x: number, y: number, version?: number): Promise<Uint8Array>;
  /** The tile with its ETag, in as few round trips as the database allows (a request without If-None-Match). */
  tileWithEtag(layer: TileLayer, z: number, x: number, y: number): Promise<{ etag: string; bytes: Uint8Array }>;
  /** Called after writes so that the next tile reflects them. */
  invalidate(layer?: TileLayer): void;
}

class PostgisTileSource implements TileSource {
  private readonly text: Record<TileLayer, string> = { parcels: postgisTileSql('parcels'), zones: postgisTileSql('zones') };
  /** The tile and the layer's version in one statement (one snapshot, one round trip). */
  private readonly withVersion: Record<TileLayer, string> = {
    parcels: `SELECT v.version, t.tile FROM tile_versions v, (${postgisTileSql('parcels')}) t WHERE v.layer = 'parcels'`,
    zones: `SELECT v.version, t.tile FROM tile_versions v, (${postgisTileSql('zones')}) t WHERE v.layer = 'zones'`,
  };
  private readonly digest: Record<TileLayer, string>;
  constructor(private readonly db: Db) {
    this.digest = { parcels: howDigest(db, 'parcels'), zones: howDigest(db, 'zones') };
  }
  version = (layer: TileLayer) => tileVersion(this.db, layer);
  /** Every tile of the layer changes with its version: processes share nothing else (see the README). */
  etag = async (layer: TileLayer, version: number) => `"${layer}-${version}-${this.digest[layer]}"`;
  async tile(layer: TileLayer, z: number, x: number, y: number): Promise<Uint8Array> {
    if (layer === 'parcels' && z < PARCELS_MIN_ZOOM) return new Uint8Array();
    // The bytea arrives as hex text that node-postgres decodes (Buffer.from(hex), native): node-postgres 8 cannot
    // read a result column in binary format (its protocol parser decodes every field as UTF-8 text). The bench
    // prints what the decoding costs against the whole request.
    const [row] = await this.db.query<{ tile: Uint8Array | null }>(this.text[layer], paramsFor(layer, z, x, y));
    return row?.tile ? new Uint8Array(row.tile.buffer, row.tile.byteOffset, row.tile.byteLength) : new Uint8Array();
  }
  async tileWithEtag(layer: TileLayer, z: number, x: number, y: number) {
    if (layer === 'parcels' && z < PARCELS_MIN_ZOOM) return { etag: await this.etag(layer, await this.version(layer)), bytes: new Uint8Array() };
    const [row] = await this.db.query<{ version: number; tile: Uint8Array | null }>(this.withVersion[layer], paramsFor(layer, z, x, y));
    const bytes = row?.tile ? new Uint8Array(row.tile.buffer, row.tile.byteOffset, row.tile.byteLength) : new Uint8Array();
    return { etag: await this.etag(layer, Number(row?.version ?? 0)), bytes };
  }
  invalidate(): void {
    // Nothing cached: every tile is read from the database.
  }
}

type Box = [minLon: number, minLat: number, maxLon: number, maxLat: number];

/** A tile's area with its buffer, in degrees. */
function tileBox(z: number, x: number, y: number): Box {
  const n = 2 ** z;
  const m = BUFFER / EXTENT;
  const lon = (v: number) => (v / n) * 360 - 180;
  const lat = (v: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * v) / n))) * 180) / Math.PI;
  return [lon(x - m), lat(Math.min(n, y + 1 + m)), lon(x + 1 + m), lat(Math.max(0, y - m))];
}

const overlaps = (a: Box, b: Box) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/**
 * Which tiles each write touched, for the embedded database (one process owns it). tile_versions says that the
 * layer changed; tile_changes (migration 031, filled by the same triggers) says where: each statement's version
 * and the box of the rows it wrote, old and new positions. When the version moves, the entries since the last
 * look are read (an index range, not a pass over the table: the first tile after an edit no longer waits for
 * 95,000 rows to be scanned). A tile's stamp is the latest version whose change reaches into it (or the version
 * this process started from): the tile, its cache entry and its ETag are remade only when it moves.
 */
class ChangeTracker {
  private knownVersion: number | null = null;
  private baseVersion = 0;
  private regions: { version: number; box: Box }[] = [];
  private syncing: Promise<void> | null = null;
  constructor(
    private readonly db: Db,
    private readonly layer: TileLayer,
  ) {}

  /** Brings the tracker up to the given version (or later). */
  async sync(version: number): Promise<void> {
    while (this.knownVersion === null || this.knownVersion < version) {
      if (!this.syncing) this.syncing = this.read().finally(() => (this.syncing = null));
      await this.syncing;
    }
  }

  private async read(): Promise<void> {
    // One transaction (on the embedded database: nothing else runs meanwhile): the version and the log agree.
    await this.db.transaction(async (tx) => {
      const version = await tileVersion(tx, this.layer);
      if (this.knownVersion === null) {
        this.baseVersion = version;
        this.knownVersion = version;
        return;
      }
      if (version === this.knownVersion) return;
      const changes = await tx.query<{ version: number; x0: number | null; y0: number; x1: number; y1: number }>(
        'SELECT version, x0, y0, x1, y1 FROM tile_changes WHERE layer = $1 AND version > $2 AND version <= $3 ORDER BY version',
        [this.layer, this.knownVersion, version],
      );
      // Every version in between must be in the log; one that is not (pruned, or written before the log
      // existed) or one without a box (TRUNCATE) may have changed anything: every tile moves to this version.
      const complete = changes.length === version - this.knownVersion;
      if (!complete || changes.some((c) => c.x0 === null)) {
        this.regions = [];
        this.baseVersion = version;
      } else {
        for (const c of changes) this.regions.push({ version: Number(c.version), box: [c.x0!, c.y0, c.x1, c.y1] });
      }
      // A long-running process forgets old regions: every tile then moves once to the current version.
      if (this.regions.length > 20_000) {
        this.regions = [];
        this.baseVersion = version;
      }
      this.knownVersion = version;
    });
  }

  /** The latest version that changed anything in the tile (with its buffer). */
  stamp(z: number, x: number, y: number): number {
    const box = tileBox(z, x, y);
    let stamp = this.baseVersion;
    for (const r of this.regions) if (r.version > stamp && overlaps(r.box, box)) stamp = r.version;
    return stamp;
  }
}

class EmbeddedTileSource implements TileSource {
  private readonly text: Record<TileLayer, string> = { parcels: embeddedTileSql('parcels'), zones: embeddedTileSql('zones') };
  private readonly digest: Record<TileLayer, string>;
  private readonly trackers: Record<TileLayer, ChangeTracker>;
  /** Made tiles by layer/z/x/y with the stamp they were made at; the least recently used go first. */
  private cache = new Map<string, { stamp: number; bytes: Uint8Array }>();
  private cachedBytes = 0;
  private static readonly CACHE_BYTES = 32 * 1024 * 1024;

  constructor(private readonly db: Db) {
    this.digest = { parcels: howDigest(db, 'parcels'), zones: howDigest(db, 'zones') };
    this.trackers = { parcels: new ChangeTracker(db, 'parcels'), zones: new ChangeTracker(db, 'zones') };
  }
  version = (layer: TileLayer) => tileVersion(this.db, layer);

  private async stamp(layer: TileLayer, version: number, z: number, x: number, y: number): Promise<number> {
    await this.trackers[layer].sync(version);
    return this.trackers[layer].stamp(z, x, y);
  }

  /** The tile's own stamp: an edit elsewhere leaves this tile's ETag (and the browser's copy) as it was. */
  async etag(layer: TileLayer, version: number, z: number, x: number, y: number): Promise<string> {
    return `"${layer}-${await this.stamp(layer, version, z, x, y)}-${this.digest[layer]}"`;
  }

  async tile(layer: TileLayer, z: number, x: number, y: number, knownVersion?: number): Promise<Uint8Array> {
    if (layer === 'parcels' && z < PARCELS_MIN_ZOOM) return new Uint8Array();
    const version = knownVersion ?? (await this.version(layer));
    const stamp = await this.stamp(layer, version, z, x, y);
    const key = `${layer}/${z}/${x}/${y}`;
    const hit = this.cache.get(key);
    if (hit && hit.stamp === stamp) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return hit.bytes;
    }
    const [row] = await this.db.query<{ features: string | null }>(this.text[layer], paramsFor(layer, z, x, y));
    const bytes = encodeTile(layer, row?.features ? JSON.parse(row.features) : [], z, x, y);
    this.remember(key, stamp, bytes);
    return bytes;
  }

  async tileWithEtag(layer: TileLayer, z: number, x: number, y: number) {
    const version = await this.version(layer);
    return { etag: await this.etag(layer, version, z, x, y), bytes: await this.tile(layer, z, x, y, version) };
  }

  private remember(key: string, stamp: number, bytes: Uint8Array) {
    const old = this.cache.get(key);
    if (old) {
      this.cachedBytes -= old.bytes.length;
      this.cache.delete(key);
    }
    this.cache.set(key, { stamp, bytes });
    this.cachedBytes += bytes.length;
    for (const [k, v] of this.cache) {
      if (this.cachedBytes <= EmbeddedTileSource.CACHE_BYTES) break;
      this.cache.delete(k);
      this.cachedBytes -= v.bytes.length;
    }
  }

  invalidate(): void {
    // Nothing to do: tile_versions and the change tracker find what a write touched (also a write made outside
    // the routes that call this, such as an import from the command line).
  }
}

type Ring = [number, number][];
type Geometry = { type: string; coordinates?: unknown; geometries?: Geometry[] };

/** The polygons of a GeoJSON geometry (clipping may give a collection; its points and lines are dropped). */
export function polygonsOf(g: Geometry | null): Ring[][] {
  if (!g) return [];
  if (g.type === 'Polygon') return [g.coordinates as Ring[]];
  if (g.type === 'MultiPolygon') return g.coordinates as Ring[][];
  if (g.type === 'GeometryCollection') return (g.geometries ?? []).flatMap(polygonsOf);
  return [];
}

/** Twice the ring's signed area in tile coordinates (y down): positive for the MVT exterior winding. */
function signedArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return a;
}

/**
 * The features in tile coordinates as ST_AsMVTGeom would give them: scaled to the 4096 extent with y down, on
 * whole units, repeated points removed, rings that collapse dropped, exteriors wound clockwise (MVT 2.1) and
 * holes the other way; then encoded with vt-pbf.
 */
function encodeTile(layer: TileLayer, rows: unknown[][], z: number, x: number, y: number): Uint8Array {
  const size = (2 * Math.PI * 6378137) / 2 ** z;
  const minX = -Math.PI * 6378137 + x * size;
  const maxY = Math.PI * 6378137 - y * size;
  const scale = EXTENT / size;
  const features = [];
  const names = PROPERTIES[layer];
  for (const row of rows) {
    const geometry: Ring[] = [];
    for (const polygon of polygonsOf(row[names.length + 1] as Geometry | null)) {
      let exteriorKept = false;
      polygon.forEach((ring, i) => {
        const out: Ring = [];
        for (const [mx, my] of ring) {
          const p: [number, number] = [Math.round((mx - minX) * scale), Math.round((maxY - my) * scale)];
          const last = out[out.length - 1];
          if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
        }
        if (out.length < 4) return;
        const area = signedArea(out);
        if (area === 0) return;
        // An exterior that collapsed takes its holes with it.
        if (i > 0 && !exteriorKept) return;
        if (i === 0) exteriorKept = true;
        if ((i === 0) !== area > 0) out.reverse();
        geometry.push(out);
      });
    }
    if (geometry.length === 0) continue;
    const tags: Record<string, unknown> = {};
    names.forEach((name, i) => {
      if (row[i + 1] !== null && row[i + 1] !== undefined) tags[name] = row[i + 1];
    });
    features.push({ type: 3, id: Number(row[0]), tags, geometry });
  }
  if (features.length === 0) return new Uint8Array();
  return fromGeojsonVt({ [layer]: { features } as never }, { version: 2, extent: EXTENT });
}

export function createTileSource(db: Db): TileSource {
  return db.kind === 'postgres' ? new PostgisTileSource(db) : new EmbeddedTileSource(db);
}
