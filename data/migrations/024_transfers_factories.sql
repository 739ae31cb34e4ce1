-- 标准地 transfer (出让) records with their agreed indicators frozen at signing, the checks at acceptance
-- (竣工验收 / 达产复核) with the consequence and its follow-up, yearly supply targets per zone or city, leases
-- of standard factory buildings (factory_buildings.leased_area_m2 is kept as the sum of the active leases),
-- and 入统: the year a firm became 规上, and projects registered in the investment statistics (入库).
-- Prices and revenues are internal: no public route reads these tables.

CREATE TABLE land_transfers (
  id serial PRIMARY KEY,
  -- One transfer per parcel: a parcel transferred again is a new parcel record.
  parcel_id integer NOT NULL UNIQUE REFERENCES parcels (id),
  zone_id integer NOT NULL REFERENCES zones (id),
  transferred_on date NOT NULL CHECK (transferred_on BETWEEN DATE '1990-01-01' AND DATE '2100-12-31'),
  contract_no text NOT NULL CHECK (length(btrim(contract_no)) BETWEEN 1 AND 60),
  enterprise_id integer REFERENCES enterprises (id) ON DELETE SET NULL,
  enterprise_name text NOT NULL CHECK (length(btrim(enterprise_name)) BETWEEN 1 AND 120),
  price_wan double precision CHECK (price_wan IS NULL OR (price_wan >= 0 AND price_wan < 1e9)),
  area_mu double precision NOT NULL CHECK (area_mu > 0 AND area_mu < 1e6),
  -- The parcel's 标准地 indicators as they were at signing (domain/parcelFields.ts StandardLandIndicators).
  agreed jsonb NOT NULL,
  note text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX land_transfers_zone_idx ON land_transfers (zone_id, transferred_on);

CREATE TABLE transfer_acceptances (
  id serial PRIMARY KEY,
  transfer_id integer NOT NULL REFERENCES land_transfers (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('completion', 'capacity')),
  accepted_on date NOT NULL CHECK (accepted_on BETWEEN DATE '1990-01-01' AND DATE '2100-12-31'),
  -- domain/standardLand.ts ActualFigures, and the judgement computed from them by the server.
  actual jsonb NOT NULL,
  results jsonb NOT NULL,
  overall_met boolean,
  consequence text,
  penalty_wan double precision CHECK (penalty_wan IS NULL OR (penalty_wan >= 0 AND penalty_wan < 1e9)),
  correction_deadline date,
  follow_up_status text NOT NULL DEFAULT 'open' CHECK (follow_up_status IN ('open', 'corrected', 'penalised', 'closed')),
  follow_up_note text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX transfer_acceptances_transfer_idx ON transfer_acceptances (transfer_id, accepted_on);

-- Yearly targets: 标准地 in reserve and supplied (亩), new standard factory floor area (m²), factory use rate (%).
-- A target belongs to one zone or to one city (the city's own figure, not a sum of its zones).
CREATE TABLE supply_targets (
  id serial PRIMARY KEY,
  year integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
  zone_id integer REFERENCES zones (id) ON DELETE CASCADE,
  city text,
  reserve_target_mu double precision CHECK (reserve_target_mu IS NULL OR (reserve_target_mu >= 0 AND reserve_target_mu < 1e7)),
  supply_target_mu double precision CHECK (supply_target_mu IS NULL OR (supply_target_mu >= 0 AND supply_target_mu < 1e7)),
  new_factory_target_m2 double precision CHECK (new_factory_target_m2 IS NULL OR (new_factory_target_m2 >= 0 AND new_factory_target_m2 < 1e9)),
  factory_use_target_pct double precision CHECK (factory_use_target_pct IS NULL OR factory_use_target_pct BETWEEN 0 AND 100),
  version integer NOT NULL DEFAULT 1,
  CHECK ((zone_id IS NULL) <> (city IS NULL))
);
CREATE UNIQUE INDEX supply_targets_zone_year ON supply_targets (zone_id, year) WHERE zone_id IS NOT NULL;
CREATE UNIQUE INDEX supply_targets_city_year ON supply_targets (city, year) WHERE city IS NOT NULL;

CREATE TABLE factory_leases (
  id serial PRIMARY KEY,
  building_id integer NOT NULL REFERENCES factory_buildings (id) ON DELETE CASCADE,
  enterprise_id integer REFERENCES enterprises (id) ON DELETE SET NULL,
  tenant_name text NOT NULL CHECK (length(btrim(tenant_name)) BETWEEN 1 AND 120),
  leased_area_m2 double precision NOT NULL CHECK (leased_area_m2 > 0 AND leased_area_m2 < 1e8),
  start_date date NOT NULL CHECK (start_date BETWEEN DATE '1990-01-01' AND DATE '2100-12-31'),
  end_date date CHECK (end_date IS NULL OR end_date >= start_date),
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX factory_leases_building_idx ON factory_leases (building_id, start_date);

-- New buildings per year.
ALTER TABLE factory_buildings ADD COLUMN completed_year integer CHECK (completed_year IS NULL OR completed_year BETWEEN 1990 AND 2100);

-- 入统: enterprises.above_scale already says 规上; the year it was registered is added. Revenue is
-- enterprise_figures.revenue_wan (主营业务收入, 万元).
ALTER TABLE enterprises ADD COLUMN above_scale_since integer CHECK (above_scale_since IS NULL OR above_scale_since BETWEEN 1990 AND 2100);
ALTER TABLE projects ADD COLUMN stats_registered boolean NOT NULL DEFAULT false;
ALTER TABLE projects ADD COLUMN stats_registered_on date;
