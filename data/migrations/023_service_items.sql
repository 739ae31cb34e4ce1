-- 前期手续 under 承诺制 and 全代办: the catalogue of service items (事项) with their legal time limits, each
-- project's items with their state, dates and agent, and the people who answer for a project (包联领导, 项目长,
-- 代办员, 专班). Internal: no public route reads these tables. The agent role (代办员) updates the items of the
-- projects they are assigned to.

ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'planner', 'promoter', 'land_bureau', 'viewer', 'agent'));

CREATE TABLE service_items (
  id serial PRIMARY KEY,
  name text NOT NULL UNIQUE CHECK (length(btrim(name)) BETWEEN 1 AND 80),
  department text NOT NULL CHECK (length(btrim(department)) BETWEEN 1 AND 80),
  -- 法定办理时限, in working days (weekends and official holidays excluded, see domain/workingDays.ts).
  limit_working_days integer NOT NULL CHECK (limit_working_days BETWEEN 1 AND 365),
  -- May go under 告知承诺制 (the enterprise commits; approval first, checks later).
  may_commit boolean NOT NULL DEFAULT false,
  -- Required before construction may start (具备开工条件).
  required_before_start boolean NOT NULL DEFAULT true,
  sort_order integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE project_service_items (
  id serial PRIMARY KEY,
  project_id integer NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  item_id integer NOT NULL REFERENCES service_items (id),
  state text NOT NULL DEFAULT 'not_started' CHECK (state IN ('not_started', 'accepted', 'in_progress', 'done', 'not_applicable')),
  accepted_on date CHECK (accepted_on BETWEEN DATE '1990-01-01' AND DATE '2100-12-31'),
  started_on date CHECK (started_on BETWEEN DATE '1990-01-01' AND DATE '2100-12-31'),
  done_on date CHECK (done_on BETWEEN DATE '1990-01-01' AND DATE '2100-12-31'),
  -- The agent (代办员) handling it: an account, or a name from the contact list.
  agent_user_id integer REFERENCES users (id) ON DELETE SET NULL,
  agent_name text,
  -- Handled under 承诺制.
  committed boolean NOT NULL DEFAULT false,
  document_no text,
  note text,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, item_id),
  CHECK (started_on IS NULL OR accepted_on IS NULL OR started_on >= accepted_on),
  CHECK (done_on IS NULL OR accepted_on IS NULL OR done_on >= accepted_on)
);
CREATE INDEX project_service_items_agent_idx ON project_service_items (agent_user_id);

CREATE TABLE project_people (
  id serial PRIMARY KEY,
  project_id integer NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('leader', 'head', 'agent', 'team')),
  user_id integer REFERENCES users (id) ON DELETE CASCADE,
  name text CHECK (name IS NULL OR length(btrim(name)) BETWEEN 1 AND 60),
  -- 职务 / 单位, e.g. 县委常委、副县长; 政务服务中心.
  title text,
  phone text,
  CHECK (user_id IS NOT NULL OR name IS NOT NULL)
);
CREATE INDEX project_people_project_idx ON project_people (project_id);
CREATE INDEX project_people_user_idx ON project_people (user_id);
