/** Shared judgement of the upload probes: which statuses refuse, and with the profile's error shape. */
import type { UploadProbeOutput } from '../../probes/uploads.ts';
import { outputOf, type ProbeDef } from '../../probes/types.ts';
import { shapeFindings } from '../errors/error-body.ts';
import { describe, exchangeById, failed, passed, skipped, unanswered } from '../support.ts';
import type { CheckContext, Finding, Outcome, Recording } from '../types.ts';

/** Errors of a connection the service closed mid-upload (no answer reached the harness). */
const CLOSED = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

export function judgeUploads(
  rec: Recording,
  ctx: CheckContext,
  probe: ProbeDef<UploadProbeOutput[]>,
  statuses: readonly number[],
  what: string,
): Outcome {
  const out = outputOf(rec, probe) ?? [];
  const sent = out.filter((o) => o.exchange !== undefined);
  if (!sent.length) {
    const why = out.map((o) => `${o.upload}: ${o.skipped}`).join('; ');
    return skipped('nothing-to-check', why ? `no upload was sent (${why})` : 'no upload is declared');
  }
  const findings: Finding[] = [];
  const judged = [];
  const transport = [];
  for (const o of sent) {
    const e = exchangeById(rec, o.exchange)!;
    if (!e.response) {
      if (e.error && CLOSED.has(e.error.code)) {
        // The service cut the connection without a word: a client cannot tell why.
        findings.push({
          message: `${o.upload}: the service closed the connection during the upload without answering (${e.error.message}); expected ${statuses.join(' or ')} with the error shape, sent before closing`,
          exchanges: [e.id],
          expected: `${statuses.join(' or ')} with error shape`,
          received: e.error.message,
        });
      } else transport.push(e);
      continue;
    }
    judged.push(e);
    const status = e.response.status;
    if (!statuses.includes(status)) {
      findings.push({
        message: `${describe(e)}: ${what} answered ${status}${status >= 200 && status < 300 ? ' (accepted)' : ''}, expected ${statuses.join(' or ')}`,
        exchanges: [e.id],
        expected: statuses.join(' or '),
        received: String(status),
      });
      continue;
    }
    findings.push(...shapeFindings(e, ctx));
  }
  if (findings.length) return failed(`${what}: ${findings.length} upload(s) not refused as expected`, findings);
  if (!judged.length) return unanswered(transport);
  return passed(
    `${judged.length} ${what} refused with ${[...new Set(judged.map((e) => e.response!.status))].join('/')} and the error shape`,
    judged,
  );
}
