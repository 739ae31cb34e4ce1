-- Several app processes on one database: what they must agree on lives here, not in one process's memory.

-- The public API's rate limit: one counter per client key (e.g. "public:203.0.113.5"), each with its own
-- window, as express-rate-limit's memory store counts, but shared by every process.
CREATE TABLE rate_limit_counters (
  key text PRIMARY KEY,
  hits integer NOT NULL,
  reset_at timestamptz NOT NULL
);
CREATE INDEX rate_limit_counters_reset_idx ON rate_limit_counters (reset_at);

-- Sign-in throttling counts failures per (address, username) pair and per address.
CREATE INDEX login_attempts_pair_idx ON login_attempts (ip, username, at);

-- The version of each tile layer: bumped by a trigger in the same transaction as any write to the table the
-- layer is drawn from, so the new version is visible exactly when the new data is. Tiles' ETags carry it.
CREATE TABLE tile_versions (
  layer text PRIMARY KEY,
  version bigint NOT NULL DEFAULT 1,
  changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO tile_versions (layer) VALUES ('parcels'), ('zones');

CREATE FUNCTION bump_tile_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE tile_versions SET version = version + 1, changed_at = now() WHERE layer = TG_ARGV[0];
  RETURN NULL;
END $$;

-- Once per statement, not per row: an import of ten thousand parcels bumps the version once.
CREATE TRIGGER parcels_tile_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON parcels
  FOR EACH STATEMENT EXECUTE FUNCTION bump_tile_version('parcels');
CREATE TRIGGER zones_tile_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON zones
  FOR EACH STATEMENT EXECUTE FUNCTION bump_tile_version('zones');
