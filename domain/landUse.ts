/**
 * Land-use classes of the 2023 classification. The table itself lives in land-use-codes.json so that a
 * wrong code or colour is corrected in one data file.
 */
import table from './land-use-codes.json' with { type: 'json' };

export interface LandUseClass {
  code: string;
  zh: string;
  en: string;
  parent?: string;
  color?: string;
}

export const LAND_USE_CLASSES: readonly LandUseClass[] = table.classes;
const byCode = new Map(LAND_USE_CLASSES.map((c) => [c.code, c]));

/** The first-level classes (two-digit codes), the ones the map colours by. */
export const FIRST_LEVEL_LAND_USES: readonly (LandUseClass & { color: string })[] = LAND_USE_CLASSES.filter(
  (c): c is LandUseClass & { color: string } => c.code.length === 2 && typeof c.color === 'string',
);

export function isKnownLandUseCode(code: string): boolean {
  return byCode.has(code);
}

export function landUseClass(code: string): LandUseClass | undefined {
  return byCode.get(code);
}

/** The first-level code of any code of the classification: "100102" → "10". */
export function firstLevelLandUse(code: string): string {
  return code.slice(0, 2);
}

/** Industrial (工业, 1001xx) land: the land that 亩均 figures and investment-intensity rules apply to. */
export function isIndustrialLandUse(code: string): boolean {
  return code.startsWith('1001');
}
