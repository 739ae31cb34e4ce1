/** Vector tiles of parcels and zones, with ETag and cache headers. */
import { z } from 'zod';
import { defineContract } from './define.ts';
import { documentedAs, text } from './common.ts';

const zh = (t: string) => ({ params: { zh: t } });
const wholeNumber = (digits: number, max: number) =>
  z
    .string()
    .regex(new RegExp(`^\\d{1,${digits}}$`), { message: 'must be a whole number', ...zh('必须是整数') })
    .transform(Number)
    .meta(documentedAs({ type: 'integer', minimum: 0, maximum: max }));

export const tile = defineContract({
  method: 'get',
  path: '/api/tiles/{layer}/{z}/{x}/{y}.pbf',
  summary: 'Mapbox vector tile of parcels or zones',
  description:
    'Parcels are empty below the zoom the client settings give (parcelsMinZoom). ETag and Cache-Control (private, no-cache) are set; If-None-Match with the current ETag answers 304 without making the tile; an empty tile answers 204. x and y must lie within the zoom (0 … 2^z − 1).',
  tags: ['tiles'],
  access: 'signedIn',
  params: z.strictObject({
    // The layer list is server/tiles.ts's (TILE_LAYERS, which this file cannot import: the client reads contracts);
    // an unknown layer answers 404 there.
    layer: text(40).meta(documentedAs({ type: 'string', enum: ['parcels', 'zones'] })),
    z: wholeNumber(2, 22),
    x: wholeNumber(8, 4194303),
    // Express sees "{y}.pbf" as one path segment.
    y: z
      .string()
      .regex(/^\d{1,8}\.pbf$/, { message: 'must be a whole number followed by .pbf', ...zh('必须是整数加 .pbf') })
      .transform((s) => Number(s.slice(0, -4)))
      .meta(documentedAs({ type: 'integer', minimum: 0, maximum: 4194303 })),
  }),
  query: z.strictObject({ v: text(40).optional().meta({ description: "The client's cache buster after edits; its value is ignored" }) }),
  responses: {
    200: { description: 'The tile', contentType: 'application/vnd.mapbox-vector-tile' },
    204: { description: 'No features in this tile' },
    304: { description: 'Not modified (the ETag still holds)' },
  },
  errors: [400, 401, 404],
});
