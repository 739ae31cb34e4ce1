/** What a section of the projects page covers: all zones, a city's or one zone. */
export type Scope = { kind: 'all' } | { kind: 'city'; city: string } | { kind: 'zone'; zoneId: number };

/** The scope as query parameters ("" for all zones). */
export function scopeQuery(scope: Scope): string {
  return scope.kind === 'all' ? '' : scope.kind === 'city' ? `city=${encodeURIComponent(scope.city)}` : `zone=${scope.zoneId}`;
}

/** Joins query parts, skipping empty ones. */
export function query(...parts: string[]): string {
  return parts.filter(Boolean).join('&');
}
