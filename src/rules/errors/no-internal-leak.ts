import type { Exchange } from '../../http/exchange.ts';
import { errorResponses, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { hostileIdsProbe, resourcesNotFoundProbe } from '../../probes/resources.ts';

/**
 * Signatures of internals in error bodies, each with what it reveals. They are matched against
 * what a reader of the body sees (see readerText): HTML decoded and stripped, JSON escapes undone,
 * so a trace is caught however the framework dressed it (issue 12: Express's HTML page).
 */
const LEAKS: readonly [RegExp, string][] = [
  [/Traceback \(most recent call last\)/, 'a Python traceback'],
  [/File "[^"]+\.py", line \d+/, 'a Python stack frame'],
  // JavaScript frames, with or without a newline before them: `at fn (file:1:2)`, `at fn (<anonymous>)`, `at /file:1:2`.
  [/\bat (?:async )?[\w$.<>[\]]+ \((?:<anonymous>|native|[^()\s]+:\d+:\d+)\)/, 'a JavaScript stack trace'],
  [/\bat (?:\/|[A-Za-z]:\\|node:|file:)[^\s()]*:\d+:\d+/, 'a JavaScript stack trace'],
  [/\bat [\w$.]+\([\w$]+\.(?:java|kt|scala):\d+\)/, 'a Java stack trace'],
  [/\bat [\w.`<>]+\([^)]*\) in [^\n]+:line \d+/, 'a .NET stack trace'],
  [/goroutine \d+ \[[\w ]+\]:|\.go:\d+ \+0x[0-9a-f]+|\bpanic: runtime error/, 'a Go panic'],
  [/[\w/.-]+\.rb:\d+:in [`']/, 'a Ruby backtrace'],
  [/\bin \/[\w/.-]+\.php(?: on line |:)\d+|Stack trace:\s*#0 |PHP (?:Fatal|Parse) error/, 'a PHP error'],
  [/\b(?:java|javax|org\.springframework|org\.hibernate|System|Microsoft)\.[\w.]*(?:Exception|Error)\b/, 'an exception class name'],
  [
    /\b(?:SyntaxError|TypeError|ReferenceError|RangeError|EvalError|URIError|ValueError|KeyError|IndexError|AttributeError|NameError|ZeroDivisionError|IntegrityError|OperationalError|ProgrammingError|NullPointerException|IllegalArgumentException|IllegalStateException|ClassCastException|ArrayIndexOutOfBoundsException|NullReferenceException|InvalidOperationException|ArgumentNullException|NoMethodError|SQLException|PDOException)\b/,
    'an exception class name',
  ],
  [/\b(?:ActiveRecord|ActionController|ActionView)::\w+/, 'an exception class name'],
  [
    /\b(?:SQLSTATE|syntax error at or near|ORA-\d{5}|psycopg2?\.|sqlalchemy\.|SQLITE_ERROR|You have an error in your SQL syntax)/i,
    'a database error',
  ],
  [/\bSELECT\s+[\w*,\s."]+\s+FROM\s+\w+/i, 'an SQL statement'],
  // Server file paths under any root: a source file two or more directories deep, or a package folder.
  [/(?:^|[\s"'([])(?:\/[\w.@-]+){2,}\.(?:py|js|mjs|cjs|ts|rb|java|php|go|cs|kt|scala|rs|ex|exs|pl)\b/, 'a server file path'],
  [/(?:^|[\s"'([])(?:\/[\w.@-]+)*\/(?:node_modules|site-packages|dist-packages|vendor\/bundle|gems)\/[\w.@/-]+/, 'a server file path'],
  [/\b[A-Z]:\\(?:[\w .-]+\\)+[\w .-]+\.\w+/, 'a Windows file path'],
  [
    /Werkzeug Debugger|Whoops! There was an error|DEBUG = True|django\.core\.|Exception Value:|<title>Action Controller: Exception|Error: .* at Layer\.handle/,
    'a framework debug page',
  ],
];

/** A JSON body's strings (keys and values), as they read once unescaped; any other body as it is. */
function jsonStrings(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return body;
  }
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        out.push(k);
        walk(x);
      }
  };
  walk(parsed);
  return out.join('\n');
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** The body as a person reading it would see it: JSON escapes undone, HTML line breaks kept, tags dropped, entities decoded. */
export function readerText(body: string): string {
  return jsonStrings(body)
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<(?!anonymous>)\/?[a-zA-Z!][^<>]*>/g, ' ') // tags, but not V8's `<anonymous>` frame marker
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (whole, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    })
    .replace(/[ \t\u00a0]+/g, ' ');
}

const LEAKY_HEADERS = /^(?:x-debug|x-exception|x-stack|x-error-stack|x-sql)/i;

function leaksOf(e: Exchange): Finding[] {
  const findings: Finding[] = [];
  const body = readerText(e.response?.body ?? '');
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

/** SPEC §6 errors.no-internal-leak: no stack traces, class names, SQL, paths or debug pages, as a reader of the body sees it. */
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
