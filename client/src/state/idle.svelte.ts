/**
 * The idle-land report as of a date (GET /api/land/idle), shared by the map colouring, the countdown badges
 * and the list. The rule runs on the server with domain/idleLand.ts; the panel re-runs it for one parcel.
 */
import type { IdleAssessment, IdleParcelRow } from '../../../domain/idleLand.ts';
import { api } from '../lib/api.ts';

export type IdleParcel = IdleParcelRow & IdleAssessment & { centre: [number, number] };

export interface IdleZone {
  zone_id: number;
  zone_name: string;
  supplied_area_m2: number;
  idle_area_m2: number;
  idle_ratio: number | null;
  idle_count: number;
  at_risk_count: number;
  approved_unsupplied_area_m2: number;
  supplied_unused_area_m2: number;
}

export interface IdleReport {
  asOf: string;
  totals: { supplied_area_m2: number; idle_area_m2: number; idle_ratio: number | null };
  zones: IdleZone[];
  counts: { idle: number; at_risk: number; fine: number; no_agreed_date: number };
  /** The map's colouring for the date: at-risk parcels as [id, days left, lon, lat]; not_supplied are supplied now, not yet on the date. */
  map: { idle: number[]; at_risk: [number, number, number, number][]; no_agreed_date: number[]; not_supplied: number[] };
  /** The idle and at-risk parcels, most urgent first (the first LIST_LIMIT of `total`). */
  parcels: IdleParcel[];
  total: number;
}

/** GET /api/parcels/:id/extensions: the agreements extending a parcel's agreed start date, oldest first. */
export interface ParcelExtensionsData {
  parcel_id: number;
  zone_id: number;
  agreed_start_date: string | null;
  effective_start_date: string | null;
  extensions: {
    id: number; previous_start_date: string; start_date: string; signed_on: string; reason: string;
    document_no: string; note: string | null; recorded_by: string; recorded_at: string;
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
    const key = asOf ?? 'today';
    if (!force && key === this.loadedFor) return;
    this.loadedFor = key;
    try {
      this.report = await api.get<IdleReport>(`/api/land/idle?state=idle,at_risk&limit=${LIST_LIMIT}${asOf ? `&asOf=${asOf}` : ''}`);
      this.error = '';
    } catch (err) {
      this.error = (err as Error).message;
      this.loadedFor = null;
    }
  }
}

export const idleReport = new IdleReportState();
