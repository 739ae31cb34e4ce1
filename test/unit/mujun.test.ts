import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MUJUN_SCHEME,
  checkMujunScheme,
  evaluateMujun,
  parcelClasses,
  parcelValueClasses,
  type MujunEnterprise,
  type MujunResult,
  type MujunScheme,
} from '../../domain/mujun.ts';
import { squareMetresFromMu } from '../../domain/units.ts';

const taxOnly: MujunScheme = { ...DEFAULT_MUJUN_SCHEME, weights: { aboveScale: { tax_per_mu: 100 }, belowScale: { tax_per_mu: 100 } } };
let nextParcel = 1;
const firm = (id: number, taxWan: number | null, landMu = 10, over: Partial<MujunEnterprise> = {}): MujunEnterprise => ({
  id,
  name: `E${id}`,
  above_scale: true,
  founded_date: '2015-01-01',
  failed_checks: [],
  uses: [{ parcel_id: nextParcel++, role: 'owner', area_m2: squareMetresFromMu(landMu) }],
  figures: {
    output_wan: 1000,
    value_added_wan: 250,
    tax_wan: taxOnly ? taxWan : null,
    energy_tce: 100,
    emissions_t: 1,
    rd_wan: 10,
    revenue_wan: 1000,
    employees: 10,
  },
  ...over,
});
const byId = (results: ReturnType<typeof evaluateMujun>, id: number) => results.find((r) => r.id === id)!;

describe('亩均 evaluation', () => {
  it('scores each indicator against the average of the enterprises rated with it', () => {
    // 10 and 30 万元/亩: benchmark 20 → scores 100 × 10/20 = 50 and 100 × 30/20 = 150.
    const r = evaluateMujun([firm(1, 100), firm(2, 300)], taxOnly);
    expect(byId(r, 1)).toMatchObject({ values: { tax_per_mu: expect.closeTo(10, 9) }, score: 50, rank: 2 });
    expect(byId(r, 2)).toMatchObject({ score: 150, rank: 1, class: 'A' });
  });

  it('computes every indicator on the land used', () => {
    const [r] = evaluateMujun([firm(1, 120, 8)], DEFAULT_MUJUN_SCHEME);
    expect(r.values).toEqual({
      tax_per_mu: 15,
      value_added_per_mu: 31.25,
      output_per_mu: 125,
      revenue_per_mu: 125,
      value_added_per_energy: 2.5,
      value_added_per_emission: 250,
      labour_productivity: 25,
      rd_share: 0.01,
      tax_per_energy: 1.2,
    });
  });

  it('classes by rank: top 20 % A, to 60 % B, to 95 % C, the rest D', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => firm(i + 1, (i + 1) * 10));
    const r = evaluateMujun(twenty, taxOnly);
    const classOfRank = (rank: number) => r.find((x) => x.rank === rank)!.class;
    expect([1, 4, 5, 12, 13, 19, 20].map(classOfRank)).toEqual(['A', 'A', 'B', 'B', 'C', 'C', 'D']);
  });

  it('gives tied scores the same rank and class', () => {
    const r = evaluateMujun([firm(1, 200), firm(2, 200), firm(3, 100), firm(4, 50), firm(5, 50)], taxOnly);
    expect([1, 2].map((id) => byId(r, id).rank)).toEqual([1, 1]);
    expect(byId(r, 3).rank).toBe(3);
    expect([4, 5].map((id) => byId(r, id).rank)).toEqual([4, 4]);
    expect(byId(r, 4).class).toBe(byId(r, 5).class);
  });

  it('scores a missing figure as nothing, without failing the others', () => {
    const r = evaluateMujun([firm(1, null), firm(2, 100)], taxOnly);
    expect(byId(r, 1).score).toBe(0);
    expect(byId(r, 2).score).toBe(100); // the benchmark is the average of those that reported
  });

  it('keeps an enterprise that failed a check out of A and B', () => {
    const r = evaluateMujun([firm(1, 900, 10, { failed_checks: ['environment'] }), firm(2, 100), firm(3, 90), firm(4, 80), firm(5, 70)], taxOnly);
    expect(byId(r, 1)).toMatchObject({ rank: 1, class: 'C', vetoed: true });
    expect(evaluateMujun([firm(1, 900, 10, { failed_checks: ['environment'] }), firm(2, 100)], { ...taxOnly, vetoChecks: false })[0].class).toBe('A');
  });

  it('does not rate new enterprises, nor small ones under the land threshold', () => {
    const r = evaluateMujun(
      [
        firm(1, 100, 10, { founded_date: '2024-06-01' }), // under 2 years at the end of 2025
        firm(2, 100, 10, { founded_date: '2023-12-31' }), // exactly 2 years
        firm(3, 100, 2.99, { above_scale: false }),
        firm(4, 100, 3, { above_scale: false }),
        firm(5, 100, 2, { above_scale: true }), // above scale: rated whatever its land
      ],
      taxOnly,
    );
    expect([1, 2, 3, 4, 5].map((id) => byId(r, id).status)).toEqual(['new', 'rated', 'too_small', 'rated', 'rated']);
  });

  it('rates a tenant in a shared parcel on its own, or merges it into the owner', () => {
    const owner = firm(1, 100, 10);
    const tenant: MujunEnterprise = firm(2, 60, 0, { uses: [{ parcel_id: owner.uses[0].parcel_id, role: 'tenant', area_m2: squareMetresFromMu(2) }] });
    const other = firm(3, 80, 10);
    const separate = evaluateMujun([owner, tenant, other], taxOnly);
    expect(byId(separate, 2)).toMatchObject({ status: 'rated', values: { tax_per_mu: expect.closeTo(30, 9) } });
    const merged = evaluateMujun([owner, tenant, other], { ...taxOnly, attribution: 'merge_into_owner' });
    expect(byId(merged, 2)).toMatchObject({ status: 'merged', merged_into: 1 });
    // Owner: (100 + 60) 万元 on (10 + 2) 亩.
    expect(byId(merged, 1).values.tax_per_mu).toBeCloseTo(160 / 12, 9);
  });

  it('refuses a scheme that cannot be used, and accepts the default', () => {
    expect(checkMujunScheme(DEFAULT_MUJUN_SCHEME)).toEqual([]);
    expect(checkMujunScheme({ ...DEFAULT_MUJUN_SCHEME, classShares: { A: 0.5, B: 0.4, C: 0.9 } })).toContain('classShares must rise: 0 < A < B < C ≤ 1.');
    expect(checkMujunScheme({ ...DEFAULT_MUJUN_SCHEME, weights: { aboveScale: { happiness: 10 }, belowScale: { tax_per_mu: 0 } } })).toEqual(
      expect.arrayContaining(['Unknown indicator happiness.', 'weights.belowScale needs at least one positive weight.']),
    );
  });
});

