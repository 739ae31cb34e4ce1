/**
 * Area and money units used throughout the app.
 * 1 亩 = 10000/15 m² ≈ 666.67 m²; 1 公顷 = 15 亩; 1 km² = 1500 亩.
 */
export const SQUARE_METRES_PER_MU = 10000 / 15;
export const MU_PER_HECTARE = 15;
export const MU_PER_SQUARE_KM = 1500;

/** Square metres → 亩. Example: areaMuFromSquareMetres(666.6667) ≈ 1. */
export function areaMuFromSquareMetres(areaM2: number): number {
  return areaM2 / SQUARE_METRES_PER_MU;
}

/** 亩 → square metres. Example: squareMetresFromMu(15) = 10000. */
export function squareMetresFromMu(areaMu: number): number {
  return areaMu * SQUARE_METRES_PER_MU;
}

/** Hectares → 亩. Example: muFromHectares(2) = 30. */
export function muFromHectares(areaHa: number): number {
  return areaHa * MU_PER_HECTARE;
}

/** 万元 → 亿元. Example: yiFromWan(68000) = 6.8. */
export function yiFromWan(amountWan: number): number {
  return amountWan / 10000;
}

/** 万元/亩 → 万元/公顷 (the national intensive-use indicators are per hectare). */
export function perHectareFromPerMu(valueWanPerMu: number): number {
  return valueWanPerMu * MU_PER_HECTARE;
}

/** 万元/公顷 → 万元/亩, the unit the app shows first (the national figure stays on hover). Example: perMuFromPerHectare(4500) = 300. */
export function perMuFromPerHectare(valueWanPerHectare: number): number {
  return valueWanPerHectare / MU_PER_HECTARE;
}
