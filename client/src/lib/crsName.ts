/**
 * A coordinate system's name as the server gives it (Chinese, e.g. "CGCS2000 高斯-克吕格 3度带 中央经线 111°E
 * (EPSG:4546)"), in English for the English mode.
 */
const WORDS: [RegExp, string][] = [
  [/经纬度/g, 'geographic'],
  [/高斯-克吕格/g, 'Gauss–Krüger'],
  [/(\d)度带/g, '$1° zones'],
  [/中央经线/g, 'central meridian'],
  [/第(\d+)带（带号前缀）/g, 'zone $1 (zone-number prefix)'],
];

export function crsName(name: string, lang: 'zh' | 'en'): string {
  return lang === 'zh' ? name : WORDS.reduce((s, [from, to]) => s.replace(from, to), name);
}
