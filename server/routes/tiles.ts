/** Vector tiles: /api/tiles/{parcels|zones}/{z}/{x}/{y}.pbf, with ETag and cache headers. */
import { Router } from 'express';
import { HttpError, allowOnlyParams, badRequest } from '../lib/http.ts';
import { MAX_TILE_ZOOM, TILE_LAYERS, type TileLayer, type TileSource } from '../tiles.ts';

export function tilesRouter(tiles: TileSource): Router {
  const router = Router();
  // `v` is the client's cache buster after edits; the server ignores its value.
  router.get('/:layer/:z/:x/:file', allowOnlyParams(['v']), async (req, res) => {
    const { layer, z: zText, x: xText, file } = req.params as Record<string, string>;
    if (!(TILE_LAYERS as readonly string[]).includes(layer)) {
      throw new HttpError(404, 'not_found', `Unknown tile layer "${layer.slice(0, 40)}". Layers: ${TILE_LAYERS.join(', ')}.`);
    }
    const m = /^(\d{1,8})\.pbf$/.exec(file);
    if (!/^\d{1,2}$/.test(zText) || !/^\d{1,8}$/.test(xText) || !m) {
      throw badRequest('Tile address must be /api/tiles/{layer}/{z}/{x}/{y}.pbf with whole numbers.');
    }
    const z = Number(zText);
    const x = Number(xText);
    const y = Number(m[1]);
    if (z > MAX_TILE_ZOOM) throw badRequest(`Zoom must be between 0 and ${MAX_TILE_ZOOM}.`);
    const n = 2 ** z;
    if (x >= n || y >= n) throw badRequest(`At zoom ${z}, x and y must be between 0 and ${n - 1}.`);

    // The ETag comes from the layer's version in the database (one small read), so an unchanged tile is
    // answered 304 without being made, and an edit through any process changes every process's ETags.
    res.set({
      'Content-Type': 'application/vnd.mapbox-vector-tile',
      // Signed-in data: kept by the browser only, and revalidated each time (cheap: a 304 from the version).
      'Cache-Control': 'private, no-cache',
    });
    const wanted = (req.get('If-None-Match') ?? '').split(',').map((t) => t.trim().replace(/^W\//, '')).filter(Boolean);
    let bytes: Uint8Array;
    if (wanted.length) {
      const version = await tiles.version(layer as TileLayer);
      const etag = await tiles.etag(layer as TileLayer, version, z, x, y);
      res.set('ETag', etag);
      if (wanted.includes(etag) || wanted.includes('*')) {
        res.status(304).end();
        return;
      }
      bytes = await tiles.tile(layer as TileLayer, z, x, y, version);
    } else {
      // Nothing to revalidate: the tile and its ETag together (one query on PostgreSQL).
      const made = await tiles.tileWithEtag(layer as TileLayer, z, x, y);
      res.set('ETag', made.etag);
      bytes = made.bytes;
    }
    res.status(bytes.length ? 200 : 204).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
  return router;
}
