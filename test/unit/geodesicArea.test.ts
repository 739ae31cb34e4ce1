import { describe, expect, it } from 'vitest';
import { geodesicAreaSquareMetres } from '../../domain/geodesicArea.ts';

const square = (lon: number, lat: number, d: number) => [
  [
    [lon, lat],
    [lon + d, lat],
    [lon + d, lat + d],
    [lon, lat + d],
    [lon, lat],
  ],
];

describe('geodesicAreaSquareMetres', () => {
  it('matches PostGIS ST_Area(geography) for a 0.01° square at 112.5°E 37.8°N', () => {
    // PostGIS 3.3 and 3.6 both give 977452.7328 m² for this square.
    expect(geodesicAreaSquareMetres({ type: 'Polygon', coordinates: square(112.5, 37.8, 0.01) })).toBeCloseTo(977452.7328, 2);
  });
  it('takes holes out, adds the parts of a multipolygon, and ignores ring direction', () => {
    const outer = square(112.5, 37.8, 0.01)[0];
    const hole = square(112.502, 37.802, 0.002)[0];
    const holeArea = geodesicAreaSquareMetres({ type: 'Polygon', coordinates: [hole] });
    const whole = geodesicAreaSquareMetres({ type: 'Polygon', coordinates: [outer] });
    expect(geodesicAreaSquareMetres({ type: 'Polygon', coordinates: [outer, [...hole].reverse()] })).toBeCloseTo(whole - holeArea, 3);
    expect(geodesicAreaSquareMetres({ type: 'Polygon', coordinates: [[...outer].reverse()] })).toBeCloseTo(whole, 3);
    expect(geodesicAreaSquareMetres({ type: 'MultiPolygon', coordinates: [[outer], [hole]] })).toBeCloseTo(whole + holeArea, 3);
  });
  it('gives 0 for points and lines', () => {
    expect(geodesicAreaSquareMetres({ type: 'Point', coordinates: [112, 37] })).toBe(0);
    expect(
      geodesicAreaSquareMetres({
        type: 'LineString',
        coordinates: [
          [112, 37],
          [113, 38],
        ],
      }),
    ).toBe(0);
  });
});
