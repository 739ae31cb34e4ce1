import { describe, expect, it } from 'vitest';
import { checkPasswordStrength } from '../../server/auth/passwords.ts';

describe('password policy', () => {
  it.each([
    ['short', 'at least 10 characters'],
    ['qwertyuiop', 'common password'],
    ['1234567890', 'common password'],
    ['Password2026!', 'common password'],
    ['aaaaaaaaaaaa', 'repeated'],
    ['abcabcabcabc', 'repeated'],
    ['ParkAtlas-2026', 'name of this application'],
    ['园区一张图园区一张图', 'name of this application'],
  ])('refuses %s (%s), in Chinese and English', (password, reason) => {
    const message = checkPasswordStrength(password, 'someone');
    expect(message).toContain(reason);
    expect(message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('refuses the username, with digits or symbols added', () => {
    expect(checkPasswordStrength('yuci.planner', 'yuci.planner')).toMatch(/username/);
    expect(checkPasswordStrength('yuciplanner-2026', 'yuci.planner')).toMatch(/username/);
  });

  it('accepts a password that is none of these', () => {
    expect(checkPasswordStrength('a-good-password', 'yuci.planner')).toBeNull();
    expect(checkPasswordStrength('demo-planner-2026', 'planner')).toBeNull();
    expect(checkPasswordStrength('桃花潭水深千尺2026', 'someone')).toBeNull();
  });
});
