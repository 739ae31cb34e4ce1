/** Whether the data is the generated demo: a fact stored with the data (data/seed.ts writes it), read here. */
import { DATASET_SETTING, type DatasetFact } from '../../data/seed.ts';
import type { Queryable } from '../db/types.ts';

/** The demo's facts, or null for the operator's own data. */
export async function demoFacts(db: Queryable): Promise<{ asOf: string; illustrative: boolean } | null> {
  const [fact] = await db.query<{ value: DatasetFact }>('SELECT value FROM settings WHERE key = $1', [DATASET_SETTING]);
  return fact?.value.demo ? { asOf: fact.value.asOf, illustrative: fact.value.illustrative } : null;
}
