-- Imports of zone boundaries and project lists: their import items name the zone or project, so that a
-- committed import of either can be undone as a whole like parcel and enterprise imports.
ALTER TABLE import_items DROP CONSTRAINT import_items_entity_check;
ALTER TABLE import_items ADD CONSTRAINT import_items_entity_check CHECK (entity IN ('parcel', 'enterprise', 'enterprise_figures', 'zone', 'project'));
