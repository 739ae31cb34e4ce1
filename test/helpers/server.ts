/**
 * Starts the app on a free port for a test. `get`/`json` act as the demo viewer (signed in on first use);
 * `as(username)` signs in as another demo account; `anonymous` sends no cookie.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { DEMO_ACCOUNTS } from '../../server/accounts.ts';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/types.ts';

export interface Client {
  get(path: string, init?: RequestInit): Promise<Response>;
  json<T = any>(path: string): Promise<{ status: number; body: T; headers: Headers }>;
  /** A write with the session's CSRF token (unless `csrf: false`) and a JSON body. */
  send<T = any>(
    method: string,
    path: string,
    body?: unknown,
    options?: { csrf?: boolean; headers?: Record<string, string> },
  ): Promise<{ status: number; body: T; headers: Headers }>;
  csrfToken: string | null;
  cookie: string | null;
}

export interface TestServer extends Client {
  url: string;
  anonymous: Client;
  as(username: string): Promise<Client>;
  close(): Promise<void>;
}

function makeClient(url: string, session: () => Promise<{ cookie: string | null; csrfToken: string | null }>): Client {
  const client: Client = {
    csrfToken: null,
    cookie: null,
    async get(path, init = {}) {
      const { cookie } = await session();
      return fetch(url + path, { ...init, headers: { ...(cookie ? { Cookie: cookie } : {}), ...(init.headers as Record<string, string>) } });
    },
    async json(path) {
      const res = await client.get(path);
      return { status: res.status, body: await res.json(), headers: res.headers };
    },
    async send(method, path, body, options = {}) {
      const { cookie, csrfToken } = await session();
      const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(options.headers ?? {}) };
      if (cookie) headers.Cookie = cookie;
      if (csrfToken && options.csrf !== false) headers['X-CSRF-Token'] = csrfToken;
      const res = await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
    },
  };
  return client;
}

export async function signIn(url: string, username: string, password?: string): Promise<{ cookie: string; csrfToken: string }> {
  const account = DEMO_ACCOUNTS.find((a) => a.username === username);
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: password ?? account?.password }),
  });
  if (res.status !== 200) throw new Error(`Sign-in as ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .find((c) => c.startsWith('pa_session='))!
    .split(';')[0];
  const { csrfToken } = await res.json();
  return { cookie, csrfToken };
}

export async function startTestServer(db: Db, clientDir?: string, defaultUser = 'viewer'): Promise<TestServer> {
  const app = createApp({ db, config: { basemaps: [] }, clientDir });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  // Longer than any pause between a client's requests: otherwise a reused connection can be reset.
  server.keepAliveTimeout = 65_000;
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const lazySession = (username: string) => {
    let pending: Promise<{ cookie: string; csrfToken: string }> | null = null;
    return (client: () => Client) => () => {
      pending ??= signIn(url, username).then((s) => {
        Object.assign(client(), s);
        return s;
      });
      return pending;
    };
  };
  const defaultSession = lazySession(defaultUser);
  const main: Client = makeClient(
    url,
    defaultSession(() => main),
  );
  const anonymous = makeClient(url, async () => ({ cookie: null, csrfToken: null }));
  return Object.assign(main, {
    url,
    anonymous,
    async as(username: string) {
      const s = await signIn(url, username);
      const c = makeClient(url, async () => s);
      Object.assign(c, s);
      return c;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // The tests are done with this server: a response a test never read to the end (a download it only
        // checked the status of) would keep its connection busy, and close() would wait for it (70 s in one file).
        server.closeAllConnections();
      }),
  });
}
