-- The land figures of every zone in one pass over the parcels, as of a date ($1), per first-level land-use
-- class and whether the land is industrial (工业 1001 / 仓储 1101) or cannot be built on ($2: code prefixes
-- matched with LIKE). The dashboard adds the groups up per zone and in total. A step counts when its date is
-- on or before the as-of date; $3: zone ids or null.
SELECT p.zone_id, left(p.land_use_code, 2) AS land_use,
  (p.land_use_code LIKE '1001%' OR p.land_use_code LIKE '1101%') AS industrial,
  (p.land_use_code LIKE ANY($2::text[])) AS unbuildable,
  count(*) AS parcel_count,
  sum(p.area_m2) AS area_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE coalesce(p.available_date, p.supplied_date) <= $1::date), 0) AS ready_area_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE p.supplied_date <= $1::date), 0) AS supplied_area_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE p.completed_date <= $1::date), 0) AS built_area_m2,
  coalesce(sum(p.developed_area_m2) FILTER (WHERE p.completed_date <= $1::date), 0) AS built_floor_area_m2,
  coalesce(sum(p.invested_wan) FILTER (WHERE p.completed_date <= $1::date), 0) AS built_investment_wan,
  coalesce(sum(p.area_m2) FILTER (WHERE NOT coalesce(coalesce(p.available_date, p.supplied_date) <= $1::date, false)
    AND NOT coalesce(p.supplied_date <= $1::date, false)), 0) AS step_reserve_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE coalesce(p.available_date, p.supplied_date) <= $1::date
    AND NOT coalesce(p.supplied_date <= $1::date, false)), 0) AS step_available_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE p.supplied_date <= $1::date AND NOT coalesce(p.started_date <= $1::date, false)), 0) AS step_supplied_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE p.started_date <= $1::date AND NOT coalesce(p.completed_date <= $1::date, false)), 0) AS step_started_m2
FROM parcels p
WHERE ($3::int[] IS NULL OR p.zone_id = ANY($3::int[]))
GROUP BY 1, 2, 3, 4;
