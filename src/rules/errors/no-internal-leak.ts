import type { Exchange } from '../../http/exchange.ts';
import { errorResponses, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { hostileIdsProbe, resourcesNotFoundProbe } from '../../probes/resources.ts';

/** Signatures of internals in error bodies, each with what it reveals. */
const LEAKS: readonly [RegExp, string][] = [
  [/Traceback \(most recent call last\)/, 'a Python traceback'],
  [/File "[^"]+\.py", line \d+/, 'a Python stack frame'],
  [/\n\s+at [\w$.<>]+ \((?:\/|[A-Za-z]:\\|node:|file:)[^)]*:\d+:\d+\)/, 'a JavaScript stack trace'],
  [/\bat [\w$.]+\([\w]+\.java:\d+\)/, 'a Java stack trace'],
  [/\b(?:java|javax|org\.springframework|System|Microsoft)\.[\w.]*(?:Exception|Error)\b/, 'an exception class name'],
  [
    /\b(?:ValueError|KeyError|TypeError|AttributeError|IntegrityError|NullPointerException|ReferenceError|SQLException|OperationalError)\b/,
    'an exception class name',
  ],
  [
    /\b(?:SQLSTATE|syntax error at or near|ORA-\d{5}|psycopg2?\.|sqlalchemy\.|SQLITE_ERROR|You have an error in your SQL syntax)/i,
    'a database error',
  ],
  [/\bSELECT\s+[\w*,\s."]+\s+FROM\s+\w+/i, 'an SQL statement'],
  [/(?:^|[\s"'(])\/(?:app|usr|home|var|srv|opt|src|root)\/[\w./-]+\.(?:py|js|ts|rb|java|php|go|cs)\b/, 'a server file path'],
  [/\b[A-Z]:\\(?:[\w .-]+\\)+[\w .-]+\.\w+/, 'a Windows file path'],
  [
    /Werkzeug Debugger|Whoops! There was an error|DEBUG = True|django\.core\.|Exception Value:|<title>Action Controller: Exception/,
    'a framework debug page',
  ],
];

const LEAKY_HEADERS = /^(?:x-debug|x-exception|x-stack|x-error-stack|x-sql)/i;

function leaksOf(e: Exchange): Finding[] {
  const findings: Finding[] = [];
  const body = e.response?.body ?? '';
  for (const [pattern, what] of LEAKS) {
    const m = pattern.exec(body);
    if (m) {
      const start = Math.max(0, m.index - 20);
      findings.push({
        message: `error body shows ${what}`,
        exchanges: [e.id],
        at: 'body',
        expected: 'no internals in error responses',
        received: `…${body.slice(start, m.index + 80).replace(/\s+/g, ' ')}…`,
      });
      break;
    }
  }
  for (const [name, value] of Object.entries(e.response?.headers ?? {})) {
    const text = typeof value === 'string' ? value : value.join(', ');
    if (LEAKY_HEADERS.test(name)) {
      findings.push({ message: `error response carries debug header ${name}`, exchanges: [e.id], at: name, received: text.slice(0, 120) });
      continue;
    }
    for (const [pattern, what] of LEAKS) {
      if (pattern.test(text)) {
        findings.push({ message: `header ${name} shows ${what}`, exchanges: [e.id], at: name, received: text.slice(0, 120) });
        break;
      }
    }
  }
  return findings;
}

/** SPEC §6 errors.no-internal-leak: no stack traces, class names, SQL, paths or debug pages. */
export const errorsNoInternalLeak = defineRule('errors.no-internal-leak', {
  probes: [hostileIdsProbe, resourcesNotFoundProbe],
  runWide: true,
  check(rec) {
    const judged = errorResponses(rec);
    if (!judged.length) return skipped('nothing-to-check', 'the run saw no error response');
    const findings = judged.flatMap(leaksOf);
    return findings.length
      ? failed('error responses expose internals', findings)
      : passed(`none of ${judged.length} error responses exposes internals`, judged);
  },
});
