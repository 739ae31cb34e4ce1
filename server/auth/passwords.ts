/** Password hashing with bcrypt (bcryptjs: pure JavaScript, so nothing to compile on the server). */
import bcrypt from 'bcryptjs';

/** Work factor; tests lower it through BCRYPT_COST to stay fast. The cost is stored in each hash. */
function cost(): number {
  const n = Number(process.env.BCRYPT_COST ?? 12);
  return Number.isInteger(n) && n >= 4 && n <= 15 ? n : 12;
}

export const MIN_PASSWORD_LENGTH = 10;

export function checkPasswordStrength(password: unknown): string | null {
  if (typeof password !== 'string') return 'The password must be text.';
  if (password.length < MIN_PASSWORD_LENGTH) return `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > 72) return 'The password must have at most 72 characters.';
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
