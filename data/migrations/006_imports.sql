-- Imports of land files: a staged import keeps the file's features (in its own coordinates) until it is
-- committed or cancelled; a committed import lists every parcel it created or changed, with the record as
-- it was before, so that the whole import can be undone. Saved field mappings are found again by the
-- file's column names.

CREATE TABLE imports (
  id serial PRIMARY KEY,
  user_id integer REFERENCES users (id),
  username text NOT NULL,
  file_name text NOT NULL,
  format text NOT NULL,
  status text NOT NULL CHECK (status IN ('staged', 'committed', 'cancelled', 'undone')),
  -- The features as read (staged only; cleared when committed or cancelled).
  dataset jsonb,
  -- The CRS, mapping and zone chosen, and the counts written.
  settings jsonb,
  counts jsonb,
  zone_ids integer[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  committed_at timestamptz,
  undone_at timestamptz,
  undone_by text
);
CREATE INDEX imports_status_idx ON imports (status, id);

CREATE TABLE import_items (
  id serial PRIMARY KEY,
  import_id integer NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  entity text NOT NULL CHECK (entity IN ('parcel', 'enterprise', 'enterprise_figures')),
  -- The parcel or enterprise id (for yearly figures: the enterprise's, with the year).
  record_id integer NOT NULL,
  year integer,
  action text NOT NULL CHECK (action IN ('create', 'update')),
  -- The record before the import (updates), as the audit snapshot has it.
  before jsonb,
  -- The version the import left (parcels, enterprises); undo refuses records changed since.
  version_after integer
);
CREATE INDEX import_items_import_idx ON import_items (import_id);
CREATE INDEX import_items_record_idx ON import_items (entity, record_id);

CREATE TABLE import_mappings (
  signature text PRIMARY KEY,
  mapping jsonb NOT NULL,
  username text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
