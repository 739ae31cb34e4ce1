/**
 * A parcel follows its project: when the project linked to it lands, starts, goes into production or
 * reaches capacity, the parcel moves to 已供应 / 已动工 / 已投产 / 已达产 with the project's date, never
 * backwards and never overwriting a date the parcel already has.
 */
import { PARCEL_STATUS_KEYS, type ParcelStatus } from './lifecycle.ts';

const FOLLOW: { stage: string; status: ParcelStatus; projectDate: string; parcelDate: string }[] = [
  { stage: 'landed', status: 'supplied', projectDate: 'landed_date', parcelDate: 'supplied_date' },
  { stage: 'started', status: 'started', projectDate: 'started_date', parcelDate: 'started_date' },
  { stage: 'producing', status: 'producing', projectDate: 'producing_date', parcelDate: 'producing_date' },
  { stage: 'at_capacity', status: 'at_capacity', projectDate: 'at_capacity_date', parcelDate: 'at_capacity_date' },
];

/**
 * The changes to make to the parcel (status and missing dates), or null when it is already as far.
 * Example: project started 2026-05-01 (landed 2026-03-01), parcel available →
 * { status: 'started', supplied_date: '2026-03-01', started_date: '2026-05-01' }.
 */
export function parcelFollowsProject(project: Record<string, unknown>, parcel: Record<string, unknown>): Record<string, string> | null {
  const rank = (s: unknown) => PARCEL_STATUS_KEYS.indexOf(s as ParcelStatus);
  const steps = FOLLOW.filter((f) => typeof project[f.projectDate] === 'string' && project[f.projectDate]);
  if (steps.length === 0) return null;
  const target = steps[steps.length - 1].status;
  if (rank(target) <= rank(parcel.status)) return null;
  const changes: Record<string, string> = { status: target };
  for (const f of steps) if (!parcel[f.parcelDate]) changes[f.parcelDate] = project[f.projectDate] as string;
  return changes;
}
