-- 问题清单 / 要素保障: problems raised on a project (land, energy, water, power, funding, environmental
-- capacity, procedures), assigned to a department and a person, answered and closed or escalated from the
-- county to the city and the province. Internal: no public route reads this table. The procedures feature
-- (service items, 包联, to-do lists) owns this table; the 观摩 itinerary reads the open problems of its stops.
CREATE TABLE project_problems (
  id serial PRIMARY KEY,
  project_id integer NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('land', 'energy', 'water', 'power', 'funding', 'environment', 'procedure', 'other')),
  title text NOT NULL CHECK (length(btrim(title)) BETWEEN 1 AND 200),
  detail text,
  department text,
  assignee_user_id integer REFERENCES users (id) ON DELETE SET NULL,
  assignee_name text,
  raised_by integer REFERENCES users (id) ON DELETE SET NULL,
  raised_on date NOT NULL CHECK (raised_on BETWEEN DATE '1990-01-01' AND DATE '2100-12-31'),
  due_on date CHECK (due_on BETWEEN DATE '1990-01-01' AND DATE '2100-12-31'),
  -- Where it is being solved: escalated county → city → province when the level below cannot.
  level text NOT NULL DEFAULT 'county' CHECK (level IN ('zone', 'county', 'city', 'province')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered', 'closed')),
  answer text,
  answered_on date,
  closed_on date,
  -- Who raised it, as shown (the account's name at the time, or a contact's name).
  raised_by_name text,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_problems_project_idx ON project_problems (project_id);
CREATE INDEX project_problems_open_idx ON project_problems (status, due_on);

-- A problem's history: raised, answered, escalated (from a level to the next), closed, reopened; the list shows it.
CREATE TABLE project_problem_events (
  id serial PRIMARY KEY,
  problem_id integer NOT NULL REFERENCES project_problems (id) ON DELETE CASCADE,
  action text NOT NULL CHECK (action IN ('raise', 'answer', 'escalate', 'close', 'reopen', 'update')),
  from_level text,
  to_level text,
  note text,
  by_user_id integer REFERENCES users (id) ON DELETE SET NULL,
  by_name text NOT NULL,
  happened_on date NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX project_problem_events_problem_idx ON project_problem_events (problem_id, id);