describe('亩均 on the map', () => {
  const result = (id: number, cls: MujunResult['class'], tax: number | null, parcels: number[]): MujunResult => ({
    id,
    name: `E${id}`,
    status: cls ? 'rated' : 'new',
    above_scale: true,
    land_mu: 10,
    parcel_ids: parcels,
    values: { tax_per_mu: tax },
    score: null,
    rank: null,
    class: cls,
    vetoed: false,
  });
  // Parcel 2 holds an owner (C) and a tenant (A); parcel 4 only an unrated newcomer.
  const results = [result(1, 'C', 10, [1, 2]), result(2, 'A', 40, [2]), result(3, 'B', 20, [3]), result(4, 'D', 30, [5]), result(5, null, 99, [4])];

  it('shows a parcel in the best class among the rated enterprises on it', () => {
    expect(parcelClasses(results)).toEqual({ A: [2], B: [3], C: [1], D: [5] });
  });

  it('maps one indicator in quantiles of the rated enterprises, a parcel by its best value', () => {
    // Rated values 10, 40, 20, 30 → sorted 10, 20, 30, 40; halves at h = 1.5 → 25.
    const { breaks, parcels } = parcelValueClasses(results, 'tax_per_mu', 2);
    expect(breaks).toEqual([25]);
    // Parcel 1: 10 (low); parcel 2: max(10, 40) = 40 (high); parcel 3: 20 (low); parcel 5: 30 (high); parcel 4: unrated, absent.
    expect(parcels).toEqual([
      [1, 3],
      [2, 5],
    ]);
  });
});
