-- 亩均论英雄: the checks an enterprise failed (safety, environment, energy) and settings such as the scheme.
ALTER TABLE enterprises ADD COLUMN failed_checks text[] NOT NULL DEFAULT '{}';

CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  updated_by integer REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
