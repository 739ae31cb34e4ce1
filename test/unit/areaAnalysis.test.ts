import { describe, expect, it } from 'vitest';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { analyseArea, shareInside, type AnalysedParcelProps } from '../../domain/areaAnalysis.ts';
import { geodesicAreaSquareMetres } from '../../domain/geodesicArea.ts';

const square = (x: number, y: number, d: number): MultiPolygon => ({
  type: 'MultiPolygon',
  coordinates: [
    [
      [
        [x, y],
        [x + d, y],
        [x + d, y + d],
        [x, y + d],
        [x, y],
      ],
    ],
  ],
});
const area = (x0: number, y0: number, x1: number, y1: number): Feature<Polygon> => ({
  type: 'Feature',
  properties: {},
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
        [x0, y0],
      ],
    ],
  },
});
const parcel = (id: number, g: MultiPolygon, p: Partial<AnalysedParcelProps> = {}): Feature<MultiPolygon, AnalysedParcelProps> => ({
  type: 'Feature',
  id,
  geometry: g,
  properties: {
    id,
    land_use: '100101',
    supplied: true,
    built: true,
    idle: false,
    industrial: true,
    output_wan: 1000,
    used_m2: geodesicAreaSquareMetres(g),
    ...p,
  },
});

describe('draw-an-area figures', () => {
  it('counts a parcel half inside as half', () => {
    const p = square(112.5, 37.8, 0.002);
    const half = area(112.501, 37.79, 112.51, 37.81); // the east half of the parcel
    expect(shareInside(p, half)).toBeCloseTo(0.5, 3);
    const f = analyseArea([parcel(1, p)], half);
    expect(f.parcelAreaM2).toBeCloseTo(geodesicAreaSquareMetres(p) / 2, -1);
    expect(f.outputWan).toBeCloseTo(500, 0);
    // Output and used land are halved together: per-mu output is the parcel's own.
    expect(f.outputPerMu).toBeCloseTo(1000 / (geodesicAreaSquareMetres(p) / (10000 / 15)), 3);
  });

  it('adds up land use, supplied, built and idle land, and the idle ratio', () => {
    const a = area(112.49, 37.79, 112.52, 37.82);
    const parcels = [
      parcel(1, square(112.5, 37.8, 0.001), { land_use: '100102' }),
      parcel(2, square(112.502, 37.8, 0.001), { land_use: '1101', built: false, idle: true }),
      parcel(3, square(112.504, 37.8, 0.001), { land_use: '1401', supplied: false, built: false, industrial: false, output_wan: 0, used_m2: 0 }),
      parcel(4, square(113.0, 37.8, 0.001)), // far away
    ];
    const f = analyseArea(parcels, a);
    const one = geodesicAreaSquareMetres(square(112.5, 37.8, 0.001));
    expect(f.parcelCount).toBe(3);
    expect(f.landUseM2['10']).toBeCloseTo(one, 0);
    expect(f.landUseM2['11']).toBeCloseTo(one, 0);
    expect(f.landUseM2['14']).toBeCloseTo(one, 0);
    expect(f.suppliedShare).toBeCloseTo(2 / 3, 4);
    expect(f.builtShare).toBeCloseTo(1 / 3, 4);
    expect(f.idleRatio).toBeCloseTo(0.5, 4);
  });

  it('finds a parcel crossed by a thin strip with no corner inside', () => {
    const p = square(112.5, 37.8, 0.002);
    const strip = area(112.5009, 37.79, 112.5011, 37.81);
    expect(shareInside(p, strip)).toBeCloseTo(0.1, 3);
  });

  it('uses the stored area when the parcel carries it (the server sends PostGIS’s), the same ellipsoidal figure', () => {
    const p = square(112.5, 37.8, 0.002);
    const half = area(112.501, 37.79, 112.51, 37.81);
    const computed = analyseArea([parcel(1, p)], half);
    const stored = analyseArea([parcel(1, p, { area_m2: geodesicAreaSquareMetres(p) })], half);
    expect(stored.parcelAreaM2).toBeCloseTo(computed.parcelAreaM2, 6);
    // A stored figure is what is counted: a parcel registered at 10,000 m², half inside, counts 5,000 m².
    expect(analyseArea([parcel(1, p, { area_m2: 10_000 })], half).parcelAreaM2).toBeCloseTo(5_000, 0);
  });

  it('gives no ratio for an empty area', () => {
    const f = analyseArea([], area(0, 0, 1, 1));
    expect(f).toMatchObject({ parcelCount: 0, suppliedShare: null, idleRatio: null, outputPerMu: null });
  });
});
