import { mediaType, type Exchange } from '../../http/exchange.ts';
import { parseSse } from '../../http/sse.ts';
import { describe, exchangeById, failed, isObject, passed, skipped, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { streamsSseProbe } from '../../probes/streams.ts';
import { outputOf } from '../../probes/types.ts';

/**
 * SPEC §6 streaming.sse (platform guideline 'Streaming Responses › Server-Sent Events'):
 * `text/event-stream`; each `data` is JSON with a `type`; message_start, content_delta…,
 * message_end in that order (other types are ignored); the end's content equals the deltas
 * joined. The recorded body is re-parsed with the same incremental parser the probe used.
 */
export const streamingSse = defineRule('streaming.sse', {
  probes: [streamsSseProbe],
  check(rec) {
    const out = outputOf(rec, streamsSseProbe) ?? [];
    const sent = out.filter((o) => o.exchange !== undefined).map((o) => ({ o, e: exchangeById(rec, o.exchange)! }));
    if (!sent.length) {
      const why = out.map((o) => `${o.stream}: ${o.skipped}`).join('; ');
      return skipped('nothing-to-check', why ? `no stream was read (${why})` : 'no stream is declared');
    }
    const answered = sent.filter(({ e }) => e.response);
    if (!answered.length) return unanswered(sent.map(({ e }) => e));
    const findings: Finding[] = [];
    const summaries: string[] = [];
    for (const { e } of answered) {
      const result = streamFindings(e);
      findings.push(...result.findings);
      if (result.summary) summaries.push(result.summary);
    }
    if (findings.length)
      return failed(
        `${new Set(findings.flatMap((f) => f.exchanges)).size} of ${answered.length} streams break the message contract`,
        findings,
      );
    return passed(
      `${answered.length} stream(s) followed the contract: ${summaries.join('; ')}`,
      answered.map(({ e }) => e),
    );
  },
});

function streamFindings(e: Exchange): { findings: Finding[]; summary?: string } {
  const r = e.response!;
  const finding = (message: string, at?: string, received?: string): Finding => ({
    message: `${describe(e)}: ${message}`,
    exchanges: [e.id],
    ...(at ? { at } : {}),
    ...(received !== undefined ? { received: received.slice(0, 160) } : {}),
  });
  if (r.status !== 200)
    return { findings: [finding(`answered ${r.status}, expected 200 with an event stream`, undefined, String(r.status))] };
  if (mediaType(e) !== 'text/event-stream')
    return { findings: [finding(`content type is ${mediaType(e) || '(none)'}, expected text/event-stream`, 'content-type', mediaType(e))] };
  const findings: Finding[] = [];
  let open: { start: number; deltas: string[] } | undefined;
  let messages = 0;
  let deltasSeen = 0;
  for (const ev of parseSse(r.body)) {
    const at = `event[${ev.index}]`;
    let data: unknown;
    try {
      data = JSON.parse(ev.data);
    } catch {
      findings.push(finding(`${at}: data is not JSON`, `${at}.data`, ev.data));
      continue;
    }
    if (!isObject(data) || typeof data.type !== 'string') {
      findings.push(finding(`${at}: data has no string \`type\``, `${at}.data.type`, ev.data));
      continue;
    }
    const content = data.content;
    switch (data.type) {
      case 'message_start':
        if (open)
          findings.push(
            finding(`${at}: message_start while the message of event[${open.start}] is still open`, `${at}.data.type`, ev.data),
          );
        open = { start: ev.index, deltas: [] };
        break;
      case 'content_delta':
        if (!open)
          findings.push(finding(`${at}: content_delta outside a message (no message_start before it)`, `${at}.data.type`, ev.data));
        else if (typeof content !== 'string')
          findings.push(finding(`${at}: content_delta without a string \`content\``, `${at}.data.content`, ev.data));
        else {
          open.deltas.push(content);
          deltasSeen++;
        }
        break;
      case 'message_end': {
        if (!open) {
          findings.push(finding(`${at}: message_end without a message_start`, `${at}.data.type`, ev.data));
          break;
        }
        const joined = open.deltas.join('');
        if (content !== joined) {
          findings.push({
            ...finding(
              `${at}: message_end content differs from the ${open.deltas.length} deltas joined`,
              `${at}.data.content`,
              JSON.stringify(content),
            ),
            expected: JSON.stringify(joined),
          });
        }
        messages++;
        open = undefined;
        break;
      }
      default:
        break; // other types (ping, tool events…) are ignored
    }
  }
  if (open) {
    const why = r.incomplete ? ` (${r.incomplete})` : '';
    findings.push(finding(`the stream ended without a message_end for the message of event[${open.start}]${why}`, `event[${open.start}]`));
  } else if (!messages && !findings.length) {
    findings.push(
      finding(
        `the stream carried no message (no message_start … message_end)${r.incomplete ? ` (${r.incomplete})` : ''}`,
        undefined,
        r.body.slice(0, 160),
      ),
    );
  }
  return { findings, summary: `${messages} message(s), ${deltasSeen} delta(s)` };
}
