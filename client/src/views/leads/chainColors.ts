/** The chain map's dot colours, shared by the map and its legend. */
export type ChainPointKind = 'firm' | 'owner' | 'project' | 'lead' | 'parcel';
export const KIND_COLORS: Record<ChainPointKind, string> = {
  owner: '#8a1f6b',
  firm: '#2c7fb8',
  project: '#dd6b20',
  lead: '#38a169',
  parcel: '#718096',
};
