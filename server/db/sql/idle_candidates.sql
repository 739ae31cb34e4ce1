-- Idle land in one pass over the parcels, per zone: the supplied area (the idle ratio's denominator),
-- 批而未供 (offered, not supplied) and 供而未用 (supplied by the date, not started by then), and as JSON the
-- parcels the rule could catch within the horizon: not started by the date with an agreed start date on or
-- before $4 (or none), started and stopped on or before $4, and parcels supplied now but not yet on the date.
-- $4 comes from latestClockStartWithin(): a pre-selection only; domain/idleLand.ts judges each parcel.
-- An extension of the agreed start date (Art. 8) signed by the date replaces it: the latest one (x) is
-- passed on with the number signed by then, and the pre-selection uses the extended date.
-- $1 as-of date, $2 zone ids or null, $3 the statuses of supplied land.
SELECT z.name AS zone_name, s.*
FROM (
  SELECT p.zone_id,
    coalesce(sum(p.area_m2) FILTER (WHERE p.supplied_date <= $1::date AND p.status = ANY($3::text[])), 0) AS supplied_area_m2,
    coalesce(sum(p.area_m2) FILTER (WHERE p.status = 'available'), 0) AS approved_unsupplied_area_m2,
    coalesce(sum(p.area_m2) FILTER (WHERE p.supplied_date <= $1::date AND p.status = ANY($3::text[])
      AND (p.started_date IS NULL OR p.started_date > $1::date)), 0) AS supplied_unused_area_m2,
    -- Text, parsed once in JavaScript: far cheaper than thousands of rows through the driver.
    coalesce(json_agg(json_build_array(p.id, p.code, p.status, p.area_m2, p.supplied_date, p.agreed_start_date, p.started_date,
      p.planned_building_area_m2, p.developed_area_m2, p.agreed_investment_wan, p.invested_wan, p.work_stopped_since, p.land_price_wan,
      (ST_XMin(p.geom) + ST_XMax(p.geom)) / 2, (ST_YMin(p.geom) + ST_YMax(p.geom)) / 2, x.start_date, x.signed_on, x.n))
      FILTER (WHERE p.status = ANY($3::text[]) AND (
        p.supplied_date IS NULL OR p.supplied_date > $1::date
        OR ((p.started_date IS NULL OR p.started_date > $1::date) AND (p.agreed_start_date IS NULL OR coalesce(x.start_date, p.agreed_start_date) <= $4::date))
        OR p.work_stopped_since <= $4::date)), '[]')::text AS candidates
  FROM parcels p
  LEFT JOIN (
    SELECT DISTINCT ON (parcel_id) parcel_id, start_date, signed_on, count(*) OVER (PARTITION BY parcel_id) AS n
    FROM parcel_start_extensions WHERE signed_on <= $1::date ORDER BY parcel_id, signed_on DESC, start_date DESC
  ) x ON x.parcel_id = p.id
  WHERE ($2::int[] IS NULL OR p.zone_id = ANY($2::int[]))
  GROUP BY p.zone_id
) s JOIN zones z ON z.id = s.zone_id
ORDER BY s.zone_id;
