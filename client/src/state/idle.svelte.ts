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
  parcels: IdleParcel[];
  /** Supplied now, not yet on the date (the tiles show today's status). */
  not_yet_supplied: number[];
}

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
      this.report = await api.get<IdleReport>(`/api/land/idle${asOf ? `?asOf=${asOf}` : ''}`);
      this.error = '';
    } catch (err) {
      this.error = (err as Error).message;
      this.loadedFor = null;
    }
  }
}

export const idleReport = new IdleReportState();
