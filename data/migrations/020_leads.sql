-- 招商: investment leads from first contact to signing, their contact log, promotion events, and the
-- industry chains (链长制) with their links and chain-owner firms. Leads are internal: no public route reads
-- these tables.

CREATE TABLE industry_chains (
  id serial PRIMARY KEY,
  key text NOT NULL UNIQUE CHECK (key ~ '^[a-z][a-z0-9_]{1,40}$'),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 40),
  name_en text,
  -- 链长: the official who answers for the chain.
  leader text,
  version integer NOT NULL DEFAULT 1
);

-- A chain's links (环节), upstream to downstream.
CREATE TABLE chain_links (
  id serial PRIMARY KEY,
  chain_id integer NOT NULL REFERENCES industry_chains (id) ON DELETE CASCADE,
  position text NOT NULL CHECK (position IN ('upstream', 'midstream', 'downstream')),
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 60),
  sort_order integer NOT NULL DEFAULT 0,
  UNIQUE (chain_id, name)
);

-- Firms, projects and leads placed on a link; 链主 firms marked.
CREATE TABLE chain_link_enterprises (
  link_id integer NOT NULL REFERENCES chain_links (id) ON DELETE CASCADE,
  enterprise_id integer NOT NULL REFERENCES enterprises (id) ON DELETE CASCADE,
  chain_owner boolean NOT NULL DEFAULT false,
  PRIMARY KEY (link_id, enterprise_id)
);
ALTER TABLE projects ADD COLUMN chain_link_id integer REFERENCES chain_links (id) ON DELETE SET NULL;

CREATE TABLE promotion_events (
  id serial PRIMARY KEY,
  name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 120),
  kind text NOT NULL CHECK (kind IN ('promotion', 'matchmaking', 'outbound', 'other')),
  held_on date NOT NULL CHECK (held_on BETWEEN DATE '1990-01-01' AND DATE '2100-12-31'),
  place text,
  organiser text,
  -- The zone that held it; null for a city's or the province's event.
  zone_id integer REFERENCES zones (id),
  city text,
  agreements_signed integer NOT NULL DEFAULT 0 CHECK (agreements_signed >= 0),
  note text,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE leads (
  id serial PRIMARY KEY,
  zone_id integer NOT NULL REFERENCES zones (id),
  investor_name text NOT NULL CHECK (length(btrim(investor_name)) BETWEEN 1 AND 120),
  investor_credit_code char(18),
  investor_origin text,
  project_name text NOT NULL CHECK (length(btrim(project_name)) BETWEEN 1 AND 120),
  industry text,
  chain_link_id integer REFERENCES chain_links (id) ON DELETE SET NULL,
  planned_investment_wan double precision CHECK (planned_investment_wan IS NULL OR (planned_investment_wan >= 0 AND planned_investment_wan < 1e9)),
  land_need_min_mu double precision CHECK (land_need_min_mu IS NULL OR land_need_min_mu >= 0),
  land_need_max_mu double precision CHECK (land_need_max_mu IS NULL OR land_need_max_mu >= 0),
  floor_need_m2 double precision CHECK (floor_need_m2 IS NULL OR floor_need_m2 >= 0),
  source text NOT NULL,
  event_id integer REFERENCES promotion_events (id) ON DELETE SET NULL,
  promoter_id integer REFERENCES users (id),
  leader text,
  -- The investor's contact: seen only by roles that need it.
  contact_name text,
  contact_phone text,
  stage text NOT NULL CHECK (stage IN ('lead', 'contact', 'visit', 'negotiation', 'intent', 'signed')),
  lead_date date NOT NULL,
  contact_date date,
  visit_date date,
  negotiation_date date,
  intent_date date,
  signed_date date,
  next_follow_up date,
  dropped_on date,
  drop_reason text,
  drop_note text,
  project_id integer REFERENCES projects (id) ON DELETE SET NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (land_need_min_mu IS NULL OR land_need_max_mu IS NULL OR land_need_min_mu <= land_need_max_mu),
  CHECK ((dropped_on IS NULL) = (drop_reason IS NULL)),
  CHECK (signed_date IS NULL OR dropped_on IS NULL)
);
CREATE INDEX leads_zone_idx ON leads (zone_id);
CREATE INDEX leads_stage_idx ON leads (stage);

-- Visits, meetings and calls: who met whom and what was said.
CREATE TABLE lead_contacts (
  id serial PRIMARY KEY,
  lead_id integer NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
  happened_on date NOT NULL,
  kind text NOT NULL CHECK (kind IN ('visit', 'meeting', 'call', 'message', 'site_visit')),
  with_whom text,
  summary text NOT NULL CHECK (length(btrim(summary)) BETWEEN 1 AND 2000),
  recorded_by integer REFERENCES users (id),
  recorded_by_name text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX lead_contacts_lead_idx ON lead_contacts (lead_id, happened_on);
