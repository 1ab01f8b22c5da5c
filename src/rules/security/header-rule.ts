/**
 * The shape shared by the per-header rules (hsts, nosniff, frame-deny, csp, xss-protection): the
 * header is judged on the sampled successful responses (a 2xx) and the OPTIONS response; error
 * responses are security.headers-on-errors' business, so one defect fails one rule.
 */
import { describe, failed, passed, skipped, unanswered } from '../support.ts';
import type { CheckContext, Finding, RuleBehaviour } from '../types.ts';
import { kindList, kindOf, REQUIREMENTS, sampledResponses, type HeaderKey } from './headers.ts';
import { securitySamplesProbe } from '../../probes/security.ts';

export interface HeaderRuleOptions {
  /** Appended to the message (a profile's note). */
  readonly note?: (ctx: CheckContext) => string;
  /** Only responses that carry a body are judged (the header is about the body). */
  readonly bodiesOnly?: boolean;
}

export function headerRule(key: HeaderKey, options: HeaderRuleOptions = {}): RuleBehaviour {
  const req = REQUIREMENTS[key];
  const note = options.note ?? (() => '');
  return {
    probes: [securitySamplesProbe],
    check(rec, ctx) {
      const sampled = sampledResponses(rec).filter((e) => ['2xx', 'OPTIONS'].includes(kindOf(e)) || !e.response);
      const answered = sampled.filter((e) => e.response);
      const judged = options.bodiesOnly ? answered.filter((e) => e.response!.bodyBytes > 0) : answered;
      if (!judged.length) {
        if (answered.length)
          return skipped(
            'nothing-to-check',
            `the sampled responses carry no body (${kindList(answered)}): ${req.header} has nothing to apply to`,
          );
        return sampled.length ? unanswered(sampled) : skipped('nothing-to-check', 'no successful or OPTIONS response was sampled');
      }
      const findings: Finding[] = [];
      const notes = new Set<string>();
      let firstProblem = '';
      for (const e of judged) {
        const verdict = req.judge(e);
        if (verdict.ok) {
          if (verdict.note) notes.add(verdict.note);
          continue;
        }
        firstProblem ||= verdict.problem;
        findings.push({
          message: `${kindOf(e)} response (${describe(e)}): ${req.header} ${verdict.problem}`,
          exchanges: [e.id],
          at: req.header,
          expected: req.expected,
          ...(verdict.received !== undefined ? { received: verdict.received } : {}),
        });
      }
      const bad = judged.filter((e) => findings.some((f) => f.exchanges.includes(e.id)));
      if (findings.length) return failed(`${req.header} on ${kindList(bad)} responses: ${firstProblem}${note(ctx)}`, findings);
      return passed(
        `${req.header} is ${req.expected} on ${kindList(judged)} responses${notes.size ? ` (by ${[...notes].join(', ')})` : ''}${note(ctx)}`,
        judged,
      );
    },
  };
}
