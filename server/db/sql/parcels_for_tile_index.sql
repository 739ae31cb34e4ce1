-- Every parcel with the properties its vector tiles carry, for the in-process tile index (embedded database).
SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object(
  'type', 'Feature', 'id', p.id, 'geometry', ST_AsGeoJSON(p.geom, 7)::json,
  'properties', json_build_object('id', p.id, 'code', p.code, 'zone_id', p.zone_id, 'land_use', p.land_use_code,
    'land_use_l1', left(p.land_use_code, 2), 'status', p.status, 'standard', p.is_standard_land)
) ORDER BY p.id), '[]'::json)) AS fc
FROM parcels p;
