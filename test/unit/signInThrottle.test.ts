import { describe, expect, it } from 'vitest';
import { signInWaitSeconds, THROTTLE } from '../../server/auth/throttle.ts';

const clean = { pairFailures: 0, secondsSinceLastPairFailure: null, addressFailures: 0, addressWindowLeftSeconds: null, knownPair: false };

describe('sign-in throttling rule', () => {
  it('lets the first five failures of a pair through at once', () => {
    expect(signInWaitSeconds(clean)).toBe(0);
    expect(signInWaitSeconds({ ...clean, pairFailures: 4, secondsSinceLastPairFailure: 0 })).toBe(0);
  });

  it('then waits 30 s, 60 s, 120 s … after the last failure, never more than 15 minutes', () => {
    expect(signInWaitSeconds({ ...clean, pairFailures: 5, secondsSinceLastPairFailure: 0 })).toBe(30);
    expect(signInWaitSeconds({ ...clean, pairFailures: 5, secondsSinceLastPairFailure: 20 })).toBe(10);
    expect(signInWaitSeconds({ ...clean, pairFailures: 5, secondsSinceLastPairFailure: 31 })).toBe(0);
    expect(signInWaitSeconds({ ...clean, pairFailures: 6, secondsSinceLastPairFailure: 0 })).toBe(60);
    expect(signInWaitSeconds({ ...clean, pairFailures: 7, secondsSinceLastPairFailure: 0 })).toBe(120);
    expect(signInWaitSeconds({ ...clean, pairFailures: 30, secondsSinceLastPairFailure: 0 })).toBe(900);
  });

  it('refuses a spraying address until its window passes, but not for a name that signed in from it before', () => {
    const spraying = { ...clean, addressFailures: THROTTLE.perAddress, addressWindowLeftSeconds: 400.2 };
    expect(signInWaitSeconds(spraying)).toBe(401);
    expect(signInWaitSeconds({ ...spraying, knownPair: true })).toBe(0);
    expect(signInWaitSeconds({ ...spraying, addressFailures: THROTTLE.perAddress - 1 })).toBe(0);
  });
});
