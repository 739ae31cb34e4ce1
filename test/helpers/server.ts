/** Starts the app on a free port for a test and gives a small fetch helper. */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp } from '../../server/app.ts';
import type { Db } from '../../server/db/types.ts';

export interface TestServer {
  url: string;
  get(path: string, init?: RequestInit): Promise<Response>;
  json<T = any>(path: string): Promise<{ status: number; body: T; headers: Headers }>;
  close(): Promise<void>;
}

export async function startTestServer(db: Db, clientDir?: string): Promise<TestServer> {
  const app = createApp({ db, config: { basemaps: [] }, clientDir });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get: (path, init) => fetch(url + path, init),
    async json(path) {
      const res = await fetch(url + path);
      return { status: res.status, body: await res.json(), headers: res.headers };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
