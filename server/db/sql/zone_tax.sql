-- Each zone's enterprise tax for a year ($1), attributed by the land each enterprise uses: an enterprise's tax
-- is split over its parcels in proportion to the area it uses on each (owner's and leased land alike).
-- industrial_tax_wan counts the parts on built industrial and storage land as of $2.
WITH used AS (
  SELECT u.parcel_id, u.enterprise_id, u.area_m2 / sum(u.area_m2) OVER (PARTITION BY u.enterprise_id) AS share
  FROM parcel_uses u
)
SELECT p.zone_id,
  coalesce(sum(f.tax_wan * used.share), 0) AS all_tax_wan,
  coalesce(sum(f.tax_wan * used.share) FILTER (WHERE p.completed_date <= $2::date
    AND (p.land_use_code LIKE '1001%' OR p.land_use_code LIKE '1101%')), 0) AS industrial_tax_wan
FROM used
JOIN parcels p ON p.id = used.parcel_id
JOIN enterprise_figures f ON f.enterprise_id = used.enterprise_id AND f.year = $1
GROUP BY p.zone_id;
