-- Every zone with the properties its vector tiles carry, for the in-process tile index (embedded database).
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature', 'id', z.id, 'geometry', ST_AsGeoJSON(z.geom, 7)::json,
  'properties', json_build_object('id', z.id, 'code', z.code, 'name', z.name, 'level', z.level)
) ORDER BY z.id), '[]'::json)) AS fc
FROM zones z;
