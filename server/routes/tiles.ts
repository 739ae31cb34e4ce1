/** Vector tiles: /api/tiles/{parcels|zones}/{z}/{x}/{y}.pbf, with ETag and cache headers. */
import { Router } from 'express';
import { HttpError, badRequest } from '../lib/http.ts';
import { route } from '../lib/route.ts';
import * as contract from '../contract/tiles.ts';
import { MAX_TILE_ZOOM, TILE_LAYERS, type TileLayer, type TileSource } from '../tiles.ts';

export function tilesRouter(tiles: TileSource): Router {
  const router = Router();
  // ":y" is "{y}.pbf" (one path segment); the contract takes the number out of it.
  router.get(
    '/:layer/:z/:x/:y',
    ...route(contract.tile, async ({ params: { layer: layerName, z, x, y } }, req, res) => {
      if (!(TILE_LAYERS as readonly string[]).includes(layerName)) {
        throw new HttpError(404, 'not_found', `Unknown tile layer "${layerName}". Layers: ${TILE_LAYERS.join(', ')}.`);
      }
      const layer = layerName as TileLayer;
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
      const wanted = (req.get('If-None-Match') ?? '')
        .split(',')
        .map((t) => t.trim().replace(/^W\//, ''))
        .filter(Boolean);
      let bytes: Uint8Array;
      if (wanted.length) {
        const version = await tiles.version(layer);
        const etag = await tiles.etag(layer, version, z, x, y);
        res.set('ETag', etag);
        if (wanted.includes(etag) || wanted.includes('*')) {
          res.status(304).end();
          return undefined;
        }
        bytes = await tiles.tile(layer, z, x, y, version);
      } else {
        // Nothing to revalidate: the tile and its ETag together (one query on PostgreSQL).
        const made = await tiles.tileWithEtag(layer, z, x, y);
        res.set('ETag', made.etag);
        bytes = made.bytes;
      }
      res.status(bytes.length ? 200 : 204).send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      return undefined;
    }),
  );
  return router;
}
