/**
 * Judges one rule for one target: policy (severity, skips, prerequisites), then the rule's
 * pure check over the recording, then the evidence a person needs to act on the outcome.
 */
import type { Target } from '../config/target.ts';
import type { Exchange } from '../http/exchange.ts';
import { ruleById, type Rule } from '../rules/registry.ts';
import { GUIDELINE_DOCS } from '../spec/catalogue.ts';
import type { Recording } from '../probes/types.ts';
import type { Outcome } from '../rules/types.ts';
import type { SchemaSet } from '../spec/schemas.ts';
import { applicability } from '../policy/applicability.ts';
import { targetAsProbed } from './discovery.ts';
import { boundFindings } from './findings.ts';
import type { EvidenceItem as ReportedEvidence, EvidenceResponse, ReportedRule } from '../spec/summary.ts';

export const EVIDENCE_BODY_BYTES = 4096;
/** SPEC §5: at most 8 evidence exchanges per rule. */
export const MAX_EVIDENCE = 8;
const MAX_MESSAGE = 1000;

/** Evidence and results have the shapes summary.json reports (SPEC §5), written once in src/spec/summary.ts. */
export type EvidenceItem = ReportedEvidence;
export type RuleResult = ReportedRule;

export function evaluateRule(rule: Rule, declared: Target, recording: Recording, schemas: SchemaSet): RuleResult {
  // Judged against the target as it was probed (with the resources discovery found).
  const target = targetAsProbed(declared, recording);
  const base = {
    id: rule.id,
    area: rule.area,
    title: rule.title,
    expectation: rule.expectation,
    ...guidelineOf(rule, target),
  };
  const app = applicability(rule, target);
  if (app.status === 'skipped') {
    return { ...base, severity: app.severity, status: 'skipped', reason: app.reason, message: app.message, evidence: [] };
  }
  const severity = app.severity;
  const exchangeById = new Map(recording.exchanges.map((e) => [e.id, e]));
  const pick = (ids: readonly number[]): Exchange[] => ids.map((id) => exchangeById.get(id)).filter((e): e is Exchange => !!e);

  if (recording.unreachable) {
    return {
      ...base,
      severity,
      status: 'error',
      reason: 'unreachable',
      message: recording.unreachable.message,
      evidence: toEvidence(pick(recording.unreachable.exchange ? [recording.unreachable.exchange] : [])),
    };
  }
  // A credential fetched per run whose token request failed: its rules cannot be judged (not a crash, not a skip).
  const failedCredential = rule.requires.find((p) => recording.credentialErrors?.[p] !== undefined);
  if (failedCredential) {
    return {
      ...base,
      severity,
      status: 'error',
      reason: 'probe-failed',
      message: `could not check: no token for auth.${failedCredential}: ${recording.credentialErrors![failedCredential]}`,
      evidence: toEvidence(recording.exchanges.filter((e) => e.error?.code === 'TOKEN' && e.credential === failedCredential)),
    };
  }
  const brokenProbe = rule.behaviour!.probes.map((p) => p.name).find((p) => recording.probeErrors[p] !== undefined);
  if (brokenProbe) {
    return {
      ...base,
      severity,
      status: 'error',
      reason: 'probe-failed',
      message: `could not check: probe ${brokenProbe} failed: ${recording.probeErrors[brokenProbe]}`,
      evidence: toEvidence(recording.exchanges.filter((e) => e.probe === brokenProbe)),
    };
  }
  const ctx = { target, schemas };
  for (const dep of rule.behaviour!.dependsOn ?? []) {
    const failedDep = dependencyResult(dep.rule, declared, recording, schemas);
    if (failedDep?.status !== 'failed' || (dep.when && !dep.when(recording, ctx))) continue;
    return {
      ...base,
      severity,
      status: 'skipped',
      reason: 'blocked',
      blocked_by: dep.rule,
      message: `not judged: it needs ${dep.needs}, and ${dep.rule} failed (${failedDep.message})`,
      evidence: [],
    };
  }
  let outcome: Outcome;
  try {
    outcome = rule.behaviour!.check(recording, ctx);
  } catch (e) {
    outcome = { status: 'error', reason: 'inconclusive', message: `the check itself failed: ${(e as Error).message}`, exchanges: [] };
  }
  // No claim without evidence (SPEC §7), decided here once for every rule: a verdict must rest
  // on at least one exchange the service answered (or, for rules judging refusals, refused).
  const judged = (ids: readonly number[]): Exchange[] =>
    pick(ids).filter((e) => e.response !== undefined || (rule.behaviour!.judgesRefusals === true && e.error !== undefined));
  if (outcome.status === 'passed' || outcome.status === 'failed') {
    const named = outcome.status === 'passed' ? outcome.exchanges : outcome.findings.flatMap((f) => f.exchanges);
    if (!judged(named).length) outcome = withoutEvidence(rule, recording, pick(named));
  }
  switch (outcome.status) {
    case 'passed':
      return { ...base, severity, status: 'passed', message: outcome.message, evidence: toEvidence(judged(outcome.exchanges).slice(0, 2)) };
    case 'skipped':
      return { ...base, severity, status: 'skipped', reason: outcome.reason, message: outcome.message, evidence: [] };
    case 'unanswered':
    case 'error': {
      const shown = pick(outcome.exchanges);
      // Requests the declared budget kept back (longer than max_wait_s) are a wait, not a transport failure.
      // "Could not check" is decided here, once, for every rule (the checks return `unanswered`).
      const reason =
        shown.length && shown.every((e) => e.error?.code === 'BUDGET')
          ? 'rate-limit-wait'
          : outcome.status === 'unanswered'
            ? 'transport-error'
            : outcome.reason;
      return { ...base, severity, status: 'error', reason, message: outcome.message, evidence: toEvidence(shown) };
    }
    case 'failed': {
      // Bounded here for every rule (SPEC §5); the evidence shows the kept findings, kinds first.
      const bounded = boundFindings(outcome.findings);
      const shown = pick([...new Set(bounded.findings.flatMap((f) => f.exchanges))]);
      // A failure resting only on 429s we could not wait out is not a verdict (SPEC §3 max_wait_s).
      if (shown.length && shown.every((e) => e.response?.status === 429 && e.notes?.some((n) => n.includes('not retried')))) {
        return {
          ...base,
          severity,
          status: 'error',
          reason: 'rate-limit-wait',
          message: `could not check: the service rate-limited the probes and asked for a longer wait than max_wait_s (${target.rateLimit.maxWaitS} s)`,
          evidence: toEvidence(shown),
        };
      }
      return {
        ...base,
        severity,
        status: 'failed',
        message: clip(outcome.message),
        findings: bounded.findings,
        findings_total: bounded.findings_total,
        finding_kinds: bounded.finding_kinds,
        evidence: toEvidence(shown),
      };
    }
  }
}

