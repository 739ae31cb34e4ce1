-- The investor catalogue: promoters' shortlists, shared by an unguessable link that can be withdrawn.
CREATE TABLE shortlists (
  id serial PRIMARY KEY,
  token text NOT NULL UNIQUE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
  note text CHECK (note IS NULL OR length(note) <= 2000),
  parcel_ids integer[] NOT NULL CHECK (cardinality(parcel_ids) BETWEEN 1 AND 50),
  created_by integer REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  withdrawn_at timestamptz,
  withdrawn_by integer REFERENCES users (id)
);
