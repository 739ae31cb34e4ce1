/**
 * The life of a parcel and of a project: ordered steps, each with the date column that records it and the
 * colour the map uses for it.
 */

export const PARCEL_STATUSES = [
  { key: 'reserve', zh: '储备', en: 'Reserve', dateField: 'reserve_date', color: '#cbd5e0' },
  { key: 'available', zh: '可供应', en: 'Available', dateField: 'available_date', color: '#38b2ac' },
  { key: 'supplied', zh: '已供应', en: 'Supplied', dateField: 'supplied_date', color: '#ecc94b' },
  { key: 'started', zh: '已动工', en: 'Started', dateField: 'started_date', color: '#ed8936' },
  { key: 'completed', zh: '已竣工', en: 'Completed', dateField: 'completed_date', color: '#9f7aea' },
  { key: 'producing', zh: '已投产', en: 'Producing', dateField: 'producing_date', color: '#3182ce' },
  { key: 'at_capacity', zh: '已达产', en: 'At capacity', dateField: 'at_capacity_date', color: '#2c5282' },
] as const;

export type ParcelStatus = (typeof PARCEL_STATUSES)[number]['key'];
export const PARCEL_STATUS_KEYS: readonly ParcelStatus[] = PARCEL_STATUSES.map((s) => s.key);

export function isParcelStatus(value: string): value is ParcelStatus {
  return (PARCEL_STATUS_KEYS as readonly string[]).includes(value);
}

/** Position in the life, 0 = reserve. Used to tell "at least supplied" and the like. */
export function parcelStatusRank(status: ParcelStatus): number {
  return PARCEL_STATUS_KEYS.indexOf(status);
}

/** Default project stages. Some cities use more; issue "projects" makes the list configurable. */
export const PROJECT_STAGES = [
  { key: 'planned', zh: '谋划', en: 'Planned', dateField: 'planned_date', color: '#a0aec0' },
  { key: 'signed', zh: '签约', en: 'Signed', dateField: 'signed_date', color: '#d69e2e' },
  { key: 'landed', zh: '落地', en: 'Landed', dateField: 'landed_date', color: '#dd6b20' },
  { key: 'started', zh: '开工', en: 'Started', dateField: 'started_date', color: '#e53e3e' },
  { key: 'producing', zh: '投产', en: 'Producing', dateField: 'producing_date', color: '#3182ce' },
  { key: 'at_capacity', zh: '达产', en: 'At capacity', dateField: 'at_capacity_date', color: '#38a169' },
] as const;

export type ProjectStage = (typeof PROJECT_STAGES)[number]['key'];
export const PROJECT_STAGE_KEYS: readonly ProjectStage[] = PROJECT_STAGES.map((s) => s.key);

export function isProjectStage(value: string): value is ProjectStage {
  return (PROJECT_STAGE_KEYS as readonly string[]).includes(value);
}

export const ZONE_LEVELS = [
  { key: 'national', zh: '国家级', en: 'National' },
  { key: 'provincial', zh: '省级', en: 'Provincial' },
] as const;
export type ZoneLevel = (typeof ZONE_LEVELS)[number]['key'];

/** 七通一平 / 九通一平: the infrastructure checklist of a parcel. `nine` marks the two extra items of 九通. */
export const INFRASTRUCTURE_ITEMS = [
  { key: 'road', zh: '通路', en: 'Road' },
  { key: 'power', zh: '通电', en: 'Power' },
  { key: 'water', zh: '通给水', en: 'Water supply' },
  { key: 'drainage', zh: '通排水', en: 'Drainage' },
  { key: 'telecom', zh: '通讯', en: 'Telecom' },
  { key: 'gas', zh: '通燃气', en: 'Gas' },
  { key: 'heat', zh: '通热力', en: 'Heat' },
  { key: 'cable_tv', zh: '通有线电视', en: 'Cable TV', nine: true },
  { key: 'sewage', zh: '通污水', en: 'Sewage', nine: true },
  { key: 'levelled', zh: '场地平整', en: 'Levelled ground' },
] as const;
export type InfrastructureKey = (typeof INFRASTRUCTURE_ITEMS)[number]['key'];
export type InfrastructureChecklist = Partial<Record<InfrastructureKey, boolean>>;

/** "七通一平" when the seven and the levelling are done, "九通一平" with all nine, otherwise null. */
export function infrastructureGrade(list: InfrastructureChecklist): '九通一平' | '七通一平' | null {
  const seven = INFRASTRUCTURE_ITEMS.filter((i) => !('nine' in i)).every((i) => list[i.key]);
  if (!seven) return null;
  const nine = INFRASTRUCTURE_ITEMS.every((i) => list[i.key]);
  return nine ? '九通一平' : '七通一平';
}

/** The grades in words: 七通一平 is "7 utilities + levelled" in English. */
export const INFRASTRUCTURE_GRADE_NAMES = {
  七通一平: { zh: '七通一平', en: '7 utilities + levelled' },
  九通一平: { zh: '九通一平', en: '9 utilities + levelled' },
} as const;

/** infrastructureGrade in the language asked for; null below 七通一平. */
export function infrastructureGradeName(list: InfrastructureChecklist, lang: 'zh' | 'en'): string | null {
  const grade = infrastructureGrade(list);
  return grade ? INFRASTRUCTURE_GRADE_NAMES[grade][lang] : null;
}
