/** Crafted summary.json values for tests of the gate, waivers, diff, history and the HTML report. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvidenceItem } from '../../src/harness/evaluate.ts';
import { CATALOGUE, GUIDELINE_DOCS } from '../../src/spec/catalogue.ts';
import { CATALOGUE_VERSION, HARNESS_VERSION } from '../../src/report/summary.ts';
import { verdictOf } from '../../src/policy/verdict.ts';
import type { Profile, ReasonCode, RuleStatus } from '../../src/spec/vocabulary.ts';
import { countsOf } from '../../src/policy/apply-waivers.ts';
import type { Summary, SummaryRule, TargetSummary } from '../../src/spec/summary.ts';

export type Override = RuleStatus | { status: RuleStatus; reason?: ReasonCode; message?: string };

export function evidence(path = '/v2/documents/abc', status = 404, body = '{"message":"Item abc not found"}'): EvidenceItem {
  return {
    purpose: 'read a documents item that does not exist',
    request: {
      method: 'GET',
      url: `https://api.example.test/platform${path}`,
      headers: { accept: 'application/json', authorization: 'Bearer [REDACTED auth.bearer]' },
    },
    response: {
      status,
      headers: { 'content-type': 'application/json', 'x-request-id': 'b7c1a8a2-5a4e-4e52-9d43-0c0b8f1f2d3e' },
      body,
      body_bytes: body.length,
    },
    curl: `curl -i -H 'authorization: Bearer '"$STAGING_TOKEN" 'https://api.example.test/platform${path}'`,
    duration_ms: 3.2,
  };
}

/**
 * Every catalogue rule for each target, `passed` unless overridden (rules off in the profile
 * are skipped as not-applicable). Counts and verdict are computed as the harness does.
 */
export function craftSummary(
  targets: Record<string, { profile?: Profile; rules?: Record<string, Override> }>,
  startedAt = '2026-11-22T02:00:00Z',
  /** The status of rules the target does not override (default: passed). */
  otherwise: (id: string) => Override = () => 'passed',
): Summary {
  const list = Object.entries(targets).map(([name, spec]): TargetSummary => {
    const profile = spec.profile ?? 'platform';
    const rules = CATALOGUE.map((entry): SummaryRule => {
      const severity = entry.severity[profile];
      const base = {
        id: entry.id,
        area: entry.area,
        title: entry.title,
        expectation: entry.expectation,
        severity,
        ...(entry.guideline[profile]
          ? {
              guideline: {
                document: GUIDELINE_DOCS[profile].title,
                file: GUIDELINE_DOCS[profile].file,
                section: entry.guideline[profile]!,
              },
            }
          : {}),
      };
      if (severity === 'off')
        return { ...base, status: 'skipped', reason: 'not-applicable', message: `not part of the ${profile} profile`, evidence: [] };
      const o = spec.rules?.[entry.id];
      const chosen = o ?? otherwise(entry.id);
      const want = typeof chosen === 'string' ? { status: chosen } : chosen;
      switch (want.status) {
        case 'passed':
          return { ...base, status: 'passed', message: want.message ?? 'looked fine', evidence: [] };
        case 'failed':
          return {
            ...base,
            status: 'failed',
            message: want.message ?? `${entry.id} failed on purpose`,
            findings: [{ message: 'received 400 / expected 404', exchanges: [1] }],
            evidence: [evidence()],
          };
        case 'error':
          return {
            ...base,
            status: 'error',
            reason: want.reason ?? 'transport-error',
            message: want.message ?? 'could not check: connection reset',
            evidence: [],
          };
        case 'skipped':
          return {
            ...base,
            status: 'skipped',
            reason: want.reason ?? 'missing-prerequisite',
            message: want.message ?? 'auth.expired_bearer is not configured',
            evidence: [],
          };
        default:
          throw new Error(`craft ${want.status} rules with applyWaivers`);
      }
    });
    return {
      name,
      base_url: `https://api.example.test/${name}`,
      profile,
      counts: countsOf(rules),
      requests: { total: 3, by_method: { GET: 2, POST: 1 } },
      leftovers: [],
      rules,
    };
  });
  return {
    schema_version: 1,
    harness_version: HARNESS_VERSION,
    catalogue_version: CATALOGUE_VERSION,
    started_at: startedAt,
    duration_ms: 1234,
    verdict: verdictOf(list.flatMap((t) => t.rules)),
    targets: list,
  };
}

export function tempFiles(prefix: string): { dir: string; write: (name: string, content: string | object) => string } {
  const dir = mkdtempSync(join(tmpdir(), `conformance-${prefix}-`));
  return {
    dir,
    write: (name, content) => {
      const file = join(dir, name);
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
      return file;
    },
  };
}
