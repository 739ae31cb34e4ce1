import { describe, expect, it } from 'vitest';
import { parseBbox, parseEnumList, parseId, parseIntInRange } from '../../server/lib/http.ts';
import { whereBuilder } from '../../server/lib/sqlBuilder.ts';
import { likePattern } from '../../server/routes/search.ts';

describe('request parsing', () => {
  it('parses a bbox and refuses bad ones with a reason', () => {
    expect(parseBbox('112.5,37.6,112.9,37.9')).toEqual([112.5, 37.6, 112.9, 37.9]);
    expect(() => parseBbox('112.5,37.6,112.9')).toThrow(/four numbers/);
    expect(() => parseBbox('112.5,37.6,112.9,NaN')).toThrow(/four numbers/);
    expect(() => parseBbox('37.6,112.5,37.9,112.9')).toThrow(/outside the world/);
    expect(() => parseBbox('112.9,37.6,112.5,37.9')).toThrow(/smaller than/);
  });
  it('parses ids, enum lists and ranges', () => {
    expect(parseId('42', 'Zone')).toBe(42);
    expect(() => parseId('4e2', 'Zone')).toThrow(/positive whole number/);
    expect(() => parseId('9999999999', 'Zone')).toThrow();
    expect(parseEnumList('a, b', 'x', ['a', 'b', 'c'])).toEqual(['a', 'b']);
    expect(() => parseEnumList('a,z', 'x', ['a', 'b'])).toThrow(/Unknown x "z"/);
    expect(parseIntInRange('5', 'limit', 1, 10)).toBe(5);
    expect(() => parseIntInRange('11', 'limit', 1, 10)).toThrow(/between 1 and 10/);
  });
});

describe('SQL building', () => {
  it('numbers placeholders in order and keeps values apart from the text', () => {
    const w = whereBuilder();
    w.add('a = $?', "x'; DROP TABLE t; --");
    w.add('b && ST_MakeEnvelope($?, $?, $?, $?, 4326)', 1, 2, 3, 4);
    const { text, values } = w.build();
    expect(text).toBe('(a = $1) AND (b && ST_MakeEnvelope($2, $3, $4, $5, 4326))');
    expect(values).toEqual(["x'; DROP TABLE t; --", 1, 2, 3, 4]);
    expect(() => w.add('c = $?')).toThrow(/Too few/);
  });
  it('escapes LIKE wildcards', () => {
    expect(likePattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});
