-- The enterprises using a parcel: owner first, then tenants, with the area each uses.
SELECT e.id, e.name, e.credit_code, e.industry, e.above_scale, u.role, u.area_m2
FROM parcel_uses u
JOIN enterprises e ON e.id = u.enterprise_id
WHERE u.parcel_id = $1
ORDER BY u.role = 'owner' DESC, u.area_m2 DESC;
