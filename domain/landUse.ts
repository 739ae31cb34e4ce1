/**
 * Land-use classes of the 2023 classification (《国土空间调查、规划、用途管制用地用海分类指南》): all 24
 * first-level classes (01–24), their second-level (4-digit) and third-level (6-digit) classes. The table
 * itself lives in land-use-codes.json so that a wrong code, name or colour is corrected in one data file.
 */
import table from './land-use-codes.json' with { type: 'json' };

export interface LandUseClass {
  code: string;
  zh: string;
  en: string;
  /** The class one level up (absent on first-level classes). */
  parent?: string;
  /** First-level classes only: the map colours every code by its first level. */
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

/** The colour of any code of the classification: its first level's ("110101" colours as 11 仓储用地). */
export function landUseColor(code: string): string | undefined {
  return byCode.get(firstLevelLandUse(code))?.color;
}

/** Industrial (工业, 1001xx) land: the land that 亩均 figures and investment-intensity rules apply to. */
export function isIndustrialLandUse(code: string): boolean {
  return code.startsWith('1001');
}
