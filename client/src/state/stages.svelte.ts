/**
 * The configured project stage list (GET /api/supervision/stages): names and colours of the stages for
 * pins, legend, timelines and forms; the default list until the server's arrives.
 */
import { DEFAULT_STAGE_LIST, stageOf, type StageDef } from '../../../domain/projectStages.ts';

class StageList {
  list = $state.raw<StageDef[]>([...DEFAULT_STAGE_LIST]);
  version = $state(0);

  async load(): Promise<void> {
    const res = await fetch('/api/supervision/stages', { headers: { Accept: 'application/json' } });
    if (!res.ok) return;
    const body = (await res.json()) as { stages: StageDef[]; version: number };
    this.list = body.stages;
    this.version = body.version;
  }

  /** The stage of a key (a stand-in for a key the list no longer has). */
  of = (key: string): StageDef => stageOf(this.list, key);
}

export const stageList = new StageList();
