import { parseDocument } from '../../openapi/document.ts';
import { mediaType } from '../../http/exchange.ts';
import { bodyExcerpt, describe, exchangeById, failed, passed, unanswered } from '../support.ts';
import type { Finding } from '../types.ts';
import { defineRule } from '../define.ts';
import { docsUiProbe, openapiDocumentProbe } from '../../probes/docs.ts';
import { outputOf } from '../../probes/types.ts';

/**
 * SPEC §6 docs.openapi: the OpenAPI document is served and is valid OpenAPI 3.x (checked
 * against the OpenAPI Initiative's schema of its version, `$ref`s resolved); the docs UI
 * answers 200 HTML. Each fault of the document is named by its JSON pointer.
 */
export const docsOpenapi = defineRule('docs.openapi', {
  probes: [openapiDocumentProbe, docsUiProbe],
  check(rec) {
    const out = outputOf(rec, openapiDocumentProbe);
    const doc = exchangeById(rec, out?.exchange);
    const ui = exchangeById(rec, outputOf(rec, docsUiProbe));
    const broken = [doc, ui].filter((e) => e && !e.response);
    if (!doc?.response) {
      return unanswered(
        broken.filter((e) => e !== undefined),
        undefined,
        `the OpenAPI document could not be fetched${doc?.error ? ` (${doc.error.message})` : ''}`,
      );
    }
    const findings: Finding[] = [];
    const parsed = parseDocument(doc);
    let declared = 'a document';
    if ('problem' in parsed) {
      findings.push({
        message: `${describe(doc)}: the OpenAPI document ${parsed.problem}`,
        exchanges: [doc.id],
        expected: '200 with an OpenAPI 3.x document (JSON or YAML)',
        received: `${doc.response.status} ${bodyExcerpt(doc, 120)}`,
      });
    } else {
      const v = out?.validation;
      declared =
        typeof parsed.doc.openapi === 'string'
          ? `OpenAPI ${parsed.doc.openapi}`
          : typeof parsed.doc.swagger === 'string'
            ? `Swagger ${parsed.doc.swagger}`
            : 'no `openapi` version';
      if (!/^3\.\d+(\.\d+)?/.test(String(parsed.doc.openapi ?? ''))) {
        findings.push({
          message: `the document declares ${declared}; expected OpenAPI 3.x`,
          exchanges: [doc.id],
          at: '/openapi',
          expected: 'openapi: 3.x',
          received: declared,
        });
      } else if (v && !v.valid) {
        for (const err of v.errors) {
          const where = err.instancePath || '/';
          findings.push({
            message: `the document is not valid ${declared}: ${where}: ${err.message}`,
            exchanges: [doc.id],
            at: where,
            expected: `valid ${declared}`,
            received: err.message,
          });
        }
      }
    }
    if (!ui?.response) {
      findings.push({
        message: `the docs UI could not be fetched${ui?.error ? `: ${ui.error.message}` : ''}`,
        exchanges: ui ? [ui.id] : [],
        expected: '200 text/html',
      });
    } else if (ui.response.status !== 200 || mediaType(ui) !== 'text/html') {
      findings.push({
        message: `${describe(ui)}: the docs UI answered ${ui.response.status} ${mediaType(ui) || '(no content type)'}, expected 200 HTML`,
        exchanges: [ui.id],
        expected: '200 text/html',
        received: `${ui.response.status} ${mediaType(ui)}`,
      });
    }
    if (findings.length)
      return failed(
        `the OpenAPI document or the docs UI is not as expected (${findings.length} finding${findings.length > 1 ? 's' : ''})`,
        findings,
      );
    return passed(`the document is valid ${declared} and the docs UI answers 200 HTML`, [doc, ui!]);
  },
});
