-- One project's record with its zone, parcel and enterprise.
SELECT pr.id, pr.name, pr.stage, pr.industry_chain, pr.is_industrial, pr.total_investment_wan,
  pr.completed_investment_wan, pr.expected_annual_output_wan, pr.land_area_mu, pr.planned_date, pr.signed_date,
  pr.landed_date, pr.started_date, pr.producing_date, pr.at_capacity_date, pr.description,
  pr.plan_landed_date, pr.plan_started_date, pr.plan_producing_date, pr.plan_at_capacity_date,
  pr.actual_annual_output_wan, pr.agreed_annual_tax_wan, pr.actual_annual_tax_wan, pr.extra_stage_dates, pr.version, pr.updated_at,
  pr.zone_id, z.name AS zone_name, pr.parcel_id, p.code AS parcel_code, pr.enterprise_id, e.name AS enterprise_name,
  ST_X(pr.geom) AS lon, ST_Y(pr.geom) AS lat
FROM projects pr
JOIN zones z ON z.id = pr.zone_id
LEFT JOIN parcels p ON p.id = pr.parcel_id
LEFT JOIN enterprises e ON e.id = pr.enterprise_id
WHERE pr.id = $1;