/**
 * The outcome of a check that claimed `passed` or `failed` without naming an exchange it
 * judged: `error` when what it named got no answer, otherwise nothing to check.
 */
function withoutEvidence(rule: Rule, recording: Recording, named: readonly Exchange[]): Outcome {
  const unanswered = named.filter((e) => e.error);
  if (unanswered.length) {
    return {
      status: 'unanswered',
      message: `could not check: no request it would judge got a response (${unanswered[0]!.error!.message})`,
      exchanges: unanswered.map((e) => e.id),
    };
  }
  const probes = rule.behaviour!.probes.map((p) => p.name);
  const answered = recording.exchanges.filter((e) => probes.includes(e.probe) && e.response).length;
  return {
    status: 'skipped',
    reason: 'nothing-to-check',
    message: `nothing to check: no response was judged${probes.length ? ` (${answered} answered request${answered === 1 ? '' : 's'} from ${probes.join(', ')})` : ''}`,
  };
}

/** Results of rules others depend on, judged once per recording and target. */
const dependencyResults = new WeakMap<Recording, WeakMap<Target, Map<string, RuleResult>>>();

function dependencyResult(id: string, declared: Target, recording: Recording, schemas: SchemaSet): RuleResult | undefined {
  const dep = ruleById(id);
  if (!dep?.behaviour) return undefined;
  const byTarget = dependencyResults.get(recording) ?? new WeakMap<Target, Map<string, RuleResult>>();
  dependencyResults.set(recording, byTarget);
  const cache = byTarget.get(declared) ?? new Map<string, RuleResult>();
  byTarget.set(declared, cache);
  let result = cache.get(id);
  if (!result) {
    result = evaluateRule(dep, declared, recording, schemas);
    cache.set(id, result);
  }
  return result;
}

function guidelineOf(rule: Rule, target: Target): Pick<RuleResult, 'guideline'> {
  const section = rule.guideline[target.profile];
  if (!section) return {};
  const doc = GUIDELINE_DOCS[target.profile];
  return { guideline: { document: doc.title, file: doc.file, section } };
}

export function toEvidence(exchanges: readonly Exchange[]): EvidenceItem[] {
  return exchanges.slice(0, MAX_EVIDENCE).map((e) => ({
    purpose: e.purpose,
    request: {
      method: e.request.method,
      url: e.request.url,
      headers: { ...e.request.headers },
      ...(e.request.body !== undefined ? { body: cap(e.request.body) } : {}),
    },
    ...(e.response ? { response: evidenceResponse(e.response) } : {}),
    ...(e.error ? { error: `${e.error.code}: ${e.error.message}` } : {}),
    curl: e.curl,
    ...(e.notes ? { notes: e.notes } : {}),
    duration_ms: e.durationMs,
  }));
}

function clip(message: string): string {
  return message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…(${message.length} chars)` : message;
}

function evidenceResponse(r: NonNullable<Exchange['response']>): EvidenceResponse {
  const cut = r.truncated ?? (r.droppedBytes ? { keptBytes: r.bodyBytes - r.droppedBytes } : undefined);
  return {
    status: r.status,
    headers: r.headers,
    body: r.binary
      ? `(not text: ${r.binary.encoding ? `Content-Encoding ${r.binary.encoding}, ` : ''}${r.bodyBytes} bytes, sha256 ${r.binary.sha256})`
      : cap(r.body) +
        (cut
          ? `\n…(the harness kept ${cut.keptBytes} of ${cut.declaredBytes ?? `${r.bodyBytes}${r.incomplete ? ' or more' : ''}`} bytes)`
          : ''),
    body_bytes: r.bodyBytes,
    ...(cut ? { truncated: true as const, kept_bytes: cut.keptBytes } : {}),
    ...(cut?.declaredBytes !== undefined ? { declared_bytes: cut.declaredBytes } : {}),
    ...(r.binary ? { sha256: r.binary.sha256, ...(r.binary.encoding ? { content_encoding: r.binary.encoding } : {}) } : {}),
  };
}

function cap(text: string): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= EVIDENCE_BODY_BYTES) return text;
  return `${Buffer.from(text).subarray(0, EVIDENCE_BODY_BYTES).toString('utf8')}…(first 4 KiB of ${bytes} bytes)`;
}
