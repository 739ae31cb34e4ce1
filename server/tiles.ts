/**
 * Vector tiles for parcels and zones. A real PostGIS makes them with ST_AsMVT; the embedded PostGIS is built
 * without protobuf support (no ST_AsMVT), so there an in-process geojson-vt index is cut into tiles and
 * encoded with vt-pbf. Both give the same layers, properties and feature ids.
 *
 * The record id travels twice in every feature: as the MVT feature id (what MVT readers such as QGIS key on)
 * and as the property `id`, which is the one the web client reads: it reads `properties.id` on the GeoJSON
 * zone and project sources as well, and its parcels source promotes that property to the feature-state key.
 * ST_AsMVT takes its feature-id column out of the properties, so its SQL selects the id a second time.
 */
import { createHash } from 'node:crypto';
import GeoJSONVT from 'geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { GeoJSON } from 'geojson';
import type { Db } from './db/types.ts';
import { sql } from './db/sql/index.ts';

export const TILE_LAYERS = ['parcels', 'zones'] as const;
export type TileLayer = (typeof TILE_LAYERS)[number];

/** Parcels are not drawn below this zoom (a province would be one huge tile): the tile is empty. */
export const PARCELS_MIN_ZOOM = 9;
export const MAX_TILE_ZOOM = 22;

type Index = GeoJSONVT;

/**
 * The layer's data version, from tile_versions: a trigger bumps it in the same transaction as every write to
 * the layer's table (migration 011), so every process sees the new version exactly when it sees the new data.
 */
export async function tileVersion(db: Db, layer: TileLayer): Promise<number> {
  const [row] = await db.query<{ version: number }>('SELECT version FROM tile_versions WHERE layer = $1', [layer]);
  return row?.version ?? 0;
}

/** Tiles' ETag: the data version, plus a digest of how tiles are made (a new release may cut them differently). */
export function tileEtag(db: Db, layer: TileLayer, version: number): string {
  const how = layer === 'parcels' ? sql.parcelsMvt + sql.parcelsForTileIndex : sql.zonesMvt + sql.zonesForTileIndex;
  const digest = createHash('sha1').update(db.kind).update(how).digest('base64url').slice(0, 10);
  return `"${layer}-${version}-${digest}"`;
}

export interface TileSource {
  /** The layer's current data version (see tileVersion). */
  version(layer: TileLayer): Promise<number>;
  /** The ETag of any of the layer's tiles at that version. */
  etag(layer: TileLayer, version: number): string;
  /** The tile's protobuf bytes (possibly empty: no features); `version` when the caller has just read it. */
  tile(layer: TileLayer, z: number, x: number, y: number, version?: number): Promise<Uint8Array>;
  /** Called after writes so that the next tile reflects them. */
  invalidate(layer?: TileLayer): void;
}

class PostgisTileSource implements TileSource {
  constructor(private readonly db: Db) {}
  version = (layer: TileLayer) => tileVersion(this.db, layer);
  etag = (layer: TileLayer, version: number) => tileEtag(this.db, layer, version);
  async tile(layer: TileLayer, z: number, x: number, y: number): Promise<Uint8Array> {
    if (layer === 'parcels' && z < PARCELS_MIN_ZOOM) return new Uint8Array();
    const text = layer === 'parcels' ? sql.parcelsMvt : sql.zonesMvt;
    const [row] = await this.db.query<{ tile: Uint8Array | null }>(text, [z, x, y]);
    return row?.tile ? new Uint8Array(row.tile) : new Uint8Array();
  }
  invalidate(): void {
    // Nothing cached: every tile is read from the database.
  }
}

class EmbeddedTileSource implements TileSource {
  private indexes = new Map<TileLayer, Promise<Index>>();
  /** The data version each cached index was built from: a newer one in tile_versions rebuilds it. */
  private builtFrom = new Map<TileLayer, number>();
  constructor(private readonly db: Db) {}
  version = (layer: TileLayer) => tileVersion(this.db, layer);
  etag = (layer: TileLayer, version: number) => tileEtag(this.db, layer, version);

  private index(layer: TileLayer): Promise<Index> {
    let index = this.indexes.get(layer);
    if (!index) {
      index = (async () => {
        const [row] = await this.db.query<{ fc: GeoJSON }>(layer === 'parcels' ? sql.parcelsForTileIndex : sql.zonesForTileIndex);
        return new GeoJSONVT(row.fc, { maxZoom: 16, indexMaxZoom: 6, tolerance: 3, extent: 4096, buffer: 64 });
      })();
      // A failed build must not stay cached.
      index.catch(() => this.indexes.delete(layer));
      this.indexes.set(layer, index);
    }
    return index;
  }

  async tile(layer: TileLayer, z: number, x: number, y: number, knownVersion?: number): Promise<Uint8Array> {
    if (layer === 'parcels' && z < PARCELS_MIN_ZOOM) return new Uint8Array();
    const version = knownVersion ?? (await this.version(layer));
    if (this.builtFrom.get(layer) !== version) {
      this.indexes.delete(layer);
      this.builtFrom.set(layer, version);
    }
    const tile = (await this.index(layer)).getTile(z, x, y);
    if (!tile || tile.features.length === 0) return new Uint8Array();
    return fromGeojsonVt({ [layer]: tile as never }, { version: 2, extent: 4096 });
  }

  invalidate(layer?: TileLayer): void {
    if (layer) this.indexes.delete(layer);
    else this.indexes.clear();
  }
}

export function createTileSource(db: Db): TileSource {
  return db.kind === 'postgres' ? new PostgisTileSource(db) : new EmbeddedTileSource(db);
}
