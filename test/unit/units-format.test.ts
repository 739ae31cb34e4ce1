import { describe, expect, it } from 'vitest';
import { areaMuFromSquareMetres, muFromHectares, perHectareFromPerMu, perMuFromPerHectare, squareMetresFromMu, yiFromWan } from '../../domain/units.ts';
import { formatAreaMu, formatDate, formatNumber, formatPercent, formatSquareMetres, formatWan } from '../../domain/format.ts';

describe('units', () => {
  it('converts 亩 and m² (1 亩 = 10000/15 m²)', () => {
    expect(squareMetresFromMu(15)).toBe(10000);
    expect(squareMetresFromMu(1)).toBeCloseTo(666.6667, 4);
    expect(areaMuFromSquareMetres(1_000_000)).toBeCloseTo(1500, 9); // 1 km² = 1500 亩
    expect(areaMuFromSquareMetres(squareMetresFromMu(272.79))).toBeCloseTo(272.79, 9);
  });
  it('converts hectares, 亿元 and per-mu to per-hectare figures', () => {
    expect(muFromHectares(2)).toBe(30);
    expect(yiFromWan(68000)).toBe(6.8);
    expect(perHectareFromPerMu(300)).toBe(4500); // 300 万元/亩 = 4500 万元/公顷
    // The national reference 8,984 万元/公顷 is 598.93 万元/亩 (8984 ÷ 15 = 598.933…); 679 万元/公顷 → 45.27 万元/亩.
    expect(perMuFromPerHectare(4500)).toBe(300);
    expect(perMuFromPerHectare(8984)).toBeCloseTo(598.9333, 4);
    expect(perMuFromPerHectare(679)).toBeCloseTo(45.2667, 4);
  });
});

describe('formatting', () => {
  it('shows areas in 亩 with m² on request', () => {
    expect(formatAreaMu(666_666.67)).toBe('1,000.00 亩');
    expect(formatAreaMu(10000, 'en', 1)).toBe('15.0 mu');
    expect(formatSquareMetres(1234.5)).toBe('1,235 m²');
    expect(formatAreaMu(null)).toBe('—');
  });
  it('shows money in 万元, and in 亿元 from 1 亿 up', () => {
    expect(formatWan(3500)).toBe('3,500 万元');
    expect(formatWan(68000)).toBe('6.80 亿元');
    expect(formatWan(400000, 'en')).toBe('40.00 100M CNY');
    expect(formatWan(undefined)).toBe('—');
  });
  it('shows dates as YYYY-MM-DD whatever they come as', () => {
    expect(formatDate('2025-06-30')).toBe('2025-06-30');
    expect(formatDate('2025-06-30T16:00:00.000Z')).toBe('2025-06-30');
    expect(formatDate(new Date(2024, 0, 5))).toBe('2024-01-05');
    expect(formatDate(null)).toBe('—');
    expect(formatDate('not a date')).toBe('—');
  });
  it('shows percentages to two decimals and numbers with separators', () => {
    expect(formatPercent(0.12345)).toBe('12.35%');
    expect(formatPercent(Number.NaN)).toBe('—');
    expect(formatNumber(12345.678, 1)).toBe('12,345.7');
  });
});
