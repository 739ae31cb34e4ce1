/**
 * The 亩均 evaluation shown on the map and in its list: the saved scheme's, or a what-if preview with an
 * unsaved scheme. The classes come from domain/mujun.ts on the server.
 */
import type { MujunClass, MujunIndicator, MujunResult, MujunScheme } from '../../../domain/mujun.ts';
import { quantileBreaks, quantileClass } from '../../../domain/quantiles.ts';
import { api, send } from '../lib/api.ts';

export interface MujunEvaluation {
  version?: number;
  scheme: MujunScheme;
  classes: Record<MujunClass, number>;
  rated: MujunResult[];
  not_rated: MujunResult[];
  zones: { zone_id: number; zone_name: string; output_wan: number; land_mu: number; output_per_mu: number | null }[];
}

class MujunState {
  evaluation = $state.raw<MujunEvaluation | null>(null);
  /** True while the list shows a preview of an unsaved scheme. */
  previewing = $state(false);
  zone = $state<number | null>(null);
  error = $state('');
  /** What the map shows: the class, or one indicator's value in quantile classes. */
  measure = $state<'class' | MujunIndicator>('class');
  /** The chosen indicator's quantile breaks over the rated enterprises (none for the class). */
  breaks = $derived(this.valueBreaks());

  async load(): Promise<void> {
    try {
      this.evaluation = await api.get<MujunEvaluation>(`/api/land/mujun${this.zone ? `?zone=${this.zone}` : ''}`);
      this.previewing = false;
      this.error = '';
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async preview(scheme: MujunScheme): Promise<void> {
    this.evaluation = await send<MujunEvaluation>('POST', '/api/land/mujun/preview', { scheme, zone: this.zone });
    this.previewing = true;
  }

  /** The class of each parcel: its owner's (or, with no rated owner, the best class of its users). */
  parcelClasses(): Map<number, MujunClass> {
    const out = new Map<number, MujunClass>();
    for (const r of this.evaluation?.rated ?? []) {
      for (const id of r.parcel_ids) {
        const current = out.get(id);
        if (!current || r.class! < current) out.set(id, r.class!);
      }
    }
    return out;
  }

  private valueBreaks(): number[] {
    const m = this.measure;
    if (m === 'class') return [];
    return quantileBreaks((this.evaluation?.rated ?? []).map((r) => r.values[m]).filter((v): v is number => typeof v === 'number'), QUANTILE_CLASSES);
  }

  /**
   * Each parcel's quantile class of the chosen indicator: the best value among the rated enterprises on it
   * (every indicator is "more is better"), so a parcel reads like its class colour.
   */
  parcelValueClasses(breaks: number[]): Map<number, number> {
    const m = this.measure;
    const best = new Map<number, number>();
    if (m === 'class') return best;
    for (const r of this.evaluation?.rated ?? []) {
      const v = r.values[m];
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      for (const id of r.parcel_ids) if (!best.has(id) || v > best.get(id)!) best.set(id, v);
    }
    return new Map([...best].map(([id, v]) => [id, quantileClass(v, breaks)]));
  }
}

export const QUANTILE_CLASSES = 5;

export const mujun = new MujunState();
