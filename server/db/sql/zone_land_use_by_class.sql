-- Parcel area per zone and first-level land-use class.
SELECT zone_id, left(land_use_code, 2) AS land_use, sum(area_m2) AS area_m2, count(*) AS parcel_count
FROM parcels WHERE ($1::int[] IS NULL OR zone_id = ANY($1::int[]))
GROUP BY zone_id, left(land_use_code, 2);
