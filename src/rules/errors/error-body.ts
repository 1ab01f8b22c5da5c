/** Shared reading of error bodies: which schema the profile uses, and what a body is. */
import { jsonBody, type Exchange } from '../../http/exchange.ts';
import { describeSchemaError } from '../../spec/schemas.ts';
import type { CheckContext, Finding } from '../types.ts';
import { bodyExcerpt, describe } from '../support.ts';

export function errorSchemaName(ctx: CheckContext): string {
  return ctx.target.conventions.error_format === 'problem' ? 'problem' : 'envelope-error';
}

/** Findings for one error response against the profile's error schema (none when it matches). */
export function shapeFindings(e: Exchange, ctx: CheckContext): Finding[] {
  const format = ctx.target.conventions.error_format === 'problem' ? 'an RFC 9457 problem' : 'the error envelope';
  if (!e.response || e.response.bodyBytes === 0) {
    return [
      { message: `${describe(e)} has an empty body, expected ${format}`, exchanges: [e.id], expected: format, received: '(empty body)' },
    ];
  }
  const body = jsonBody(e);
  if (body === undefined) {
    return [
      {
        message: `${describe(e)}: body is not JSON, expected ${format}`,
        exchanges: [e.id],
        expected: format,
        received: bodyExcerpt(e, 120),
      },
    ];
  }
  return ctx.schemas.validate(errorSchemaName(ctx), body).map((err) => ({
    message: `${e.response!.status} body is not ${format}: ${describeSchemaError(err)}`,
    exchanges: [e.id],
    at: err.instancePath || '$',
    expected: format,
    received: bodyExcerpt(e, 160),
  }));
}
