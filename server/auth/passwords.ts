/** Password hashing with bcrypt (bcryptjs: pure JavaScript, so nothing to compile on the server). */
import { readFileSync } from 'node:fs';
import bcrypt from 'bcryptjs';

/** Work factor; tests lower it through BCRYPT_COST to stay fast. The cost is stored in each hash. */
function cost(): number {
  const n = Number(process.env.BCRYPT_COST ?? 12);
  return Number.isInteger(n) && n >= 4 && n <= 15 ? n : 12;
}

export const MIN_PASSWORD_LENGTH = 10;

/** The most common passwords (data/passwords/README.md says where they come from), lower-cased. */
const COMMON_PASSWORDS = new Set(
  readFileSync(new URL('../../data/passwords/common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.trim().toLowerCase())
    .filter(Boolean),
);

/** The app's own names: "parkatlas2026" guesses easily. */
const APP_NAMES = ['parkatlas', 'park', 'atlas', '园区一张图', '一张图', 'yuanquyizhangtu'];

/**
 * What is left of a password without digits and symbols ("Password-2026!" → "password"): a common word
 * with numbers stuck on guesses as fast as the word.
 */
const core = (text: string) => text.toLowerCase().replace(/[^\p{L}]/gu, '');

/** Why a password is refused (in Chinese and English), or null when it is acceptable. */
export function checkPasswordStrength(password: unknown, username?: string): string | null {
  if (typeof password !== 'string') return '密码须为文字。 The password must be text.';
  if (password.length < MIN_PASSWORD_LENGTH)
    return `密码至少需要 ${MIN_PASSWORD_LENGTH} 个字符。 The password must have at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > 72) return '密码最多 72 个字符。 The password must have at most 72 characters.';
  const lower = password.toLowerCase();
  const letters = core(password);
  // One character or a short group over and over: "aaaaaaaaaa", "abcabcabcabc", "1212121212".
  if (/^(.{1,3})\1+$/su.test(lower)) return '密码不能是重复的字符。 The password must not be one character or a short group repeated.';
  if (COMMON_PASSWORDS.has(lower) || (letters.length >= 4 && COMMON_PASSWORDS.has(letters))) {
    return '这是常见密码，很容易被猜中，请换一个。 This is a common password that is easily guessed: choose another.';
  }
  if (username && (lower === username.toLowerCase() || (letters.length > 0 && letters === core(username)))) {
    return '密码不能是用户名。 The password must not be the username.';
  }
  if (APP_NAMES.some((name) => letters === core(name) || lower.includes('园区一张图'))) {
    return '密码不能是本系统的名称。 The password must not be the name of this application.';
  }
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, cost());
}

// A hash to compare against when the user does not exist, so that the answer takes as long either way.
let dummyHash: Promise<string> | null = null;

export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  if (!hash) {
    dummyHash ??= bcrypt.hash('not a real password', cost());
    await bcrypt.compare(password, await dummyHash);
    return false;
  }
  return bcrypt.compare(password, hash);
}
