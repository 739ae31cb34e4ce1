/** 链长制: link status and distances, against values worked out by hand in the comments. */
import { describe, expect, it } from 'vitest';
import { distanceKm, linkStatus, nearestKm } from '../../domain/chains.ts';
import { matchLand, type LandCandidate } from '../../domain/leads.ts';

describe('link status in a scope', () => {
  it('is missing with no firm and no project, whatever the leads', () => {
    expect(linkStatus({ firms: 0, chainOwners: 0, projects: 0 })).toBe('missing');
  });
  it('is weak with one or two firms and projects and no 链主', () => {
    expect(linkStatus({ firms: 1, chainOwners: 0, projects: 0 })).toBe('weak');
    expect(linkStatus({ firms: 0, chainOwners: 0, projects: 1 })).toBe('weak');
    // 1 firm + 1 project = 2 < 3.
    expect(linkStatus({ firms: 1, chainOwners: 0, projects: 1 })).toBe('weak');
  });
  it('is present with three or more, or with a 链主', () => {
    // 2 firms + 1 project = 3.
    expect(linkStatus({ firms: 2, chainOwners: 0, projects: 1 })).toBe('present');
    // A single 链主 holds the link.
    expect(linkStatus({ firms: 1, chainOwners: 1, projects: 0 })).toBe('present');
  });
});

describe('distance to the chain', () => {
  it('measures a degree of latitude as 111.19 km and a degree of longitude at 37°N as 88.80 km', () => {
    // 6371.0088 km × π/180 = 111.195 km.
    expect(distanceKm([112, 37], [112, 38])).toBeCloseTo(111.195, 2);
    // 2R·asin(cos 37° · sin 0.5°) = 2 × 6371.0088 × asin(0.79864 × 0.0087265) = 88.80 km.
    expect(distanceKm([112, 37], [113, 37])).toBeCloseTo(88.8, 1);
    expect(distanceKm([112.5, 37.8], [112.5, 37.8])).toBe(0);
  });
  it('finds the nearest firm, or none', () => {
    // 0.1° north = 11.12 km; 0.05° north = 5.56 km (the second, index 1).
    expect(
      nearestKm(
        [112, 37],
        [
          [112, 37.1],
          [112, 37.05],
          [113, 37],
        ],
      ),
    ).toEqual({ km: expect.closeTo(5.56, 2), index: 1 });
    expect(nearestKm([112, 37], [])).toBeNull();
  });
  it("puts the nearest firm's distance into the matching reasons and the score", () => {
    const land: LandCandidate = {
      id: 1,
      kind: 'parcel',
      areaMu: 100,
      landUseCode: '100101',
      zoneId: 1,
      city: '大同市',
      industryText: '新能源电池',
      infrastructure: [],
      priceWanPerMu: null,
      standardLand: true,
      // 0.15° north of a firm: 16.68 km → proximity (30 − 16.68) / 25 = 0.533.
      chainDistanceKm: Math.round(distanceKm([113.3, 40.0], [113.3, 40.15]) * 10) / 10,
    };
    const match = matchLand({ minMu: 50, maxMu: 200 }, land)!;
    expect(match.reasons.find((r) => r.key === 'chain')).toEqual({
      key: 'chain',
      ok: false,
      zh: '距产业链企业 16.7 km',
      en: '16.7 km from a firm of the chain',
    });
    // area 30 × 1 + standard land 5 × 1 + chain 10 × (30 − 16.7) / 25 = 35 + 5.32 = 40.32 of 45 → 89.6 → 90.
    expect(match.score).toBe(90);
  });
});
