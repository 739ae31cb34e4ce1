-- One zones vector tile ($1 = z, $2 = x, $3 = y) with ST_AsMVT (real PostGIS only).
WITH bounds AS (
  -- The search box includes the 64-unit buffer that ST_AsMVTGeom keeps, as geojson-vt does on the embedded side.
  SELECT ST_TileEnvelope($1, $2, $3) AS env, ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS env4326
)
-- The id goes in twice, as the MVT feature id and as the property "id" (see server/tiles.ts): ST_AsMVT moves the
-- column it is given as feature id out of the properties, hence the second column.
SELECT ST_AsMVT(t, 'zones', 4096, 'geom', 'feature_id') AS tile
FROM (
  SELECT z.id AS feature_id, z.id, z.code, z.name, z.level,
    ST_AsMVTGeom(ST_Transform(z.geom, 3857), bounds.env, 4096, 64, true) AS geom
  FROM zones z, bounds
  WHERE z.geom && bounds.env4326
) AS t
WHERE t.geom IS NOT NULL;
