/**
 * The 亩均 evaluation shown on the map and in its list: the saved scheme's, or a what-if preview with an
 * unsaved scheme. The classes (and the quintiles of an indicator) come from domain/mujun.ts on the server,
 * as parcel ids by class: the page never holds every enterprise's record.
 */
import type { MujunClass, MujunIndicator, MujunScheme } from '../../../domain/mujun.ts';
import type { ResponseOf } from '../../../server/contract/define.ts';
import type * as c from '../../../server/contract/mujun.ts';
import { api, send } from '../lib/api.ts';
import { scopeState } from './scope.svelte.ts';

/** GET /api/land/mujun (with the scheme's version) or POST /api/land/mujun/preview (without). */
export type MujunEvaluation = ResponseOf<typeof c.previewMujun> & { version?: number };

class MujunState {
  evaluation = $state.raw<MujunEvaluation | null>(null);
  /** True while the list shows a preview of an unsaved scheme. */
  previewing = $state(false);
  /** The scope the evaluation was loaded for (state/scope.svelte.ts). */
  loadedFor = $state<string | null>(null);
  error = $state('');
  /** What the map shows: the class, or one indicator's value in quantile classes. */
  measure = $state<'class' | MujunIndicator>('class');
  /** The quantile breaks of the indicator mapped (none for the class). */
  breaks = $derived(this.evaluation?.map.values?.breaks ?? []);
  private previewScheme: MujunScheme | null = null;

  private get measureParam(): MujunIndicator | undefined {
    return this.measure === 'class' ? undefined : this.measure;
  }

  async load(): Promise<void> {
    const scope = scopeState.query;
    const params = new URLSearchParams(scope);
    if (this.measureParam) params.set('measure', this.measureParam);
    try {
      this.evaluation = await api.get<MujunEvaluation>(`/api/land/mujun${params.size ? `?${params}` : ''}`);
      this.loadedFor = scope;
      this.previewing = false;
      this.previewScheme = null;
      this.error = '';
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async preview(scheme: MujunScheme): Promise<void> {
    this.evaluation = await send<MujunEvaluation>('POST', '/api/land/mujun/preview', {
      scheme,
      zone: scopeState.zoneIds?.join(',') ?? null,
      measure: this.measureParam,
    });
    this.previewing = true;
    this.previewScheme = scheme;
  }

  /** Maps another indicator (or the class): the evaluation shown, saved or previewed, is asked again. */
  async setMeasure(measure: 'class' | MujunIndicator): Promise<void> {
    this.measure = measure;
    if (this.previewing && this.previewScheme) await this.preview(this.previewScheme);
    else await this.load();
  }

  /** The class each parcel is shown in (the best among the rated enterprises on it). */
  parcelClasses(): Map<number, MujunClass> {
    const out = new Map<number, MujunClass>();
    for (const [cls, ids] of Object.entries(this.evaluation?.map.classes ?? {}) as [MujunClass, number[]][]) for (const id of ids) out.set(id, cls);
    return out;
  }

  /** Each parcel's quantile class (0 = lowest) of the indicator mapped. */
  parcelValueClasses(): Map<number, number> {
    const out = new Map<number, number>();
    (this.evaluation?.map.values?.parcels ?? []).forEach((ids, q) => ids.forEach((id) => out.set(id, q)));
    return out;
  }
}

export const mujun = new MujunState();
