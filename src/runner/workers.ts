/**
 * How many Playwright workers a run starts unless told (`conformance run -- --workers N`): one
 * per target, up to the machine's cores but at least 2, at most 8. A target's time is mostly
 * spent waiting on its service, so Playwright's own default (half the cores: one worker on a
 * 2-core runner) left targets queued behind each other.
 */
import { availableParallelism } from 'node:os';

export function defaultWorkers(targets: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(targets, Math.max(2, cores), 8));
}
