-- One parcel's full record, internal fields included (internal users only), with its zone and geometry.
SELECT p.id, p.zone_id, z.name AS zone_name, z.code AS zone_code, p.code, p.land_use_code, p.status,
  p.is_standard_land, p.reserve_date, p.available_date, p.supplied_date, p.started_date, p.completed_date,
  p.producing_date, p.at_capacity_date, p.agreed_start_date, p.agreed_completion_date,
  p.planned_building_area_m2, p.developed_area_m2, p.agreed_investment_wan, p.invested_wan, p.work_stopped_since,
  p.area_m2, p.registered_area_m2,
  p.min_investment_intensity_wan_per_mu, p.min_floor_area_ratio, p.max_floor_area_ratio, p.min_tax_per_mu_wan,
  p.max_energy_tce_per_wan, p.environment_standard, p.min_building_coverage_pct, p.max_admin_facility_pct,
  p.max_green_pct, p.infrastructure, p.land_price_wan, p.land_price_internal, p.internal_note, p.geometry_note, p.version, p.updated_at,
  ST_AsGeoJSON(p.geom, 7)::json AS geometry,
  json_build_array(ST_XMin(p.geom), ST_YMin(p.geom), ST_XMax(p.geom), ST_YMax(p.geom)) AS bbox
FROM parcels p
JOIN zones z ON z.id = p.zone_id
WHERE p.id = $1;
