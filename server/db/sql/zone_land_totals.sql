-- Each zone's land totals as of a date ($1), for the intensive-use indicators. $2: first-level codes that cannot
-- be built on (matched as prefixes). A step counts when its date is on or before the as-of date.
WITH p AS (
  SELECT p.*, (p.land_use_code LIKE ANY($2::text[])) AS unbuildable,
    (p.land_use_code LIKE '1001%' OR p.land_use_code LIKE '1101%') AS industrial,
    coalesce(p.available_date, p.supplied_date) <= $1::date AS ready,
    p.supplied_date <= $1::date AS supplied,
    p.started_date <= $1::date AS started,
    p.completed_date <= $1::date AS built
  FROM parcels p
)
SELECT z.id AS zone_id, z.name AS zone_name, z.area_m2 AS total_area_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE p.unbuildable), 0) AS unbuildable_area_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE p.ready AND NOT p.unbuildable), 0) AS ready_area_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE p.supplied), 0) AS supplied_area_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE p.built), 0) AS built_area_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE p.built AND p.industrial), 0) AS industrial_area_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE p.built AND p.land_use_code LIKE '07%'), 0) AS residential_area_m2,
  coalesce(sum(p.developed_area_m2) FILTER (WHERE p.built), 0) AS floor_area_m2,
  coalesce(sum(p.developed_area_m2) FILTER (WHERE p.built AND p.industrial), 0) AS industrial_floor_area_m2,
  coalesce(sum(p.invested_wan) FILTER (WHERE p.built AND p.industrial), 0) AS industrial_investment_wan,
  coalesce(sum(p.area_m2) FILTER (WHERE NOT coalesce(p.ready, false) AND NOT coalesce(p.supplied, false)), 0) AS step_reserve_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE p.ready AND NOT coalesce(p.supplied, false)), 0) AS step_available_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE p.supplied AND NOT coalesce(p.started, false)), 0) AS step_supplied_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE p.started AND NOT coalesce(p.built, false)), 0) AS step_started_m2,
  coalesce(sum(p.area_m2) FILTER (WHERE p.built), 0) AS step_built_m2
FROM zones z LEFT JOIN p ON p.zone_id = z.id
WHERE ($3::int[] IS NULL OR z.id = ANY($3::int[]))
GROUP BY z.id
ORDER BY z.id;
