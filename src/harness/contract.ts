/**
 * What the Playwright suite (src/runner) and the summary reporter (src/report) agree on, so
 * that neither imports the other: the project metadata playwright.config.ts sets per target,
 * and the attachments a target's test carries: its selection and one result per rule.
 */
import type { DiscoveryReport } from '../config/target.ts';
import type { Exchange } from '../http/exchange.ts';
import type { RuleResult } from './evaluate.ts';
import { GUIDELINE_DOCS, type CatalogueEntry } from '../spec/catalogue.ts';
import type { Profile, ReasonCode, Severity } from '../spec/vocabulary.ts';

/**
 * The result of a rule that was not judged (not selected, or its test or recording failed):
 * the catalogue's words, no evidence. With `profile`, the guideline section it comes from.
 */
export function unjudgedResult(
  rule: CatalogueEntry,
  outcome: { severity: Severity; status: 'skipped' | 'error'; reason: ReasonCode; message: string; profile?: Profile },
): RuleResult {
  const section = outcome.profile ? rule.guideline[outcome.profile] : undefined;
  return {
    id: rule.id,
    area: rule.area,
    title: rule.title,
    expectation: rule.expectation,
    severity: outcome.severity,
    status: outcome.status,
    reason: outcome.reason,
    message: outcome.message,
    evidence: [],
    ...(section && outcome.profile
      ? { guideline: { document: GUIDELINE_DOCS[outcome.profile].title, file: GUIDELINE_DOCS[outcome.profile].file, section } }
      : {}),
  };
}

/** project.metadata of each target's Playwright project (it survives `merge-reports`; project.use does not). */
export interface ProjectMetadata {
  readonly target: string;
  readonly targetsFile: string;
  readonly baseUrl: string;
  readonly profile: string;
}

/** The name of the JSON attachment that carries a rule test's ResultAttachment. */
export const RESULT_ATTACHMENT = 'conformance-result';

/**
 * The name of the JSON attachment (a list of rule ids) with which a target's test says, before
 * judging, which rules it will judge: a rule in the list without a result could not be judged
 * (the test timed out or its worker died).
 */
export const SELECTION_ATTACHMENT = 'conformance-selection';

/**
 * The name of the attachment that carries a target's exchanges (`run --har`; ExchangesAttachment),
 * once per target and run: attachments travel in blob reports, so a merge of shards gets every
 * part's. The reporter turns them into HAR.
 */
export const EXCHANGES_ATTACHMENT = 'conformance-exchanges';

export interface ExchangesAttachment {
  readonly target: string;
  /** Recorded, hence already redacted. */
  readonly exchanges: readonly Exchange[];
}

/** `run --har` (or CONFORMANCE_HAR=1 for `playwright test`): write exchanges.har. */
export const harWanted = (): boolean => process.env.CONFORMANCE_HAR === '1';

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
