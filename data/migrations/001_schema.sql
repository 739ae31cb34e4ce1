-- The core schema: zones, parcels, enterprises, projects, zone indicators, standard factory buildings.
-- Geometry is stored in EPSG:4326; areas are ellipsoidal (geography) and kept as generated columns so
-- statistics never recompute them. Invalid geometry is refused by CHECK constraints: an importer that
-- repairs geometry must say so in geometry_note.

CREATE TABLE zones (
  id serial PRIMARY KEY,
  code text NOT NULL UNIQUE,
  name text NOT NULL,
  name_en text,
  level text NOT NULL CHECK (level IN ('national', 'provincial')),
  city text NOT NULL,
  county text,
  leading_industry text,
  approved_area_ha double precision CHECK (approved_area_ha IS NULL OR approved_area_ha > 0),
  contact_phone text,
  geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  area_m2 double precision GENERATED ALWAYS AS (ST_Area(geography(geom))) STORED,
  geometry_note text,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX zones_geom_idx ON zones USING gist (geom);

CREATE TABLE parcels (
  id serial PRIMARY KEY,
  zone_id integer NOT NULL REFERENCES zones (id),
  code text NOT NULL,
  land_use_code text NOT NULL,
  status text NOT NULL CHECK (status IN ('reserve', 'available', 'supplied', 'started', 'completed', 'producing', 'at_capacity')),
  is_standard_land boolean NOT NULL DEFAULT false,
  reserve_date date,
  available_date date,
  supplied_date date,
  started_date date,
  completed_date date,
  producing_date date,
  at_capacity_date date,
  agreed_start_date date,
  agreed_completion_date date,
  -- Progress figures for the idle-land rule (闲置土地处置办法): area to develop, developed so far,
  -- total investment agreed (land price and taxes excluded) and invested so far, and since when work stopped.
  planned_building_area_m2 double precision CHECK (planned_building_area_m2 IS NULL OR planned_building_area_m2 >= 0),
  developed_area_m2 double precision CHECK (developed_area_m2 IS NULL OR developed_area_m2 >= 0),
  agreed_investment_wan double precision CHECK (agreed_investment_wan IS NULL OR agreed_investment_wan >= 0),
  invested_wan double precision CHECK (invested_wan IS NULL OR invested_wan >= 0),
  work_stopped_since date,
  registered_area_m2 double precision CHECK (registered_area_m2 IS NULL OR registered_area_m2 > 0),
  -- 标准地 control indicators, fixed before the parcel is offered.
  min_investment_intensity_wan_per_mu double precision,
  min_floor_area_ratio double precision,
  max_floor_area_ratio double precision,
  min_tax_per_mu_wan double precision,
  max_energy_tce_per_wan double precision,
  environment_standard text,
  min_building_coverage_pct double precision,
  max_admin_facility_pct double precision,
  max_green_pct double precision,
  infrastructure jsonb NOT NULL DEFAULT '{}'::jsonb,
  land_price_wan double precision CHECK (land_price_wan IS NULL OR land_price_wan >= 0),
  land_price_internal boolean NOT NULL DEFAULT true,
  internal_note text,
  geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  area_m2 double precision GENERATED ALWAYS AS (ST_Area(geography(geom))) STORED,
  geometry_note text,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (zone_id, code),
  CHECK (min_floor_area_ratio IS NULL OR max_floor_area_ratio IS NULL OR min_floor_area_ratio <= max_floor_area_ratio)
);
CREATE INDEX parcels_geom_idx ON parcels USING gist (geom);
CREATE INDEX parcels_zone_idx ON parcels (zone_id);
CREATE INDEX parcels_code_idx ON parcels (code);

CREATE TABLE enterprises (
  id serial PRIMARY KEY,
  credit_code char(18) NOT NULL UNIQUE,
  name text NOT NULL,
  industry text,
  above_scale boolean NOT NULL DEFAULT false,
  founded_date date,
  version integer NOT NULL DEFAULT 1
);

CREATE TABLE enterprise_figures (
  enterprise_id integer NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
  year integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
  output_wan double precision,
  value_added_wan double precision,
  tax_wan double precision,
  energy_tce double precision,
  emissions_t double precision,
  rd_wan double precision,
  revenue_wan double precision,
  employees integer,
  PRIMARY KEY (enterprise_id, year)
);

CREATE TABLE parcel_uses (
  parcel_id integer NOT NULL REFERENCES parcels (id) ON DELETE CASCADE,
  enterprise_id integer NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('owner', 'tenant')),
  area_m2 double precision NOT NULL CHECK (area_m2 > 0),
  PRIMARY KEY (parcel_id, enterprise_id)
);
CREATE INDEX parcel_uses_enterprise_idx ON parcel_uses (enterprise_id);

CREATE TABLE projects (
  id serial PRIMARY KEY,
  zone_id integer NOT NULL REFERENCES zones (id),
  parcel_id integer REFERENCES parcels (id),
  enterprise_id integer REFERENCES enterprises (id),
  name text NOT NULL,
  industry_chain text,
  is_industrial boolean NOT NULL DEFAULT true,
  stage text NOT NULL,
  total_investment_wan double precision CHECK (total_investment_wan IS NULL OR total_investment_wan >= 0),
  completed_investment_wan double precision CHECK (completed_investment_wan IS NULL OR completed_investment_wan >= 0),
  expected_annual_output_wan double precision,
  land_area_mu double precision,
  planned_date date,
  signed_date date,
  landed_date date,
  started_date date,
  producing_date date,
  at_capacity_date date,
  description text,
  geom geometry(Point, 4326) NOT NULL,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX projects_geom_idx ON projects USING gist (geom);
CREATE INDEX projects_zone_idx ON projects (zone_id);

-- 三个一批: numbered rounds, each listing projects in one of three batches.
CREATE TABLE project_rounds (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE,
  held_on date NOT NULL
);
CREATE TABLE project_round_entries (
  round_id integer NOT NULL REFERENCES project_rounds (id) ON DELETE CASCADE,
  project_id integer NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  batch text NOT NULL CHECK (batch IN ('signed', 'started', 'producing')),
  PRIMARY KEY (round_id, project_id)
);

-- Zone monthly indicators: the month's own figures (not year-to-date), in 万元.
CREATE TABLE zone_monthly_indicators (
  zone_id integer NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  industrial_value_added_wan double precision,
  industrial_investment_wan double precision,
  PRIMARY KEY (zone_id, month)
);
CREATE TABLE zone_yearly_targets (
  zone_id integer NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
  year integer NOT NULL,
  value_added_growth_target_pct double precision,
  investment_growth_target_pct double precision,
  PRIMARY KEY (zone_id, year)
);

-- 标准化厂房 standard factory buildings.
CREATE TABLE factory_buildings (
  id serial PRIMARY KEY,
  zone_id integer NOT NULL REFERENCES zones (id),
  parcel_id integer REFERENCES parcels (id),
  name text NOT NULL,
  floors integer CHECK (floors IS NULL OR floors > 0),
  floor_area_m2 double precision NOT NULL CHECK (floor_area_m2 > 0),
  leased_area_m2 double precision NOT NULL DEFAULT 0 CHECK (leased_area_m2 >= 0),
  geom geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  footprint_m2 double precision GENERATED ALWAYS AS (ST_Area(geography(geom))) STORED,
  version integer NOT NULL DEFAULT 1,
  CHECK (leased_area_m2 <= floor_area_m2)
);
CREATE INDEX factory_buildings_geom_idx ON factory_buildings USING gist (geom);
