-- 观摩 / 看述评: the inspection tour. The key projects to visit in order (the route on the map, a printable
-- itinerary), the scoring criteria and their weights, the judges (accounts), and each judge's scores per
-- project and criterion; the results rank projects, zones and counties (domain/tour.ts). Internal: no public
-- route reads these tables.
CREATE TABLE tours (
  id serial PRIMARY KEY,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  held_on date NOT NULL CHECK (held_on BETWEEN DATE '1990-01-01' AND DATE '2100-12-31'),
  -- A city's tour visits projects of the city's zones; a zone's tour those of one zone.
  scope text NOT NULL CHECK (scope IN ('city', 'zone')),
  city text,
  zone_id integer REFERENCES zones (id),
  status text NOT NULL DEFAULT 'planning' CHECK (status IN ('planning', 'scoring', 'closed')),
  -- With at least this many judges on a project, its highest and lowest totals are dropped.
  min_judges_for_trim integer NOT NULL DEFAULT 5 CHECK (min_judges_for_trim BETWEEN 3 AND 50),
  note text CHECK (note IS NULL OR length(note) <= 2000),
  created_by integer REFERENCES users (id) ON DELETE SET NULL,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((scope = 'zone') = (zone_id IS NOT NULL)),
  CHECK ((scope = 'city') = (city IS NOT NULL))
);
CREATE INDEX tours_held_on_idx ON tours (held_on);

CREATE TABLE tour_stops (
  id serial PRIMARY KEY,
  tour_id integer NOT NULL REFERENCES tours (id) ON DELETE CASCADE,
  project_id integer NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  stop_order integer NOT NULL CHECK (stop_order BETWEEN 1 AND 200),
  planned_time time,
  -- Who reports at the stop (汇报人): a name and title, not necessarily an account.
  report_by text CHECK (report_by IS NULL OR length(report_by) <= 60),
  UNIQUE (tour_id, project_id),
  -- Checked at commit: reordering moves several stops in one transaction.
  UNIQUE (tour_id, stop_order) DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE tour_criteria (
  id serial PRIMARY KEY,
  tour_id integer NOT NULL REFERENCES tours (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 30),
  -- Points of 100: a tour's weights sum to 100 (checked by the service when the tour opens for scoring).
  weight double precision NOT NULL CHECK (weight > 0 AND weight <= 100),
  max_score double precision NOT NULL CHECK (max_score > 0 AND max_score <= 1000),
  sort_order integer NOT NULL DEFAULT 0,
  UNIQUE (tour_id, name)
);

-- A judge of a tour: an account that scores on a phone. The name is what the results sheet prints.
CREATE TABLE tour_judges (
  id serial PRIMARY KEY,
  tour_id integer NOT NULL REFERENCES tours (id) ON DELETE CASCADE,
  user_id integer REFERENCES users (id) ON DELETE SET NULL,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 60),
  sort_order integer NOT NULL DEFAULT 0,
  UNIQUE (tour_id, user_id)
);

CREATE TABLE tour_scores (
  tour_id integer NOT NULL REFERENCES tours (id) ON DELETE CASCADE,
  judge_id integer NOT NULL REFERENCES tour_judges (id) ON DELETE CASCADE,
  project_id integer NOT NULL,
  criterion_id integer NOT NULL REFERENCES tour_criteria (id) ON DELETE CASCADE,
  -- At most the criterion's maximum: checked by the service (the maximum is in another table).
  score double precision NOT NULL CHECK (score >= 0 AND score <= 1000),
  entered_by integer REFERENCES users (id) ON DELETE SET NULL,
  entered_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (judge_id, project_id, criterion_id),
  -- A score is for a stop of the tour; removing the stop removes its scores.
  FOREIGN KEY (tour_id, project_id) REFERENCES tour_stops (tour_id, project_id) ON DELETE CASCADE
);
CREATE INDEX tour_scores_tour_idx ON tour_scores (tour_id, project_id);
