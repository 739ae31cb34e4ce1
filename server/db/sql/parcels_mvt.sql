-- The parcels of one vector tile ($1 = z, $2 = x, $3 = y), geometry in Web Mercator (EPSG:3857). Both databases
-- run this same selection: server/tiles.ts wraps it in ST_AsMVT(ST_AsMVTGeom(geom)) on a real PostGIS, and on
-- the embedded PostGIS (built without protobuf: no ST_AsMVT, no ST_AsMVTGeom) it clips the rows to the tile
-- and encodes them itself.
--
-- Up to zoom 10 a tile covers a whole city's zones (20,000 parcels of a province in one z9 tile, 1.2 MB): there
-- a parcel carries only what the map colours it by (id, for feature-state, land use and status), and parcels
-- under $4 m² are left out (a parcel is one or two screen pixels at those zooms; the larger ones, which make
-- most of a zone's area, still draw its land-use pattern). From zoom 11 on every parcel with every property.
SELECT p.id AS feature_id, p.id,
  CASE WHEN $1 > 10 THEN p.code END AS code,
  CASE WHEN $1 > 10 THEN p.zone_id END AS zone_id,
  CASE WHEN $1 > 10 THEN p.land_use_code END AS land_use,
  left(p.land_use_code, 2) AS land_use_l1,
  p.status,
  CASE WHEN $1 > 10 THEN p.is_standard_land END AS standard,
  ST_Transform(p.geom, 3857) AS geom
-- The search box includes the 64-unit buffer kept round each tile.
FROM parcels p
WHERE p.geom && ST_Transform(ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096), 4326)
  AND p.area_m2 >= $4
