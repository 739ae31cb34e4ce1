-- A zone's parcels by lifecycle status.
SELECT status, count(*) AS parcel_count, sum(area_m2) AS area_m2
FROM parcels
WHERE zone_id = $1
GROUP BY 1;
