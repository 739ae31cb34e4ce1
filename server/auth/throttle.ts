/**
 * Sign-in throttling that an attacker cannot turn against a user. Failures are counted in the database (so
 * every app process sees them) per (address, username) pair and per address:
 *   - a pair gets THROTTLE.freePairFailures tries, then each further try waits twice as long as the one
 *     before (30 s, 1 min, 2 min … up to 15 min) after the pair's last failure; a success clears the pair;
 *   - an address with very many failures over all usernames (password spraying) is refused for a while,
 *     except for usernames that have signed in successfully from that address before.
 * Nothing locks an account as such: the right password from another address always gets through, and
 * behind a proxy without TRUST_PROXY=1 (every user seems to come from one address) users who have signed in
 * before keep signing in while someone sprays.
 */
import type { Db } from '../db/types.ts';

export const THROTTLE = {
  freePairFailures: 5,
  firstDelaySeconds: 30,
  maxDelaySeconds: 15 * 60,
  /** A pair's failures older than this are forgotten. */
  pairMemoryMinutes: 60,
  perAddress: 100,
  addressWindowMinutes: 15,
  /** A username that signed in from an address within this many days is exempt from that address's limit. */
  knownPairDays: 30,
};

export interface AttemptCounts {
  /** Failures of this (address, username) pair since its last success, within pairMemoryMinutes. */
  pairFailures: number;
  secondsSinceLastPairFailure: number | null;
  addressFailures: number;
  /** Seconds until the address's oldest counted failure leaves the window. */
  addressWindowLeftSeconds: number | null;
  knownPair: boolean;
}

/** How many seconds this attempt must still wait (0: it may go ahead). */
export function signInWaitSeconds(c: AttemptCounts, t = THROTTLE): number {
  let wait = 0;
  if (c.pairFailures >= t.freePairFailures) {
    const delay = Math.min(t.maxDelaySeconds, t.firstDelaySeconds * 2 ** (c.pairFailures - t.freePairFailures));
    wait = Math.max(0, delay - (c.secondsSinceLastPairFailure ?? 0));
  }
  if (c.addressFailures >= t.perAddress && !c.knownPair) wait = Math.max(wait, c.addressWindowLeftSeconds ?? t.addressWindowMinutes * 60);
  return Math.ceil(wait);
}

const COUNTS_SQL = `
WITH last_success AS (
  SELECT coalesce(max(at), '-infinity'::timestamptz) AS at FROM login_attempts WHERE ip = $1 AND username = $2 AND succeeded
), pair AS (
  SELECT count(*) AS failures, max(a.at) AS last_failure
  FROM login_attempts a, last_success s
  WHERE a.ip = $1 AND a.username = $2 AND NOT a.succeeded AND a.at > s.at AND a.at > now() - make_interval(mins => $3)
), address AS (
  SELECT count(*) AS failures, min(at) AS oldest
  FROM login_attempts WHERE ip = $1 AND NOT succeeded AND at > now() - make_interval(mins => $4)
)
SELECT pair.failures AS pair_failures,
  extract(epoch FROM clock_timestamp() - pair.last_failure)::float8 AS since_last,
  address.failures AS address_failures,
  extract(epoch FROM address.oldest + make_interval(mins => $4) - clock_timestamp())::float8 AS address_left,
  (SELECT at FROM last_success) > now() - make_interval(days => $5) AS known_pair
FROM pair, address`;

/**
 * Checks the pair and the address and, when the attempt may go ahead, records it as a failure at once (so
 * that parallel attempts of the same pair, on any process, count it). Serialised per pair by an advisory
 * lock. Returns the attempt's id (to mark it a success) or the seconds to wait.
 */
export async function beginSignInAttempt(db: Db, ip: string, username: string): Promise<{ attemptId: number } | { waitSeconds: number }> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`sign-in ${ip} ${username}`]);
    const [row] = await tx.query<{
      pair_failures: number;
      since_last: number | null;
      address_failures: number;
      address_left: number | null;
      known_pair: boolean;
    }>(COUNTS_SQL, [ip, username, THROTTLE.pairMemoryMinutes, THROTTLE.addressWindowMinutes, THROTTLE.knownPairDays]);
    const waitSeconds = signInWaitSeconds({
      pairFailures: row.pair_failures,
      secondsSinceLastPairFailure: row.since_last,
      addressFailures: row.address_failures,
      addressWindowLeftSeconds: row.address_left,
      knownPair: row.known_pair,
    });
    if (waitSeconds > 0) return { waitSeconds };
    const [{ id }] = await tx.query<{ id: number }>('INSERT INTO login_attempts (username, ip, succeeded) VALUES ($1, $2, false) RETURNING id', [username, ip]);
    return { attemptId: id };
  });
}

export async function markSignInSucceeded(db: Db, attemptId: number): Promise<void> {
  await db.query('UPDATE login_attempts SET succeeded = true WHERE id = $1', [attemptId]);
  // Old attempts go when new sign-ins come: no job needed.
  await db.query("DELETE FROM login_attempts WHERE at < now() - interval '60 days'");
}
