-- One parcels vector tile ($1 = z, $2 = x, $3 = y) with ST_AsMVT (real PostGIS only).
WITH bounds AS (
  -- The search box includes the 64-unit buffer that ST_AsMVTGeom keeps, as geojson-vt does on the embedded side.
  SELECT ST_TileEnvelope($1, $2, $3) AS env, ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326) AS env4326
)
-- The id goes in twice, as the MVT feature id and as the property "id" (see server/tiles.ts): ST_AsMVT moves the
-- column it is given as feature id out of the properties, hence the second column.
SELECT ST_AsMVT(t, 'parcels', 4096, 'geom', 'feature_id') AS tile
FROM (
  SELECT p.id AS feature_id, p.id, p.code, p.zone_id, p.land_use_code AS land_use, left(p.land_use_code, 2) AS land_use_l1,
    p.status, p.is_standard_land AS standard,
    ST_AsMVTGeom(ST_Transform(p.geom, 3857), bounds.env, 4096, 64, true) AS geom
  FROM parcels p, bounds
  WHERE p.geom && bounds.env4326
) AS t
WHERE t.geom IS NOT NULL;
