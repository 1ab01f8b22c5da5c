/**
 * Judges one rule for one target: policy (severity, skips, prerequisites), then the rule's
 * pure check over the recording, then the evidence a person needs to act on the outcome.
 */
import type { Target } from '../config/target.ts';
import type { Exchange } from '../http/exchange.ts';
import type { Rule } from '../rules/registry.ts';
import { GUIDELINE_DOCS } from '../spec/catalogue.ts';
import type { Recording } from '../probes/types.ts';
import type { Finding, Outcome } from '../rules/types.ts';
import type { SchemaSet } from '../spec/schemas.ts';
import { applicability } from '../policy/applicability.ts';
import { targetAsProbed } from './discovery.ts';
import type { ReasonCode, RuleStatus, Severity } from '../spec/vocabulary.ts';

export const EVIDENCE_BODY_BYTES = 4096;
const MAX_EVIDENCE = 8;

export interface EvidenceItem {
  readonly purpose: string;
  readonly request: { method: string; url: string; headers: Record<string, string>; body?: string };
  readonly response?: { status: number; headers: Record<string, string | readonly string[]>; body: string; body_bytes: number };
  readonly error?: string;
  readonly curl: string;
  readonly notes?: readonly string[];
  readonly duration_ms: number;
}

export interface RuleResult {
  readonly id: string;
  readonly area: string;
  readonly title: string;
  readonly expectation: string;
  readonly severity: Severity;
  readonly status: RuleStatus;
  readonly message: string;
  readonly reason?: ReasonCode;
  readonly guideline?: { readonly document: string; readonly file: string; readonly section: string };
  readonly findings?: readonly Finding[];
  readonly evidence: readonly EvidenceItem[];
}

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
  let outcome: Outcome;
  try {
    outcome = rule.behaviour!.check(recording, { target, schemas });
  } catch (e) {
    outcome = { status: 'error', reason: 'inconclusive', message: `the check itself failed: ${(e as Error).message}`, exchanges: [] };
  }
  switch (outcome.status) {
    case 'passed':
      return { ...base, severity, status: 'passed', message: outcome.message, evidence: toEvidence(pick(outcome.exchanges).slice(0, 2)) };
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
      const shown = pick([...new Set(outcome.findings.flatMap((f) => f.exchanges))]);
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
      return { ...base, severity, status: 'failed', message: outcome.message, findings: outcome.findings, evidence: toEvidence(shown) };
    }
  }
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
    ...(e.response
      ? {
          response: {
            status: e.response.status,
            headers: e.response.headers,
            body: cap(e.response.body) + (e.response.droppedBytes ? `\n…(${e.response.droppedBytes} more bytes not kept)` : ''),
            body_bytes: e.response.bodyBytes,
          },
        }
      : {}),
    ...(e.error ? { error: `${e.error.code}: ${e.error.message}` } : {}),
    curl: e.curl,
    ...(e.notes ? { notes: e.notes } : {}),
    duration_ms: e.durationMs,
  }));
}

function cap(text: string): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= EVIDENCE_BODY_BYTES) return text;
  return `${Buffer.from(text).subarray(0, EVIDENCE_BODY_BYTES).toString('utf8')}…(first 4 KiB of ${bytes} bytes)`;
}
