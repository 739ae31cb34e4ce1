/**
 * The signed-in user: who, which role, which zones, and the CSRF token every write carries. `can()` applies
 * the same permission table as the server, so the page offers only what the server will allow.
 */
import { can as canDo, type Permission } from '../../../domain/permissions.ts';
import type { BodyOf, ResponseOf } from '../../../server/contract/define.ts';
import type * as authContract from '../../../server/contract/auth.ts';

export type SessionUser = ResponseOf<typeof authContract.me>['user'];

class Session {
  user = $state<SessionUser | null>(null);
  csrfToken = $state<string | null>(null);
  /** false until the first /api/auth/me answer. */
  checked = $state(false);

  async load(): Promise<void> {
    const res = await fetch('/api/auth/me', { headers: { Accept: 'application/json' } });
    if (res.ok) {
      const body: ResponseOf<typeof authContract.me> = await res.json();
      this.user = body.user;
      this.csrfToken = body.csrfToken;
    } else {
      this.user = null;
      this.csrfToken = null;
    }
    this.checked = true;
  }

  async signIn(username: string, password: string): Promise<{ code?: string; message: string } | null> {
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password } satisfies BodyOf<typeof authContract.login>),
    });
    if (!res.ok) {
      const body = await res.json().catch(() => null);
      return { code: body?.error?.code, message: body?.error?.message ?? `${res.status}` };
    }
    await this.load();
    return null;
  }

  async signOut(): Promise<void> {
    await fetch('/api/auth/logout', { method: 'POST', headers: { 'X-CSRF-Token': this.csrfToken ?? '' } }).catch(() => undefined);
    this.user = null;
    this.csrfToken = null;
  }

  /** Called when the server says 401: the session ended (signed out elsewhere, expired, disabled). */
  expired(): void {
    this.user = null;
  }

  can(permission: Permission, zoneId?: number): boolean {
    return canDo(this.user, permission, zoneId);
  }
}

export const session = new Session();
