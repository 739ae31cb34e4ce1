/**
 * Every column the audit log can show as a changed field has a name for people (domain/fieldLabels.ts), on
 * both databases: a column added later without one would show its raw name in the history.
 */
import { describe, expect, it } from 'vitest';
import { hasFieldLabel } from '../../domain/fieldLabels.ts';
import { dbTargets } from '../helpers/databases.ts';

// The tables whose rows are the audit log's snapshots (server/audit.ts); child rows travel inside them as lists.
const SNAPSHOT_TABLES = [
  'zones',
  'parcels',
  'projects',
  'users',
  'shortlists',
  'settings',
  'project_rounds',
  'imports',
  'leads',
  'promotion_events',
  'tours',
  'evaluation_schemes',
  'evaluation_targets',
  'evaluation_manual_values',
  'service_items',
  'project_service_items',
  'project_problems',
  'industry_chains',
  'land_transfers',
  'transfer_acceptances',
  'supply_targets',
  'factory_leases',
  'enterprises',
  'zone_monthly_indicators',
  'zone_yearly_targets',
  'evaluation_zone_types',
];
/** Bookkeeping and hidden columns: the diff leaves them out (domain/recordDiff.ts, server/routes/audit.ts). */
const NOT_SHOWN = new Set(['id', 'version', 'updated_at', 'geom', 'area_m2', 'footprint_m2', 'password_hash', 'token', 'dataset']);

describe.each(dbTargets())('audit field names on $name', (target) => {
  it('has a label for every column an audit entry can show', async () => {
    const db = await target.open();
    try {
      const cols = await db.query<{ t: string; c: string }>(
        `SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ANY($1::text[])`,
        [SNAPSHOT_TABLES],
      );
      expect(new Set(cols.map((r) => r.t)).size).toBe(SNAPSHOT_TABLES.length);
      const missing = cols.filter((r) => !NOT_SHOWN.has(r.c) && !hasFieldLabel(r.c)).map((r) => `${r.t}.${r.c}`);
      expect(missing).toEqual([]);
    } finally {
      await db.close();
    }
  });
});
