-- One zone's record with its counts and bounding box.
SELECT z.id, z.code, z.name, z.name_en, z.level, z.city, z.county, z.leading_industry,
  z.approved_area_ha, z.area_m2, z.contact_phone, z.geometry_note, z.version, z.updated_at,
  ST_NumGeometries(z.geom) AS part_count,
  json_build_array(ST_XMin(z.geom), ST_YMin(z.geom), ST_XMax(z.geom), ST_YMax(z.geom)) AS bbox,
  (SELECT count(*) FROM parcels p WHERE p.zone_id = z.id) AS parcel_count,
  (SELECT coalesce(sum(p.area_m2), 0) FROM parcels p WHERE p.zone_id = z.id) AS parcel_area_m2,
  (SELECT count(*) FROM projects pr WHERE pr.zone_id = z.id) AS project_count,
  (SELECT coalesce(sum(pr.total_investment_wan), 0) FROM projects pr WHERE pr.zone_id = z.id) AS project_investment_wan,
  (SELECT count(*) FROM factory_buildings b WHERE b.zone_id = z.id) AS factory_building_count
FROM zones z
WHERE z.id = $1;
