import {
  escapePointer,
  isJsonMediaType,
  isObj,
  type DocumentedResponse,
  type OpenApiModel,
  type Operation,
} from '../../openapi/document.ts';
import { jsonBody, mediaType, type Exchange } from '../../http/exchange.ts';
import { describeSchemaError } from '../../spec/schemas.ts';
import { bodyExcerpt, errored, failed, passed, skipped } from '../support.ts';
import type { Finding } from '../types.ts';
import { documentFor } from './document.ts';
import { documentedTraffic, opLabel } from './traffic.ts';
import { defineRule } from '../define.ts';
import { openapiDocumentProbe } from '../../probes/docs.ts';

/**
 * SPEC §6 docs.response-schema, run-wide (Schemathesis' response_schema_conformance applied to
 * all the traffic of the run): every 2xx seen for a documented operation has a documented
 * status and matches its schema; every 4xx/5xx whose status (or range, or `default`) is
 * documented matches that schema. Undocumented 4xx are docs.error-statuses' business.
 */
export const docsResponseSchema = defineRule('docs.response-schema', {
  probes: [openapiDocumentProbe],
  runWide: true,
  check(rec) {
    const doc = documentFor(rec);
    if ('outcome' in doc) return doc.outcome;
    const { model } = doc;
    const findings: Finding[] = [];
    const judged: Exchange[] = [];
    const operations = new Set<string>();
    const uncompiled = new Map<string, string>();
    let unread = 0;
    for (const { exchange: e, op } of documentedTraffic(rec, model)) {
      const status = e.response.status;
      const documented = model.response(op, status);
      if (!documented) {
        if (status >= 200 && status < 300) {
          judged.push(e);
          findings.push({
            message: `${opLabel(op)} answered ${status}, which it does not document (documented: ${model.documentedStatuses(op).join(', ') || 'none'})`,
            exchanges: [e.id],
            at: `${op.pointer}/responses`,
            expected: `a documented status (${model.documentedStatuses(op).join(', ')})`,
            received: String(status),
          });
        }
        continue;
      }
      const result = judge(model, op, documented, e);
      if (result === 'unread') {
        unread++;
        continue;
      }
      if (typeof result === 'string') {
        uncompiled.set(documented.pointer, result);
        continue;
      }
      judged.push(e);
      operations.add(opLabel(op));
      findings.push(...result);
    }
    const notes = [
      ...(unread ? [`${unread} response(s) not judged: body cut short`] : []),
      ...[...uncompiled].map(([pointer, error]) => `schema at ${pointer} does not compile: ${error}`),
    ];
    const note = notes.length ? ` (${notes.join('; ')})` : '';
    if (findings.length) {
      return failed(
        `${new Set(findings.flatMap((f) => f.exchanges)).size} of ${judged.length} responses to documented operations do not match the document${note}`,
        findings,
      );
    }
    if (!judged.length) {
      if (uncompiled.size) return errored('inconclusive', `could not check: ${notes.join('; ')}`);
      return skipped('nothing-to-check', `no response of the run hit an operation with a documented status${note}`);
    }
    return passed(
      `${judged.length} responses to ${operations.size} documented operations have a documented status and match its schema${note}`,
      judged,
    );
  },
});

/** Findings for one response against its documented response object; a string when the schema does not compile. */
function judge(
  model: OpenApiModel,
  op: Operation,
  documented: DocumentedResponse,
  e: Exchange & { response: NonNullable<Exchange['response']> },
): Finding[] | string | 'unread' {
  const where = `${opLabel(op)} → ${e.response.status}`;
  const content = isObj(documented.response.content) ? documented.response.content : undefined;
  const types = content ? Object.keys(content) : [];
  const hasBody = e.response.bodyBytes > 0;
  if (!types.length) {
    return hasBody
      ? [
          {
            message: `${where}: the document describes no body (at ${documented.pointer}), but the response has ${e.response.bodyBytes} bytes`,
            exchanges: [e.id],
            at: documented.pointer,
            expected: 'no body',
            received: bodyExcerpt(e, 120),
          },
        ]
      : [];
  }
  if (!hasBody) {
    return [
      {
        message: `${where}: the response has no body; the document describes ${types.join(', ')} (at ${documented.pointer})`,
        exchanges: [e.id],
        at: documented.pointer,
        expected: types.join(' or '),
        received: '(empty body)',
      },
    ];
  }
  const findings: Finding[] = [];
  const received = mediaType(e);
  let key = pickMediaType(types, received);
  if (key === undefined) {
    findings.push({
      message: `${where}: content type ${received || '(none)'} is not documented (documented: ${types.join(', ')} at ${documented.pointer})`,
      exchanges: [e.id],
      at: `${documented.pointer}/content`,
      expected: types.join(' or '),
      received: received || '(none)',
    });
    // Still judge a JSON body against the documented JSON schema: both findings help.
    key = isJsonMediaType(received) ? types.find(isJsonMediaType) : undefined;
    if (key === undefined) return findings;
  }
  const media = content![key];
  const jsonExpected = isJsonMediaType(key) || ((key === '*/*' || key.endsWith('/*')) && isJsonMediaType(received));
  if (!isObj(media) || media.schema === undefined || !jsonExpected) return findings;
  if (e.response.droppedBytes || e.response.incomplete) return findings.length ? findings : 'unread';
  const body = jsonBody(e);
  if (body === undefined) {
    findings.push({
      message: `${where}: the body is not JSON, the document describes ${key}`,
      exchanges: [e.id],
      at: documented.pointer,
      expected: key,
      received: bodyExcerpt(e, 120),
    });
    return findings;
  }
  const schemaPointer = model.resolvedPointer(media.schema, `${documented.pointer}/content/${escapePointer(key)}/schema`);
  const check = model.validate(schemaPointer, body);
  if (!check.ok) return check.compileError;
  for (const err of check.errors) {
    const schemaPath = err.schemaPath.replace(/^[^#]*#/, '');
    findings.push({
      message: `${where}: ${describeSchemaError(err)} (instance ${err.instancePath || '/'}, schema ${schemaPath || schemaPointer})`,
      exchanges: [e.id],
      at: err.instancePath || '/',
      expected: `valid against ${schemaPointer}`,
      received: JSON.stringify(valueAt(body, err.instancePath))?.slice(0, 160) ?? 'undefined',
    });
  }
  return findings;
}

/** The documented media type a response's type falls under: exact, then type/*, then *\/*. */
function pickMediaType(types: readonly string[], received: string): string | undefined {
  const norm = (t: string): string => t.split(';')[0]!.trim().toLowerCase();
  return (
    types.find((t) => norm(t) === received) ??
    types.find((t) => norm(t) === `${received.split('/')[0]}/*`) ??
    types.find((t) => norm(t) === '*/*')
  );
}

function valueAt(body: unknown, pointer: string): unknown {
  let node = body;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = Array.isArray(node) ? node[Number(key)] : isObj(node) ? node[key] : undefined;
  }
  return node;
}
