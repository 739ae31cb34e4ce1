import { scopeParams, type AtlasScope } from '../../../../domain/scope.ts';

/** What a section of the projects page covers: the page's scope (state/scope.svelte.ts, domain/scope.ts). */
export type Scope = AtlasScope;

/** The scope as query parameters ("" for the province). */
export function scopeQuery(scope: Scope): string {
  return new URLSearchParams(scopeParams(scope)).toString();
}

/** Joins query parts, skipping empty ones. */
export function query(...parts: string[]): string {
  return parts.filter(Boolean).join('&');
}
