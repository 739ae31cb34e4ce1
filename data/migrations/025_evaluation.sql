-- 开发区考核: the evaluation scheme as data (versioned: each save is a new version, the latest is in force,
-- the older ones stay to read back), its indicators with weights per zone type and their scoring rule, the
-- class thresholds, yearly targets per zone and indicator, and manual values per zone and month. Internal:
-- no public route reads these tables. The app's own figures (value added, investment, 三个一批, idle land,
-- 亩均, 标准地, factories, leads) are computed from their tables, never copied here.

CREATE TABLE evaluation_schemes (
  id serial PRIMARY KEY,
  version integer NOT NULL UNIQUE CHECK (version >= 1),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 80),
  -- How the elapsed share of the year is counted for flows: months reported (10/12 in October) or days.
  basis text NOT NULL DEFAULT 'months' CHECK (basis IN ('months', 'days')),
  note text,
  created_by integer REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE evaluation_indicators (
  scheme_id integer NOT NULL REFERENCES evaluation_schemes (id) ON DELETE CASCADE,
  key text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{1,40}$'),
  sort_order integer NOT NULL,
  name_zh text NOT NULL,
  name_en text NOT NULL,
  unit text NOT NULL,
  source text NOT NULL CHECK (source IN ('app', 'manual')),
  kind text NOT NULL CHECK (kind IN ('flow', 'stock')),
  direction text NOT NULL CHECK (direction IN ('higher', 'lower')),
  weight_industrial double precision NOT NULL CHECK (weight_industrial BETWEEN 0 AND 100),
  weight_other double precision NOT NULL CHECK (weight_other BETWEEN 0 AND 100),
  rule_type text NOT NULL CHECK (rule_type IN ('ratio', 'rank', 'steps')),
  -- ratio: {"cap": 1.2}; rank: {"floor": 0.6}; steps: {"steps": [{"min": 1, "share": 1}, …]}.
  rule_params jsonb NOT NULL,
  PRIMARY KEY (scheme_id, key)
);

-- Class thresholds (minimum total points) of each scheme version; below 一般 is 预警.
CREATE TABLE evaluation_class_thresholds (
  scheme_id integer NOT NULL REFERENCES evaluation_schemes (id) ON DELETE CASCADE,
  class text NOT NULL CHECK (class IN ('first', 'good', 'fair')),
  min_score double precision NOT NULL,
  PRIMARY KEY (scheme_id, class)
);

-- Which weights a zone is scored with (工业类 or 其他); a zone without a row is industrial.
CREATE TABLE evaluation_zone_types (
  zone_id integer PRIMARY KEY REFERENCES zones (id) ON DELETE CASCADE,
  zone_type text NOT NULL CHECK (zone_type IN ('industrial', 'other'))
);

-- Yearly targets: a flow's total for the year, or a stock's value to reach.
CREATE TABLE evaluation_targets (
  zone_id integer NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
  year integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
  indicator_key text NOT NULL CHECK (indicator_key ~ '^[a-z][a-z0-9_]{1,40}$'),
  target double precision NOT NULL,
  version integer NOT NULL DEFAULT 1,
  updated_by integer REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (zone_id, year, indicator_key)
);

-- Manual indicators' values per zone and month (a flow: the month's own figure; a stock: its value then).
CREATE TABLE evaluation_manual_values (
  zone_id integer NOT NULL REFERENCES zones (id) ON DELETE CASCADE,
  month date NOT NULL CHECK (extract(day FROM month) = 1),
  indicator_key text NOT NULL CHECK (indicator_key ~ '^[a-z][a-z0-9_]{1,40}$'),
  value double precision NOT NULL,
  version integer NOT NULL DEFAULT 1,
  updated_by integer REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (zone_id, month, indicator_key)
);
