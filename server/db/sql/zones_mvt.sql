-- The zones of one vector tile ($1 = z, $2 = x, $3 = y), geometry in Web Mercator (EPSG:3857). Both databases
-- run this same selection (see parcels_mvt.sql for how each makes the tile of it).
SELECT z.id AS feature_id, z.id, z.code, z.name, z.level, ST_Transform(z.geom, 3857) AS geom
-- The search box includes the 64-unit buffer kept round each tile.
FROM zones z
WHERE z.geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)
