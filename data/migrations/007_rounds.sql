-- 三个一批 rounds and yearly targets become editable (issue 5): a round carries a version (two people
-- renaming it at once get a conflict, not a silent overwrite), and the database refuses what the API
-- refuses: blank or overlong round names, years outside 1990–2100, growth targets at or below −100 % or
-- above 200 %. Who set a zone's targets and when is kept with them (the audit log has the history).
ALTER TABLE project_rounds
  ADD COLUMN version integer NOT NULL DEFAULT 1,
  ADD CONSTRAINT project_rounds_name_check CHECK (length(btrim(name)) BETWEEN 1 AND 40),
  ADD CONSTRAINT project_rounds_held_on_check CHECK (held_on BETWEEN DATE '1990-01-01' AND DATE '2100-12-31');

ALTER TABLE zone_yearly_targets
  ADD COLUMN updated_by integer REFERENCES users (id),
  ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
  ADD CONSTRAINT zone_yearly_targets_year_check CHECK (year BETWEEN 1990 AND 2100),
  ADD CONSTRAINT zone_yearly_targets_value_added_check CHECK (value_added_growth_target_pct IS NULL OR (value_added_growth_target_pct > -100 AND value_added_growth_target_pct <= 200)),
  ADD CONSTRAINT zone_yearly_targets_investment_check CHECK (investment_growth_target_pct IS NULL OR (investment_growth_target_pct > -100 AND investment_growth_target_pct <= 200));
