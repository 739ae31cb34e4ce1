-- All zones as one GeoJSON FeatureCollection, with counts and a label point inside each zone's largest part.
SELECT json_build_object(
  'type', 'FeatureCollection',
  'features', coalesce(json_agg(f ORDER BY f.id), '[]'::json)
) AS fc
FROM (
  SELECT z.id,
    json_build_object(
      'type', 'Feature',
      'id', z.id,
      'geometry', ST_AsGeoJSON(z.geom, 6)::json,
      'properties', json_build_object(
        'id', z.id, 'code', z.code, 'name', z.name, 'name_en', z.name_en, 'level', z.level,
        'city', z.city, 'county', z.county, 'leading_industry', z.leading_industry,
        'area_m2', round(z.area_m2::numeric, 1), 'approved_area_ha', z.approved_area_ha,
        'parcel_count', (SELECT count(*) FROM parcels p WHERE p.zone_id = z.id),
        'project_count', (SELECT count(*) FROM projects pr WHERE pr.zone_id = z.id),
        'label_point', ST_AsGeoJSON(ST_PointOnSurface(
          (SELECT d.geom FROM ST_Dump(z.geom) d ORDER BY ST_Area(d.geom) DESC LIMIT 1)), 6)::json,
        'bbox', json_build_array(ST_XMin(z.geom), ST_YMin(z.geom), ST_XMax(z.geom), ST_YMax(z.geom))
      )
    ) AS f
  FROM zones z
) AS f;
