-- The database's and PostGIS's versions, and how many zones and parcels it holds.
SELECT current_setting('server_version') AS postgres_version, postgis_lib_version() AS postgis_version,
  (SELECT count(*) FROM zones) AS zones, (SELECT count(*) FROM parcels) AS parcels;
