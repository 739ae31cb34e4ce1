/** A supplied, unstarted parcel for the idle-land rule's unit tests; each test changes what it is about. */
import type { IdleLandInput } from '../../domain/idleLand.ts';

export const suppliedParcel = (over: Partial<IdleLandInput> = {}): IdleLandInput => ({
  status: 'supplied',
  supplied_date: '2023-01-10',
  agreed_start_date: '2023-06-01',
  started_date: null,
  planned_building_area_m2: 30000,
  developed_area_m2: 0,
  agreed_investment_wan: 10000,
  invested_wan: 0,
  work_stopped_since: null,
  land_price_wan: 500,
  ...over,
});
