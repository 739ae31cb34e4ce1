-- Extensions of a parcel's agreed start date (《闲置土地处置办法》 Art. 8, Art. 12(一)): each supplementary
-- agreement is kept with its new date, the date it replaced, the day it was signed, the Art. 8 cause, the
-- document's number, and who recorded it when. The idle rule counts from the latest one signed by the date
-- it judges; the API checks the rest (domain/startExtensions.ts), the database refuses what is never valid.
CREATE TABLE parcel_start_extensions (
  id serial PRIMARY KEY,
  parcel_id integer NOT NULL REFERENCES parcels (id) ON DELETE CASCADE,
  previous_start_date date NOT NULL,
  start_date date NOT NULL,
  signed_on date NOT NULL,
  reason text NOT NULL CHECK (reason IN ('land_not_delivered', 'planning_change', 'policy_change', 'petitions', 'military_heritage', 'other_government', 'force_majeure')),
  document_no text NOT NULL CHECK (length(btrim(document_no)) BETWEEN 1 AND 60),
  note text CHECK (note IS NULL OR length(note) <= 500),
  recorded_by integer REFERENCES users (id),
  recorded_by_name text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT parcel_start_extensions_later CHECK (start_date > previous_start_date),
  CONSTRAINT parcel_start_extensions_dates CHECK (start_date BETWEEN DATE '1990-01-01' AND DATE '2100-12-31' AND signed_on BETWEEN DATE '1990-01-01' AND DATE '2100-12-31')
);
CREATE INDEX parcel_start_extensions_parcel_idx ON parcel_start_extensions (parcel_id, signed_on);
