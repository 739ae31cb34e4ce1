-- Where each write to a tile layer's table landed, so that the embedded database's tile cache remakes only the
-- tiles it touched without reading the whole table again (server/tiles.ts, ChangeTracker). One row per
-- statement: the layer's new version and the bounding box of the rows it wrote (old and new positions);
-- a NULL box (TRUNCATE) means everywhere. The bump of tile_versions moves into the same functions, so the
-- version a change is logged under is the one the statement made.
CREATE TABLE tile_changes (
  layer text NOT NULL,
  version bigint NOT NULL,
  x0 double precision,
  y0 double precision,
  x1 double precision,
  y1 double precision,
  PRIMARY KEY (layer, version)
);

DROP TRIGGER parcels_tile_version ON parcels;
DROP TRIGGER zones_tile_version ON zones;

-- Bumps the layer's version and logs the statement's box. PostgreSQL allows transition tables only on a
-- trigger of one event, hence four triggers; an empty statement (no rows) bumps nothing.
CREATE FUNCTION log_tile_change(layer_name text, box box2d, all_rows boolean) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  v bigint;
BEGIN
  IF box IS NULL AND NOT all_rows THEN
    RETURN;
  END IF;
  UPDATE tile_versions SET version = version + 1, changed_at = now() WHERE layer = layer_name RETURNING version INTO v;
  INSERT INTO tile_changes (layer, version, x0, y0, x1, y1)
    VALUES (layer_name, v, ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box));
  -- The log needs only what a running process has not seen yet: older entries go (a process that finds a gap
  -- treats every tile as changed).
  DELETE FROM tile_changes WHERE layer = layer_name AND version < v - 5000;
END $$;

-- One function for the four triggers: PL/pgSQL plans a statement when it first runs it, so each trigger reads
-- only the transition tables it has.
CREATE FUNCTION tile_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM log_tile_change(TG_ARGV[0], (SELECT ST_Extent(geom) FROM new_rows), false);
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM log_tile_change(TG_ARGV[0], (SELECT ST_Extent(g) FROM (SELECT geom AS g FROM old_rows UNION ALL SELECT geom FROM new_rows) b), false);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM log_tile_change(TG_ARGV[0], (SELECT ST_Extent(geom) FROM old_rows), false);
  ELSE
    PERFORM log_tile_change(TG_ARGV[0], NULL, true);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER parcels_tile_insert AFTER INSERT ON parcels REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tile_change('parcels');
CREATE TRIGGER parcels_tile_update AFTER UPDATE ON parcels REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tile_change('parcels');
CREATE TRIGGER parcels_tile_delete AFTER DELETE ON parcels REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tile_change('parcels');
CREATE TRIGGER parcels_tile_truncate AFTER TRUNCATE ON parcels
  FOR EACH STATEMENT EXECUTE FUNCTION tile_change('parcels');
CREATE TRIGGER zones_tile_insert AFTER INSERT ON zones REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tile_change('zones');
CREATE TRIGGER zones_tile_update AFTER UPDATE ON zones REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tile_change('zones');
CREATE TRIGGER zones_tile_delete AFTER DELETE ON zones REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION tile_change('zones');
CREATE TRIGGER zones_tile_truncate AFTER TRUNCATE ON zones
  FOR EACH STATEMENT EXECUTE FUNCTION tile_change('zones');
