/**
 * What a page covers: the whole province, a city, a county or some zones. Every dashboard and list follows
 * one scope (kept in the URL: ?city=大同市, ?county=平城区, ?zone=12); figures above a zone are summed from
 * the zones of the scope (domain/rollup.ts).
 */
import { shortZoneName } from './zoneNames.ts';

export type ScopeLevel = 'province' | 'city' | 'county' | 'zone';
export type AtlasScope =
  { level: 'province' } | { level: 'city'; city: string } | { level: 'county'; county: string; city: string | null } | { level: 'zone'; zoneIds: number[] };

export const PROVINCE: AtlasScope = { level: 'province' };
export const PROVINCE_NAME = { zh: '山西省', en: 'Shanxi' };

/** What the scope needs to know of a zone. */
export interface ZonePlace {
  id: number;
  name: string;
  name_en?: string | null;
  city: string;
  county: string | null;
}

/** The zone ids of a scope; null for the whole province (no filter). */
export function zoneIdsOf(scope: AtlasScope, zones: readonly ZonePlace[]): number[] | null {
  switch (scope.level) {
    case 'province':
      return null;
    case 'city':
      return zones.filter((z) => z.city === scope.city).map((z) => z.id);
    case 'county':
      return zones.filter((z) => z.county === scope.county && (scope.city === null || z.city === scope.city)).map((z) => z.id);
    case 'zone':
      return [...scope.zoneIds];
  }
}

/** The scope's name: 山西省, 大同市, 平城区, or the zones' short names (大同经开区). */
export function scopeLabel(scope: AtlasScope, zones: readonly ZonePlace[], lang: 'zh' | 'en' = 'zh', names?: { city?: (c: string) => string }): string {
  const city = names?.city ?? ((c: string) => c);
  switch (scope.level) {
    case 'province':
      return PROVINCE_NAME[lang];
    case 'city':
      return city(scope.city);
    case 'county':
      return city(scope.county);
    case 'zone': {
      const list = scope.zoneIds.map((id) => zones.find((z) => z.id === id)).filter((z): z is ZonePlace => !!z);
      if (list.length === 0) return scope.zoneIds.join(',');
      return list.map((z) => (lang === 'en' ? (z.name_en ?? z.name) : shortZoneName(z.name))).join(lang === 'en' ? ', ' : '、');
    }
  }
}

/** The query parameters of a scope (empty for the province): city=…, county=… (&city=…), zone=1,2. */
export function scopeParams(scope: AtlasScope): [string, string][] {
  switch (scope.level) {
    case 'province':
      return [];
    case 'city':
      return [['city', scope.city]];
    case 'county':
      return scope.city
        ? [
            ['city', scope.city],
            ['county', scope.county],
          ]
        : [['county', scope.county]];
    case 'zone':
      return [['zone', scope.zoneIds.join(',')]];
  }
}

/** The scope of a query string; the narrowest level given wins (zone, then county, then city). Bad values: the province. */
export function parseScopeParams(p: URLSearchParams): AtlasScope {
  const zone = p.get('zone');
  if (zone && /^\d{1,9}(,\d{1,9}){0,199}$/.test(zone)) return { level: 'zone', zoneIds: zone.split(',').map(Number) };
  const ok = (s: string | null): s is string => !!s && s.length <= 40 && [...s].every((c) => c.charCodeAt(0) >= 32);
  const city = p.get('city');
  const county = p.get('county');
  if (ok(county)) return { level: 'county', county, city: ok(city) ? city : null };
  if (ok(city)) return { level: 'city', city };
  return PROVINCE;
}

/** The scope a user starts on: their zones if the account is limited to some, else the province. */
export function defaultScope(userZoneIds: readonly number[] | null | undefined): AtlasScope {
  return userZoneIds && userZoneIds.length ? { level: 'zone', zoneIds: [...userZoneIds] } : PROVINCE;
}

/** A download's file name: what, scope, date, joined by _ and without characters file systems refuse (闲置土地_大同经开区_2026-11-28). */
export function exportFileName(what: string, scopeName: string, date: string): string {
  return [what, scopeName, date]
    .map((s) =>
      [...s]
        .filter((c) => c.charCodeAt(0) >= 32 && !'\\/:*?"<>|'.includes(c))
        .join('')
        .trim(),
    )
    .filter(Boolean)
    .join('_');
}
