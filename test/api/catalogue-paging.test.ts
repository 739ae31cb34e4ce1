/** The public catalogue pages honestly, on both databases: the count is true, every match is reachable, the map gets them all. */
import { describe, expect, it } from 'vitest';
import { dbTargets } from '../helpers/databases.ts';
import { useApiServer } from '../helpers/apiSuite.ts';

describe.each(dbTargets())('catalogue paging on $name', (target) => {
  const ctx = useApiServer(target);

  it('counts every match, pages through them all, and gives every match as a point', async () => {
    const [{ n }] = await ctx.db.query<{ n: number }>("SELECT count(*)::int AS n FROM parcels WHERE status = 'available'");
    expect(n).toBeGreaterThan(200);
    const first = await fetch(`${ctx.server.url}/api/public/parcels`).then((r) => r.json());
    expect(first.count).toBe(n);
    expect(first.features).toHaveLength(200);
    expect(first.offset).toBe(0);
    expect(first.points).toHaveLength(n);
    expect(first.points.slice(0, 200).map((p: number[]) => p[0])).toEqual(first.features.map((f: any) => f.id));
    // Only ids and coordinates in the points: nothing internal.
    expect(first.points.every((p: unknown[]) => p.length === 3 && p.every((x) => typeof x === 'number'))).toBe(true);
    const ids = new Set<number>();
    for (let offset = 0; offset < n; offset += 200) {
      const page = await fetch(`${ctx.server.url}/api/public/parcels?offset=${offset}`).then((r) => r.json());
      expect(page.offset).toBe(offset);
      for (const f of page.features) ids.add(f.id);
    }
    // Every match once, the 201st included, in the order of the points.
    expect(ids.size).toBe(n);
    const second = await fetch(`${ctx.server.url}/api/public/parcels?offset=200&limit=1`).then((r) => r.json());
    expect(second.features[0].id).toBe(first.points[200][0]);
    expect((await fetch(`${ctx.server.url}/api/public/parcels?offset=-1`)).status).toBe(400);
  });
});
