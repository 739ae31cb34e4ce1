/** The kinds of record the audit log knows; the audit routes filter by them (the contract and the client use the list too). */
export const AUDIT_ENTITIES = [
  'zone',
  'parcel',
  'project',
  'user',
  'shortlist',
  'setting',
  'zone_indicator',
  'zone_target',
  'round',
  'import',
  'parcel_extension',
  'lead',
  'promotion_event',
  'land_transfer',
  'transfer_acceptance',
  'supply_target',
  'factory_lease',
  'enterprise',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];
