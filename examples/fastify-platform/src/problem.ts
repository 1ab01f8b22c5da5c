/**
 * Errors as RFC 9457 problem details ("Error Handling"). Fastify answers errors with
 * `{statusCode, code, error, message}`, validation failures with 400, unknown routes with
 * 404 `{message: "Route GET:/x not found"}` and unsupported methods with 404 too; the error
 * and not-found handlers below turn all of them into `application/problem+json`.
 */
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface ValidationItem {
  readonly loc: readonly (string | number)[];
  readonly msg: string;
  readonly type: string;
}

/** Throw one of these from a route or hook; the error handler renders it. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | readonly ValidationItem[],
    readonly extensions: Readonly<Record<string, unknown>> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(typeof detail === 'string' ? detail : 'Validation failed');
  }
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: Problem): FastifyReply {
  const path = request.url.split('?')[0] ?? '/';
  const body = {
    type: 'about:blank',
    title: STATUS_CODES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    instance: path.length > 200 ? `${path.slice(0, 200)}…` : path,
    ...problem.extensions,
  };
  return reply.code(problem.status).headers(problem.headers).type('application/problem+json').send(body);
}

// ajv's `instancePath` ("/metadata") and `params.missingProperty` give the field.
function validationItems(error: FastifyError): ValidationItem[] {
  const where =
    error.validationContext === 'params'
      ? 'path'
      : error.validationContext === 'querystring'
        ? 'query'
        : (error.validationContext ?? 'body');
  return (error.validation ?? []).map((v) => {
    const path = v.instancePath.split('/').filter(Boolean);
    const missing = (v.params as { missingProperty?: string }).missingProperty;
    return { loc: [where, ...path, ...(missing ? [missing] : [])], msg: v.message ?? 'is invalid', type: `value_error.${v.keyword}` };
  });
}

/** Fastify's own error codes, by what they mean for the client. */
const FASTIFY_ERRORS: Readonly<Record<string, [number, string]>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'The request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'The request body is empty; send a JSON object'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'Send the request body as application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'Content-Length does not match the body'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'The request body is too large'],
};

export function installProblemHandlers(app: FastifyInstance, allowed: (path: string) => readonly string[] | undefined): void {
  app.setErrorHandler((error: FastifyError | Problem, request, reply) => {
    if (error instanceof Problem) return sendProblem(request, reply, error);
    if (error.validation) return sendProblem(request, reply, new Problem(422, validationItems(error)));
    const known = error.code ? FASTIFY_ERRORS[error.code] : undefined;
    if (known) return sendProblem(request, reply, new Problem(known[0], known[1]));
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) return sendProblem(request, reply, new Problem(status, STATUS_CODES[status] ?? 'Bad request'));
    // "Include relevant context without exposing sensitive information": log it, say nothing.
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, new Problem(500, 'An unexpected error occurred'));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const methods = allowed(path);
    // TRACE is refused everywhere, not only on paths that exist.
    if (request.method === 'TRACE')
      return sendProblem(request, reply, new Problem(405, 'TRACE is not allowed', {}, methods ? { allow: methods.join(', ') } : {}));
    if (methods) {
      return sendProblem(
        request,
        reply,
        new Problem(405, `${request.method} is not allowed on ${path}`, {}, { allow: methods.join(', ') }),
      );
    }
    return sendProblem(
      request,
      reply,
      new Problem(404, `No route matches ${request.method} ${path.length > 200 ? `${path.slice(0, 200)}…` : path}`),
    );
  });
}
