/**
 * Which database a query goes to when a read replica is configured (DATABASE_READ_URL). Code inside
 * readFromReplica() sends its plain queries to the replica; transactions, exec() and everything outside go to
 * the primary. The request middleware in server/app.ts decides per request (see the README's rule).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const scope = new AsyncLocalStorage<'replica'>();

export function readFromReplica<T>(fn: () => T): T {
  return scope.run('replica', fn);
}

export const wantsReplica = (): boolean => scope.getStore() === 'replica';

/** Runs fn on the primary even inside a replica-reading request (counters and other writes made by reads). */
export function onPrimary<T>(fn: () => T): T {
  return scope.exit(fn);
}
