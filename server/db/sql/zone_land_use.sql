-- A zone's parcel area by first-level land-use code.
SELECT left(land_use_code, 2) AS land_use, count(*) AS parcel_count, sum(area_m2) AS area_m2
FROM parcels
WHERE zone_id = $1
GROUP BY 1
ORDER BY 3 DESC;
