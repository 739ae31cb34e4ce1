/**
 * The one scope every internal page follows (domain/scope.ts): the province, a city, a county or zones, kept
 * in the URL (?city=大同市, ?county=平城区&city=大同市, ?zone=12). A zone-limited account starts on its zones.
 */
import { PROVINCE, defaultScope, scopeLabel, scopeParams, zoneIdsOf, type AtlasScope, type ZonePlace } from '../../../domain/scope.ts';
import { placeName } from '../../../domain/places.ts';
import { parseScope, withScope } from '../lib/urlState.ts';
import { api } from '../lib/api.ts';

class ScopeState {
  scope = $state<AtlasScope>(PROVINCE);
  zones = $state.raw<ZonePlace[]>([]);
  private started = false;

  /** The scope of the link, or the account's default; once, when signed in. */
  start(userZoneIds: number[] | null | undefined): void {
    if (this.started) return;
    this.started = true;
    this.scope = parseScope(location.search) ?? defaultScope(userZoneIds);
    api
      .zones()
      .then((fc) => (this.zones = fc.features.map((f) => f.properties)))
      .catch(() => undefined);
  }

  set(scope: AtlasScope): void {
    this.scope = scope;
    // Pages other than the map keep their own parameters; the map writes its whole view (App.svelte).
    if (location.pathname !== '/') history.replaceState(null, '', `${location.pathname}${withScope(location.search, scope)}`);
  }

  /** The zone ids in scope, null for the province. */
  get zoneIds(): number[] | null {
    return zoneIdsOf(this.scope, this.zones);
  }

  /** The scope as query parameters for the API ("" for the province), e.g. "city=%E5%A4%A7…". */
  get query(): string {
    return new URLSearchParams(scopeParams(this.scope)).toString();
  }

  /** A zone's name as a list shows it: its English name in English mode where it has one. */
  zoneName(id: number, name: string, lang: 'zh' | 'en'): string {
    return (lang === 'en' && this.zones.find((z) => z.id === id)?.name_en) || name;
  }

  label(lang: 'zh' | 'en'): string {
    return scopeLabel(this.scope, this.zones, lang, { city: (c) => placeName(c, lang) });
  }
}

export const scopeState = new ScopeState();

/** Adds the scope's parameters to an API path. */
export function scoped(path: string, scopeQuery = scopeState.query): string {
  if (!scopeQuery) return path;
  return `${path}${path.includes('?') ? '&' : '?'}${scopeQuery}`;
}
