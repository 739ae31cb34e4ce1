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
      const version = await tiles.version(layer);
      res.set({
        'Content-Type': 'application/vnd.mapbox-vector-tile',
        // Signed-in data: kept by the browser only, and revalidated each time (cheap: a 304 from the version).
        'Cache-Control': 'private, no-cache',
        ETag: tiles.etag(layer, version),
      });
      const etag = res.get('ETag')!;
      const wanted = (req.get('If-None-Match') ?? '').split(',').map((t) => t.trim().replace(/^W\//, ''));
      if (wanted.includes(etag) || wanted.includes('*')) {
        res.status(304).end();
        return undefined;
      }
      const bytes = await tiles.tile(layer, z, x, y, version);
      res.status(bytes.length ? 200 : 204).send(Buffer.from(bytes));
      return undefined;
    }),
  );
  return router;
}
