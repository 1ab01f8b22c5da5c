/**
 * What the Playwright suite (src/runner) and the summary reporter (src/report) agree on, so
 * that neither imports the other: the project metadata playwright.config.ts sets per target,
 * and the attachment each rule test carries with its result.
 */
import type { DiscoveryReport } from '../config/target.ts';
import type { RuleResult } from './evaluate.ts';

/** project.metadata of each target's Playwright project (it survives `merge-reports`; project.use does not). */
export interface ProjectMetadata {
  readonly target: string;
  readonly targetsFile: string;
  readonly baseUrl: string;
  readonly profile: string;
}

/** The name of the JSON attachment that carries a rule test's ResultAttachment. */
export const RESULT_ATTACHMENT = 'conformance-result';

/** What the target's recording contributes to summary.json, sent along with every result. */
export interface AttachedRecording {
  readonly sentByMethod: Record<string, number>;
  readonly leftovers: readonly string[];
  readonly target: string;
  readonly baseUrl: string;
  readonly profile: string;
  readonly discovery?: DiscoveryReport;
  /** The generation settings (inputs.*) the target ran with: the seed replays its cases. */
  readonly inputs?: { readonly seed: number; readonly examples: number; readonly maxRequests: number };
}

export interface ResultAttachment {
  readonly result: RuleResult;
  readonly recording: AttachedRecording;
}
