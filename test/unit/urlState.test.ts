import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, parseScope, parseUrlView, serializeUrlView, withScope } from '../../client/src/lib/urlState.ts';

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
      scope: { level: 'zone' as const, zoneIds: [12, 13] },
    };
    const search = serializeUrlView(view);
    expect(search).toBe(
      '?c=112.55000,37.74000&z=13.50&color=status&layers=zones,parcels&sel=parcel:42&lang=en&basemap=tianditu-vec&ctx=0&asOf=2026-06-30&light=red&zone=12,13',
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

  it('keeps the scope: a city, a county with its city, zones; none given is null', () => {
    expect(parseScope('?city=%E5%A4%A7%E5%90%8C%E5%B8%82')).toEqual({ level: 'city', city: '大同市' });
    expect(parseScope('?city=大同市&county=平城区')).toEqual({ level: 'county', county: '平城区', city: '大同市' });
    expect(parseScope('?zone=12')).toEqual({ level: 'zone', zoneIds: [12] });
    // The narrowest level wins.
    expect(parseScope('?city=大同市&zone=3')).toEqual({ level: 'zone', zoneIds: [3] });
    expect(parseScope('?c=1,2')).toBeNull();
    // Malformed zone lists fall back to the province rather than breaking the page.
    expect(parseScope('?zone=abc')).toEqual({ level: 'province' });
    const search = serializeUrlView({ ...DEFAULT_VIEW, scope: { level: 'city', city: '大同市' } });
    expect(search).toBe('?c=112.40000,37.70000&z=6.30&city=%E5%A4%A7%E5%90%8C%E5%B8%82');
    expect(parseUrlView(search).scope).toEqual({ level: 'city', city: '大同市' });
  });
  it('replaces the scope of a link and keeps the rest', () => {
    expect(withScope('?month=2026-10&city=朔州市', { level: 'zone', zoneIds: [4] })).toBe('?month=2026-10&zone=4');
    expect(withScope('?zone=4', { level: 'province' })).toBe('');
  });
});
