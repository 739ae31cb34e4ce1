/**
 * Whether the data is the demo is stored with the data: the "示意" notice appears on the demo only, never on an
 * operator's own data; and "today" is counted in China's time zone.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_AS_OF } from '../../data/generator.ts';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

describe.each(dbTargets({ writable: true }))('the demo notice on $name', (target) => {
  const ctx = useApiServer(target);

  it('says the demo is illustrative while the data is the demo, and stops saying it on the operator’s own data', async () => {
    const config = await ctx.server.json('/api/config');
    expect(config.status).toBe(200);
    expect(config.body.demo).toEqual({ asOf: DEMO_AS_OF, illustrative: true });
    expect(config.body.timeZone).toBe('Asia/Shanghai');
    const [available] = await ctx.db.query<{ id: number }>("SELECT id FROM parcels WHERE status = 'available' ORDER BY id LIMIT 1");
    const sheet = await ctx.server.json(`/api/public/parcels/${available.id}`);
    expect(sheet.body.illustrative).toBe(true);

    // A deployment on its own data has no demo fact.
    await ctx.db.query("DELETE FROM settings WHERE key = 'dataset'");
    expect((await ctx.server.json('/api/config')).body.demo).toBeNull();
    expect((await ctx.server.json(`/api/public/parcels/${available.id}`)).body.illustrative).toBe(false);
  });
});
