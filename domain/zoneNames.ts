/**
 * Short names and aliases of development zones, as people say and search them: 大同经开区 for
 * 大同经济技术开发区, 阳泉高新区 for 阳泉高新技术产业开发区. One rule list, used by the search box, the scope
 * picker and export file names.
 */

/** Long form → short form, longest first (the first that matches the end of a name wins). */
export const ZONE_SUFFIX_RULES: readonly { long: string; short: string }[] = [
  { long: '国家农业高新技术产业示范区', short: '农高区' },
  { long: '高新技术产业开发区', short: '高新区' },
  { long: '经济技术开发区', short: '经开区' },
  { long: '综合改革示范区', short: '综改区' },
  { long: '经济开发区', short: '经开区' },
];

/** The short name people use: 大同经济技术开发区 → 大同经开区; a name without a known suffix stays as it is. */
export function shortZoneName(name: string): string {
  for (const r of ZONE_SUFFIX_RULES) if (name.endsWith(r.long) && name.length > r.long.length) return name.slice(0, -r.long.length) + r.short;
  return name;
}

/**
 * Other ways a query may name a zone: each short form in the text is also tried in its long forms, and a bare
 * 开发区 as 经济技术开发区 / 高新技术产业开发区 (大同开发区 → 大同经济技术开发区). The query itself comes first.
 */
export function expandZoneQuery(query: string): string[] {
  const out = [query];
  const add = (s: string) => {
    if (!out.includes(s)) out.push(s);
  };
  for (const r of ZONE_SUFFIX_RULES) if (query.includes(r.short)) add(query.replace(r.short, r.long));
  if (query.includes('开发区') && !query.includes('技术') && !query.includes('经济开发区')) {
    add(query.replace('开发区', '经济技术开发区'));
    add(query.replace('开发区', '高新技术产业开发区'));
  }
  if (query.endsWith('经开') || query.endsWith('高新')) add(`${query}区`);
  return out;
}
