/**
 * The public catalogue's contracts are closed: every object in a public answer is a z.strictObject listing
 * exactly the allow-listed fields (PUBLIC_FIELDS), so an internal field that leaks into an answer fails the
 * contract check (CONTRACT_CHECK_RESPONSES=1 in every API test) instead of reaching an investor.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as publicContracts from '../../server/contract/public.ts';
import { allContracts } from '../../server/contract/index.ts';
import { PUBLIC_FIELDS } from '../../server/routes/public.ts';

const ALLOWED = new Set<string>(Object.values(PUBLIC_FIELDS).flat());

interface Found {
  keys: Set<string>;
  open: string[];
}

/** Walks a schema: every object key, and every object that would accept keys it does not list. */
function walk(schema: z.ZodType, where: string, found: Found): Found {
  const def = (schema as unknown as { _zod: { def: Record<string, any> } })._zod.def;
  switch (def.type) {
    case 'object':
      if (def.catchall?._zod?.def?.type !== 'never') found.open.push(where);
      for (const [key, value] of Object.entries(def.shape as Record<string, z.ZodType>)) {
        found.keys.add(key);
        walk(value, `${where}.${key}`, found);
      }
      break;
    case 'array':
      walk(def.element, `${where}[]`, found);
      break;
    case 'tuple':
      def.items.forEach((item: z.ZodType, i: number) => walk(item, `${where}[${i}]`, found));
      break;
    case 'nullable':
    case 'optional':
      walk(def.innerType, where, found);
      break;
    case 'union':
      def.options.forEach((o: z.ZodType) => walk(o, where, found));
      break;
    case 'record':
    case 'unknown':
    case 'any':
      found.open.push(where);
      break;
  }
  return found;
}

const publicRoutes = allContracts.filter((c) => c.path.startsWith('/api/public/'));

describe('the public catalogue’s contracts', () => {
  it('cover every public route, and only public routes are open to everyone among them', () => {
    expect(publicRoutes.map((c) => `${c.method} ${c.path}`).sort()).toEqual([
      'get /api/public/factories',
      'get /api/public/parcels',
      'get /api/public/parcels/{id}',
      'get /api/public/shortlists/{token}',
      'get /api/public/zones',
    ]);
    expect(publicRoutes.every((c) => c.access === 'public')).toBe(true);
  });

  it.each(publicRoutes.map((c) => [c.path, c] as const))('%s answers only closed objects of allow-listed fields', (_path, contract) => {
    const schema = contract.responses[200].schema!;
    const found = walk(schema, '(root)', { keys: new Set(), open: [] });
    expect(found.open).toEqual([]);
    expect([...found.keys].filter((k) => !ALLOWED.has(k))).toEqual([]);
    expect(found.keys.size).toBeGreaterThan(2);
  });

  it('refuses a parcel sheet that carries an internal field', () => {
    const geometry = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [112.5, 37.7],
            [112.6, 37.7],
            [112.6, 37.8],
            [112.5, 37.7],
          ],
        ],
      ],
    };
    const parcel = {
      id: 1,
      code: 'YQGX-0001',
      zone_id: 1,
      zone_name: '阳泉经开区',
      zone_name_en: null,
      zone_level: 'national',
      city: '阳泉市',
      county: null,
      leading_industry: null,
      land_use_code: '100101',
      area_m2: 20000,
      is_standard_land: true,
      min_investment_intensity_wan_per_mu: 300,
      min_floor_area_ratio: 1,
      max_floor_area_ratio: 2,
      min_tax_per_mu_wan: 20,
      max_energy_tce_per_wan: 0.5,
      environment_standard: '二级',
      min_building_coverage_pct: 40,
      max_admin_facility_pct: 7,
      max_green_pct: 15,
      infrastructure: { road: true, power: false },
      land_price_wan: 500,
      contact_phone: '0353-1234567',
      bbox: [112.5, 37.7, 112.6, 37.8],
    };
    const zone = {
      id: 1,
      name: '阳泉经开区',
      name_en: null,
      level: 'national',
      city: '阳泉市',
      county: null,
      leading_industry: null,
      contact_phone: null,
      geometry,
    };
    const sheet = { parcel, geometry, zone, generated_on: '2026-11-28', illustrative: true };
    const schema = publicContracts.parcelSheet.responses[200].schema;
    expect(schema.safeParse(sheet).success).toBe(true);
    for (const [leak, path] of [
      [{ ...sheet, parcel: { ...parcel, internal_note: '企业欠税' } }, ['parcel']],
      [{ ...sheet, parcel: { ...parcel, infrastructure: { road: true, secret_well: true } } }, ['parcel', 'infrastructure']],
      [{ ...sheet, zone: { ...zone, approved_area_ha: 12 } }, ['zone']],
      [{ ...sheet, enterprises: [] }, []],
    ] as const) {
      const result = schema.safeParse(leak);
      expect(result.success).toBe(false);
      expect(result.error!.issues.map((i) => [i.code, i.path])).toEqual([['unrecognized_keys', path]]);
    }
  });
});
