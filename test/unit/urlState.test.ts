import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, parseUrlView, serializeUrlView } from '../../client/src/lib/urlState.ts';

describe('view in the URL', () => {
  it('round-trips a view', () => {
    const view = {
      center: [112.55, 37.74] as [number, number],
      zoom: 13.5,
      colorBy: 'status' as const,
      layers: ['zones' as const, 'parcels' as const],
      selection: { type: 'parcel' as const, id: 42 },
      lang: 'en' as const,
      basemap: 'tianditu-vec',
      context: false,
      asOf: '2026-06-30',
      light: 'red' as const,
    };
    const search = serializeUrlView(view);
    expect(search).toBe(
      '?c=112.55000,37.74000&z=13.50&color=status&layers=zones,parcels&sel=parcel:42&lang=en&basemap=tianditu-vec&ctx=0&asOf=2026-06-30&light=red',
    );
    const { hasCenter, ...parsed } = parseUrlView(search);
    expect(hasCenter).toBe(true);
    expect(parsed).toEqual(view);
  });
  it('falls back to the defaults on bad values instead of breaking', () => {
    const { hasCenter, ...parsed } = parseUrlView('?c=abc&z=99&color=pink&sel=parcel:x&lang=fr&basemap=<script>&asOf=yesterday&light=purple');
    expect(hasCenter).toBe(false);
    expect(parsed).toEqual(DEFAULT_VIEW);
  });
  it('has the context layer on unless the link turns it off', () => {
    expect(parseUrlView('?c=112.5,37.7&z=9').context).toBe(true);
    expect(parseUrlView('?ctx=0').context).toBe(false);
  });
  it('keeps the URL short for the default view', () => {
    expect(serializeUrlView(DEFAULT_VIEW)).toBe('?c=112.40000,37.70000&z=6.30');
  });
});
