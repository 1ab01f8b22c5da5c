/**
 * Generation and shrinking with a bounded number of predicate calls: every call is an HTTP
 * request in the `inputs.*` rules, and load on a target is bounded (SPEC §7, `inputs.max_requests`).
 * fast-check drives generation and shrinking; once `maxCalls` is spent, further values are
 * treated as passing without calling the predicate, so shrinking stops where it got to.
 * The result carries fast-check's seed and path: `replay` runs exactly the failing case again.
 */
import fc from 'fast-check';

export interface SearchOptions {
  readonly seed: number;
  /** Generated values tried before shrinking (fast-check's numRuns). */
  readonly numRuns: number;
  /** Most predicate calls in all, generation and shrinking together. */
  readonly maxCalls: number;
  /**
   * Start from a known run (fast-check's path, e.g. "12" for the 13th generated value) and
   * shrink from there: a case already seen failing is not searched for again.
   */
  readonly path?: string;
}

export interface SmallestFailure<T> {
  /** A value made the predicate return false (or throw). */
  readonly failed: boolean;
  /** The smallest failing value found; undefined when none failed. */
  readonly counterexample?: T;
  /** What the predicate threw for the counterexample, if it threw. */
  readonly error?: unknown;
  /** Predicate calls made (≤ maxCalls). */
  readonly calls: number;
  /** The budget ran out before generation or shrinking finished. */
  readonly budgetExhausted: boolean;
  /** Shrink steps fast-check took. */
  readonly shrinks: number;
  readonly seed: number;
  /** fast-check's replay path: `fc.check(property, { seed, path })`, or `replay` below. */
  readonly path?: string;
}

/**
 * Looks for a value of `arb` for which `predicate` (true = ok) fails, and shrinks it.
 * Predicate calls never exceed `maxCalls`.
 */
export async function findSmallestFailure<T>(
  arb: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<boolean>,
  options: SearchOptions,
): Promise<SmallestFailure<T>> {
  let calls = 0;
  let budgetExhausted = false;
  const errors = new Map<T, unknown>();
  const property = fc.asyncProperty(arb, async (value) => {
    if (calls >= options.maxCalls) {
      budgetExhausted = true;
      return true;
    }
    calls++;
    try {
      return await predicate(value);
    } catch (e) {
      errors.set(value, e);
      return false;
    }
  });
  const details = await fc.check(property, {
    seed: options.seed,
    numRuns: options.numRuns,
    endOnFailure: false,
    ...(options.path !== undefined ? { path: options.path } : {}),
  });
  const counterexample = details.failed && details.counterexample ? details.counterexample[0] : undefined;
  return {
    failed: details.failed,
    ...(details.failed ? { counterexample } : {}),
    ...(counterexample !== undefined && errors.has(counterexample) ? { error: errors.get(counterexample) } : {}),
    calls,
    budgetExhausted,
    shrinks: details.numShrinks,
    seed: details.seed,
    ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}),
  };
}

/** Runs the one case a `findSmallestFailure` result names (no search, no further shrinking). */
export async function replay<T>(
  arb: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<boolean>,
  where: { readonly seed: number; readonly path: string },
): Promise<{ failed: boolean; counterexample?: T }> {
  const details = await fc.check(fc.asyncProperty(arb, predicate), { seed: where.seed, path: where.path, endOnFailure: true });
  return details.failed && details.counterexample ? { failed: true, counterexample: details.counterexample[0] } : { failed: false };
}
