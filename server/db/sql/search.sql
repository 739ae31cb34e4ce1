-- Zones by name or code, parcels by code, projects by name: $1 is a LIKE pattern (escaped by the caller),
-- $2 the number of rows per kind, $3 the text, $4 LIKE patterns of the text's zone aliases (大同经开区 →
-- 大同经济技术开发区, domain/zoneNames.ts). Exact and prefix matches come first.
(SELECT 'zone' AS type, z.id, z.name AS label, z.city AS detail,
   json_build_array(ST_XMin(z.geom), ST_YMin(z.geom), ST_XMax(z.geom), ST_YMax(z.geom)) AS bbox,
   CASE WHEN z.name = $3 OR z.code = $3 THEN 0 WHEN z.name LIKE $3 || '%' THEN 1 ELSE 2 END AS rank
 FROM zones z
 WHERE z.name ILIKE $1 ESCAPE '\' OR z.code ILIKE $1 ESCAPE '\' OR z.name_en ILIKE $1 ESCAPE '\'
   OR EXISTS (SELECT 1 FROM unnest($4::text[]) AS a(pattern) WHERE z.name ILIKE a.pattern ESCAPE '\')
 ORDER BY rank, z.name LIMIT $2)
UNION ALL
(SELECT 'parcel', p.id, p.code, z.name,
   json_build_array(ST_XMin(p.geom), ST_YMin(p.geom), ST_XMax(p.geom), ST_YMax(p.geom)),
   CASE WHEN p.code = $3 THEN 0 WHEN p.code ILIKE $3 || '%' THEN 1 ELSE 2 END
 FROM parcels p JOIN zones z ON z.id = p.zone_id
 WHERE p.code ILIKE $1 ESCAPE '\'
 ORDER BY 6, p.code LIMIT $2)
UNION ALL
(SELECT 'project', pr.id, pr.name, z.name,
   json_build_array(ST_X(pr.geom), ST_Y(pr.geom), ST_X(pr.geom), ST_Y(pr.geom)),
   CASE WHEN pr.name = $3 THEN 0 WHEN pr.name LIKE $3 || '%' THEN 1 ELSE 2 END
 FROM projects pr JOIN zones z ON z.id = pr.zone_id
 WHERE pr.name ILIKE $1 ESCAPE '\'
 ORDER BY 6, pr.name LIMIT $2);
