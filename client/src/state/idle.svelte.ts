/**
 * The idle-land report as of a date (GET /api/land/idle), shared by the map colouring, the countdown badges
 * and the list. The rule runs on the server with domain/idleLand.ts; the panel re-runs it for one parcel.
 */
import type { ResponseOf } from '../../../server/contract/define.ts';
import type * as c from '../../../server/contract/land.ts';
import { api } from '../lib/api.ts';
import { scopeState, scoped } from './scope.svelte.ts';

/**
 * GET /api/land/idle: per-zone totals, counts, the map's colouring for the date (at-risk parcels as
 * [id, days left, lon, lat]; not_supplied are supplied now, not yet on the date) and the idle and at-risk
 * parcels, most urgent first (the first LIST_LIMIT of `total`).
 */
export type IdleReport = ResponseOf<typeof c.idleLand>;
export type IdleZone = IdleReport['zones'][number];
export type IdleParcel = IdleReport['parcels'][number];

/** GET /api/parcels/:id/extensions: the agreements extending a parcel's agreed start date, oldest first. */
export interface ParcelExtensionsData {
  parcel_id: number;
  zone_id: number;
  agreed_start_date: string | null;
  effective_start_date: string | null;
  extensions: {
    id: number;
    previous_start_date: string;
    start_date: string;
    signed_on: string;
    reason: string;
    document_no: string;
    note: string | null;
    recorded_by: string;
    recorded_at: string;
  }[];
}

/** How many idle and at-risk parcels the panel lists; the exports have them all. */
export const LIST_LIMIT = 500;

class IdleReportState {
  report = $state.raw<IdleReport | null>(null);
  error = $state('');
  private loadedFor: string | null = null;

  /** Loads the report for the date (null = today) unless it is already there; `force` after writes. */
  async load(asOf: string | null, force = false): Promise<void> {
    const scope = scopeState.query;
    const key = `${asOf ?? 'today'}|${scope}`;
    if (!force && key === this.loadedFor) return;
    this.loadedFor = key;
    try {
      this.report = await api.get<IdleReport>(scoped(`/api/land/idle?state=idle,at_risk&limit=${LIST_LIMIT}${asOf ? `&asOf=${asOf}` : ''}`, scope));
      this.error = '';
    } catch (err) {
      this.error = (err as Error).message;
      this.loadedFor = null;
    }
  }
}

export const idleReport = new IdleReportState();
