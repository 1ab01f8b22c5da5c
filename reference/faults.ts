/**
 * Named faults of the reference API. Each breaks one behaviour so that exactly one rule of the
 * catalogue fails (the mutation self-tests prove it). A fault is switched on per request by
 * the base path: /_f/<fault>[+<fault>…]/<profile>/… serves the profile with those faults,
 * each fault set with its own state, so one server hosts a whole matrix of faulty targets.
 */
import type { Profile } from '../src/rules/types.ts';

export interface FaultSpec {
  /** The rule this fault makes fail (and its name). */
  readonly rule: string;
  readonly profiles: readonly Profile[];
  readonly description: string;
}

const both: readonly Profile[] = ['platform', 'backend'];

export const FAULTS: readonly FaultSpec[] = [
  { rule: 'status.create-201', profiles: both, description: 'POST create answers 200 instead of 201' },
  { rule: 'status.read-200', profiles: both, description: 'GET item answers 203 instead of 200' },
  { rule: 'status.update-200', profiles: both, description: 'PUT answers 202 instead of 200' },
  { rule: 'status.delete-204', profiles: both, description: 'DELETE answers 200 with the deleted item instead of 204' },
  { rule: 'status.not-found-404', profiles: both, description: 'a missing item answers 400 instead of 404' },
  { rule: 'status.unknown-route-404', profiles: both, description: 'unknown routes under a version prefix answer 403' },
  { rule: 'status.validation-422', profiles: both, description: 'validation failures answer 400 instead of 422' },
  { rule: 'status.malformed-body-400', profiles: both, description: 'syntactically broken JSON answers 415' },
  { rule: 'status.method-not-allowed-405', profiles: both, description: 'unsupported methods answer 404 instead of 405' },
  { rule: 'status.no-server-errors', profiles: both, description: 'a very long item id crashes the handler (500)' },
  { rule: 'errors.shape', profiles: both, description: '404 bodies are {"message": …} instead of the profile error format' },
  { rule: 'errors.status-matches', profiles: ['platform'], description: 'problem `status` says 400 on 404 responses' },
  { rule: 'errors.problem-members', profiles: ['platform'], description: 'problem bodies omit `type` and `title`' },
  { rule: 'errors.content-type', profiles: both, description: 'error bodies are labelled text/plain' },
  { rule: 'errors.validation-details', profiles: both, description: '422 bodies do not name the offending fields' },
  { rule: 'errors.code-format', profiles: ['backend'], description: 'envelope error codes are lower-case' },
  { rule: 'errors.no-internal-leak', profiles: both, description: 'a malformed id shows a Python traceback in the error body' },
  { rule: 'docs.openapi', profiles: both, description: 'the OpenAPI document lacks `info`: it is not valid OpenAPI' },
  { rule: 'docs.descriptions', profiles: both, description: 'the list operation and the item `name` property have no description' },
  { rule: 'docs.examples', profiles: both, description: 'request bodies carry no example' },
  { rule: 'docs.response-schema', profiles: both, description: 'the document requires an item property (`title`) that responses never carry' },
  { rule: 'docs.error-statuses', profiles: both, description: 'reading an item does not document its 404' },
  { rule: 'uploads.too-large', profiles: both, description: 'files larger than the limit are accepted (201)' },
  { rule: 'uploads.content-type', profiles: both, description: 'files of any type are accepted (201)' },
  { rule: 'streaming.sse', profiles: ['platform'], description: 'message_end content lacks the last delta' },
];

export const FAULT_NAMES: ReadonlySet<string> = new Set(FAULTS.map((f) => f.rule));
