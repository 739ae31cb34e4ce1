/**
 * A store for express-rate-limit that counts in the database, so every app process behind the proxy shares
 * one counter per client. Each key has its own window (as the library's memory store does), timed by the
 * database's clock so that processes on different machines agree.
 */
import type { ClientRateLimitInfo, Options, Store } from 'express-rate-limit';
import { onPrimary } from '../db/replica.ts';
import type { Db } from '../db/types.ts';

export class DbRateLimitStore implements Store {
  /** Counters are shared between processes: the library must not assume it sees every hit. */
  readonly localKeys = false;
  private windowMs = 60_000;
  private sweeper: NodeJS.Timeout | undefined;

  private readonly db: Pick<Db, 'query'>;

  constructor(
    db: Db,
    /** Distinguishes limiters sharing the table ("public:" …). */
    readonly prefix: string,
  ) {
    // Counting is a write, made during GET requests that may otherwise read from a replica: always the primary.
    this.db = { query: (text, values) => onPrimary(() => db.query(text, values)) };
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
    // Expired counters are only clutter (the next hit restarts them): cleared now and then, by any process.
    this.sweeper = setInterval(
      () => {
        this.db.query('DELETE FROM rate_limit_counters WHERE reset_at < now()').catch(() => undefined);
      },
      Math.max(this.windowMs, 60_000),
    );
    this.sweeper.unref();
  }

  async get(key: string): Promise<ClientRateLimitInfo | undefined> {
    const [row] = await this.db.query<{ hits: number; reset_at: Date }>('SELECT hits, reset_at FROM rate_limit_counters WHERE key = $1 AND reset_at > now()', [
      this.prefix + key,
    ]);
    return row ? { totalHits: row.hits, resetTime: new Date(row.reset_at) } : undefined;
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    // One statement: concurrent hits from several processes each add one, and an expired window restarts.
    const [row] = await this.db.query<{ hits: number; reset_at: Date }>(
      `INSERT INTO rate_limit_counters AS c (key, hits, reset_at) VALUES ($1, 1, now() + make_interval(secs => $2))
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN c.reset_at <= now() THEN 1 ELSE c.hits + 1 END,
         reset_at = CASE WHEN c.reset_at <= now() THEN EXCLUDED.reset_at ELSE c.reset_at END
       RETURNING hits, reset_at`,
      [this.prefix + key, this.windowMs / 1000],
    );
    return { totalHits: row.hits, resetTime: new Date(row.reset_at) };
  }

  async decrement(key: string): Promise<void> {
    await this.db.query('UPDATE rate_limit_counters SET hits = greatest(hits - 1, 0) WHERE key = $1', [this.prefix + key]);
  }

  async resetKey(key: string): Promise<void> {
    await this.db.query('DELETE FROM rate_limit_counters WHERE key = $1', [this.prefix + key]);
  }

  shutdown(): void {
    clearInterval(this.sweeper);
  }
}
