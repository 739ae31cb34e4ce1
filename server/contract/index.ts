/** Every route's contract, for the OpenAPI document and the tests that walk all routes. */
import type { Contract } from './define.ts';
import * as meta from './meta.ts';
import * as auth from './auth.ts';
import * as users from './users.ts';
import * as audit from './audit.ts';
import * as zones from './zones.ts';
import * as parcels from './parcels.ts';
import * as extensions from './extensions.ts';
import * as projects from './projects.ts';
import * as search from './search.ts';
import * as tiles from './tiles.ts';
import * as shortlists from './shortlists.ts';
import * as land from './land.ts';
import * as mujun from './mujun.ts';
import * as supervision from './supervision.ts';
import * as indicators from './indicators.ts';
import * as imports from './imports.ts';
import * as exports from './exports.ts';
import * as publicCatalogue from './public.ts';
import * as backup from './backup.ts';
import * as leads from './leads.ts';
import * as tours from './tours.ts';
import * as evaluation from './evaluation.ts';
import * as service from './service.ts';
import * as chains from './chains.ts';
import * as events from './events.ts';
import * as transfers from './transfers.ts';
import * as factories from './factories.ts';
import * as statistics from './statistics.ts';

const modules: Record<string, unknown>[] = [
  meta,
  auth,
  users,
  audit,
  zones,
  parcels,
  extensions,
  projects,
  search,
  tiles,
  shortlists,
  land,
  mujun,
  supervision,
  indicators,
  imports,
  exports,
  publicCatalogue,
  backup,
  leads,
  tours,
  evaluation,
  service,
  chains,
  events,
  transfers,
  factories,
  statistics,
];

function isContract(value: unknown): value is Contract {
  return typeof value === 'object' && value !== null && 'method' in value && 'path' in value && 'responses' in value;
}

export const allContracts: Contract[] = modules.flatMap((m) => Object.values(m).filter(isContract));
