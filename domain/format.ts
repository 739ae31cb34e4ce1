/**
 * Formatting of areas, money and dates for display. Pure: the caller chooses the language.
 */
import { areaMuFromSquareMetres, yiFromWan } from './units.ts';

export type Lang = 'zh' | 'en';

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(lang: Lang, digits: number): Intl.NumberFormat {
  const key = `${lang}:${digits}`;
  let f = numberFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    numberFormats.set(key, f);
  }
  return f;
}

/** A plain number with thousands separators, e.g. formatNumber(12345.678, 2) = "12,345.68". */
export function formatNumber(value: number | null | undefined, digits = 2, lang: Lang = 'zh'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return numberFormat(lang, digits).format(value);
}

/** An area given in m², shown in 亩: formatAreaMu(666666.7) = "1,000.00 亩". */
export function formatAreaMu(areaM2: number | null | undefined, lang: Lang = 'zh', digits = 2): string {
  if (areaM2 === null || areaM2 === undefined || !Number.isFinite(areaM2)) return '—';
  return `${formatNumber(areaMuFromSquareMetres(areaM2), digits, lang)} ${lang === 'zh' ? '亩' : 'mu'}`;
}

/** An area in m²: formatSquareMetres(1234.5) = "1,235 m²". */
export function formatSquareMetres(areaM2: number | null | undefined, lang: Lang = 'zh'): string {
  if (areaM2 === null || areaM2 === undefined || !Number.isFinite(areaM2)) return '—';
  return `${formatNumber(areaM2, 0, lang)} m²`;
}

/**
 * Money given in 万元. Amounts of 1 亿元 and more are shown in 亿元 (zone totals), smaller ones in 万元:
 * formatWan(68000) = "6.80 亿元", formatWan(3500) = "3,500 万元".
 */
export function formatWan(amountWan: number | null | undefined, lang: Lang = 'zh'): string {
  if (amountWan === null || amountWan === undefined || !Number.isFinite(amountWan)) return '—';
  if (Math.abs(amountWan) >= 10000) {
    return `${formatNumber(yiFromWan(amountWan), 2, lang)} ${lang === 'zh' ? '亿元' : '100M CNY'}`;
  }
  return `${formatNumber(amountWan, 0, lang)} ${lang === 'zh' ? '万元' : '10k CNY'}`;
}

const UNIT_EN: Readonly<Record<string, string>> = {
  亩: 'mu',
  万元: '10k CNY',
  亿元: '100M CNY',
  '万元/亩': '10k CNY/mu',
  '万元/亩/年': '10k CNY/mu/yr',
  '万元/公顷': '10k CNY/ha',
  '吨标煤/万元': 'tce/10k CNY',
  '万元/吨标煤': '10k CNY/tce',
  '万元/吨': '10k CNY/t',
  '万元/人': '10k CNY/person',
  公顷: 'ha',
  天: 'days',
  个: '',
};

/** A unit's name in the language asked for: unitName('万元/亩', 'en') = '10k CNY/mu'; an unknown unit as it is. */
export function unitName(unit: string, lang: Lang): string {
  return lang === 'en' ? (UNIT_EN[unit] ?? unit) : unit;
}

/** A date as YYYY-MM-DD whatever the input form (Date, ISO string with time); '—' when absent. */
export function formatDate(value: string | Date | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') {
    const m = /^(\d{4}-\d{2}-\d{2})/.exec(value);
    if (m) return m[1];
    value = new Date(value);
  }
  if (Number.isNaN(value.getTime())) return '—';
  const y = value.getFullYear();
  const mo = String(value.getMonth() + 1).padStart(2, '0');
  const d = String(value.getDate()).padStart(2, '0');
  return `${y}-${mo}-${d}`;
}

/** A share 0..1 as a percentage with two decimals: formatPercent(0.12345) = "12.35%". */
export function formatPercent(share: number | null | undefined, lang: Lang = 'zh'): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return '—';
  return `${formatNumber(share * 100, 2, lang)}%`;
}
