import { describe, expect, it } from 'vitest';
import { GB4754_SECTIONS, INDUSTRY_CHAINS, chainsMentionedIn, industrySearchTerms, matchesIndustry } from '../../domain/industries.ts';

describe('GB/T 4754-2017', () => {
  it('has its 20 sections and 97 divisions, numbered 01–97 without gaps', () => {
    expect(GB4754_SECTIONS.map((s) => s.code).join('')).toBe('ABCDEFGHIJKLMNOPQRST');
    const codes = GB4754_SECTIONS.flatMap((s) => s.divisions.map((d) => d.code));
    expect(codes).toEqual(Array.from({ length: 97 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(GB4754_SECTIONS.find((s) => s.code === 'C')!.divisions).toHaveLength(31);
  });
});

describe('industry search', () => {
  it('finds the 光伏 and 储能 parcels for 新能源, which neither text contains', () => {
    expect(matchesIndustry('光伏组件、电池片', '新能源')).toBe(true);
    expect(matchesIndustry('储能电站配套', '新能源')).toBe(true);
    expect(matchesIndustry('特钢、装备制造', '新能源')).toBe(false);
  });

  it('reads synonyms both ways: 锂电 finds 新能源电池, 新能源电池 finds 锂电', () => {
    expect(matchesIndustry('新能源电池', '锂电')).toBe(true);
    expect(matchesIndustry('锂电池正极材料', '新能源电池')).toBe(true);
    expect(matchesIndustry('锂电池正极材料', '光伏')).toBe(false);
  });

  it('takes a GB/T 4754 division by code or name', () => {
    expect(industrySearchTerms('27')).toEqual(['27', '医药制造业']);
    expect(matchesIndustry('医药制造业', '27')).toBe(true);
  });

  it('keeps an unknown word as it is, and ignores case in Latin letters', () => {
    expect(industrySearchTerms(' ABC ')).toEqual(['abc']);
    expect(matchesIndustry('abc 材料', 'ABC')).toBe(true);
    expect(industrySearchTerms('')).toEqual([]);
    expect(matchesIndustry(null, '光伏')).toBe(false);
  });

  it('places a text on the chains it names', () => {
    expect(chainsMentionedIn('晶科能源年产56GW光伏一体化及储能').map((c) => c.key)).toEqual(['storage', 'photovoltaic']);
    expect(chainsMentionedIn('碳化硅衬底')[0].key).toBe('semiconductor');
    expect(chainsMentionedIn('物流仓储')).toEqual([]);
  });

  it('gives every chain a unique key and at least one GB/T 4754 division that exists', () => {
    const codes = new Set(GB4754_SECTIONS.flatMap((s) => s.divisions.map((d) => d.code)));
    expect(new Set(INDUSTRY_CHAINS.map((c) => c.key)).size).toBe(INDUSTRY_CHAINS.length);
    for (const c of INDUSTRY_CHAINS)
      expect(
        c.divisions.every((d) => codes.has(d)),
        c.key,
      ).toBe(true);
  });
});
