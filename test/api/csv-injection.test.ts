/**
 * CSV injection: a name that a spreadsheet would run as a formula is written as text in every CSV export,
 * and our own exports still import back unchanged.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { DEMO_AS_OF } from '../../data/generator.ts';
import { neutraliseCsvCell, restoreCsvCell } from '../../server/lib/csvCells.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

const FORMULA = '=HYPERLINK("http://x","y")';

describe('neutralising CSV cells', () => {
  it('prefixes an apostrophe to cells a spreadsheet would run, and to nothing else', () => {
    expect(neutraliseCsvCell(FORMULA)).toBe(`'${FORMULA}`);
    expect(neutraliseCsvCell('+cmd|/c calc')).toBe("'+cmd|/c calc");
    expect(neutraliseCsvCell('-2+3')).toBe("'-2+3");
    expect(neutraliseCsvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseCsvCell('\t=1')).toBe("'\t=1");
    expect(neutraliseCsvCell('\r=1')).toBe("'\r=1");
    expect(neutraliseCsvCell('-12.5')).toBe('-12.5');
    expect(neutraliseCsvCell('+86')).toBe('+86');
    expect(neutraliseCsvCell('大同经济技术开发区')).toBe('大同经济技术开发区');
    expect(neutraliseCsvCell("it's")).toBe("it's");
  });

  it('takes the apostrophe off again on reading', () => {
    for (const text of [FORMULA, '-2+3', '@x', '-12.5', "'quoted", 'plain']) expect(restoreCsvCell(neutraliseCsvCell(text))).toBe(text);
  });
});

describe.each(dbTargets({ writable: true }))('CSV exports on $name', (target) => {
  const ctx = useApiServer(target);

  /** Every cell of a CSV answer (BOM dropped). */
  async function cells(path: string, user = 'viewer'): Promise<string[]> {
    const client = await ctx.server.as(user);
    const res = await client.get(path);
    expect(res.status, path).toBe(200);
    const rows: string[][] = parse((await res.text()).replace(/^\uFEFF/, ''), { relax_column_count: true });
    return rows.flat();
  }

  it('writes formula-like names as text in the zone, project, parcel and idle-land exports', async () => {
    // A zone holding idle parcels and 三未 projects gets the formula as its name; one project and one parcel too.
    const [zone] = await ctx.db.query<{ zone_id: number }>(
      "SELECT p.zone_id FROM parcels p WHERE p.status = 'supplied' AND p.agreed_start_date < '2024-06-01' GROUP BY p.zone_id ORDER BY count(*) DESC LIMIT 1",
    );
    await ctx.db.query('UPDATE zones SET name = $1 WHERE id = $2', [FORMULA, zone.zone_id]);
    await ctx.db.query("UPDATE projects SET name = '+cmd|/c calc' WHERE id = (SELECT min(id) FROM projects)");
    const [parcel] = await ctx.db.query<{ code: string }>(
      "UPDATE parcels SET code = '-2+3' WHERE id = (SELECT min(id) FROM parcels WHERE zone_id = $1) RETURNING code",
      [zone.zone_id],
    );
    expect(parcel.code).toBe('-2+3');

    const zonesCsv = await cells('/api/export/zones?format=csv');
    expect(zonesCsv).toContain(`'${FORMULA}`);
    expect(zonesCsv.some((c) => c.startsWith('='))).toBe(false);
    expect(await cells('/api/export/projects?format=csv')).toContain("'+cmd|/c calc");
    expect(await cells(`/api/export/parcels?format=csv&zone=${zone.zone_id}`)).toContain("'-2+3");
    const idle = await cells(`/api/land/idle?asOf=${DEMO_AS_OF}&format=csv&horizon=3650`);
    expect(idle).toContain(`'${FORMULA}`);
    expect(idle.some((c) => /^[=+@]/.test(c))).toBe(false);
  });

  it('writes a formula-like note as text in the audit log export', async () => {
    // An import's note carries the file's name, which the uploader chooses.
    await ctx.db.query(
      "INSERT INTO audit_log (user_id, username, action, entity, entity_id, before, after, note) VALUES (NULL, 'system', 'create', 'import', 1, NULL, NULL, $1)",
      [FORMULA],
    );
    const audit = await cells('/api/audit.csv', 'admin');
    expect(audit).toContain(`'${FORMULA}`);
    expect(audit.some((c) => c.startsWith('='))).toBe(false);
  });
});
