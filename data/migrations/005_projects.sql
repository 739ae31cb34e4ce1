-- Projects: planned dates of the steps (traffic lights compare against them), the figures 投而未效 is judged
-- on (actual output and tax against what was agreed), the dates of stages a city adds to the stage list
-- (domain/projectStages.ts), and who entered a zone's monthly figures when.
ALTER TABLE projects
  ADD COLUMN plan_landed_date date,
  ADD COLUMN plan_started_date date,
  ADD COLUMN plan_producing_date date,
  ADD COLUMN plan_at_capacity_date date,
  ADD COLUMN actual_annual_output_wan double precision CHECK (actual_annual_output_wan IS NULL OR actual_annual_output_wan >= 0),
  ADD COLUMN agreed_annual_tax_wan double precision CHECK (agreed_annual_tax_wan IS NULL OR agreed_annual_tax_wan >= 0),
  ADD COLUMN actual_annual_tax_wan double precision CHECK (actual_annual_tax_wan IS NULL OR actual_annual_tax_wan >= 0),
  ADD COLUMN extra_stage_dates jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(extra_stage_dates) = 'object');

CREATE INDEX project_round_entries_project_idx ON project_round_entries (project_id);

ALTER TABLE zone_monthly_indicators
  ADD COLUMN updated_by integer REFERENCES users (id),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD CONSTRAINT zone_monthly_indicators_value_added_check CHECK (industrial_value_added_wan IS NULL OR industrial_value_added_wan >= 0),
  ADD CONSTRAINT zone_monthly_indicators_investment_check CHECK (industrial_investment_wan IS NULL OR industrial_investment_wan >= 0);
