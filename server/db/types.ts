/** What the server needs of a database: the same interface over embedded PGlite and a real PostgreSQL. */
export interface Queryable {
  /** Parameterised query ($1, $2 …); returns the rows. */
  query<T = Record<string, unknown>>(text: string, values?: unknown[]): Promise<T[]>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'embedded' | 'postgres';
  /** The embedded database's durability mode (see embedded.ts); a real PostgreSQL follows its own settings. */
  readonly durability?: 'full' | 'off' | 'memory';
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs fn on one connection held for its whole run (session-level state such as advisory locks needs it).
   * The embedded database has only one connection: fn gets the database itself.
   */
  withSession<T>(fn: (conn: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Type parsers shared by both adapters so that rows look the same whichever database answered:
 * dates stay 'YYYY-MM-DD' strings (a JS Date would shift them by the server's time zone),
 * bigint counts and numerics become numbers.
 */
export const TYPE_OIDS = { int8: 20, numeric: 1700, date: 1082 } as const;
export const sharedParsers: Record<number, (value: string) => unknown> = {
  [TYPE_OIDS.int8]: (v) => Number(v),
  [TYPE_OIDS.numeric]: (v) => Number(v),
  [TYPE_OIDS.date]: (v) => v,
};
