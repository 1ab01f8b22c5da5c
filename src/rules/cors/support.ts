/** What the CORS checks share: the cors:origins output joined with its exchanges, and header readers. */
import { header, headerValues, type Exchange } from '../../http/exchange.ts';
import type { CorsOutput, OriginProbe, OriginRole } from '../../probes/cors.ts';
import { exchangeById } from '../support.ts';
import type { Recording } from '../types.ts';
import { corsOriginsProbe } from '../../probes/cors.ts';
import { outputOf } from '../../probes/types.ts';

export interface ProbedOrigin extends OriginProbe {
  readonly preflightExchange?: Exchange;
  readonly actualExchange?: Exchange;
}

export function corsOutput(rec: Recording): CorsOutput | undefined {
  return outputOf(rec, corsOriginsProbe);
}

export function probedOrigins(rec: Recording, ...roles: OriginRole[]): ProbedOrigin[] {
  return (corsOutput(rec)?.origins ?? [])
    .filter((o) => !roles.length || roles.includes(o.role))
    .map((o) => {
      const preflightExchange = exchangeById(rec, o.preflight);
      const actualExchange = exchangeById(rec, o.actual);
      return { ...o, ...(preflightExchange ? { preflightExchange } : {}), ...(actualExchange ? { actualExchange } : {}) };
    });
}

/** The preflight and actual exchanges of some origins, with the role they played. */
export function exchangesOfOrigins(
  origins: readonly ProbedOrigin[],
): { o: ProbedOrigin; e: Exchange; step: 'preflight' | 'actual request' }[] {
  return origins.flatMap((o) => [
    ...(o.preflightExchange ? [{ o, e: o.preflightExchange, step: 'preflight' as const }] : []),
    ...(o.actualExchange ? [{ o, e: o.actualExchange, step: 'actual request' as const }] : []),
  ]);
}

/** Access-Control-Allow-Origin values (two or more is itself an error: browsers reject the response). */
export const acaoValues = (e: Exchange): readonly string[] => headerValues(e, 'access-control-allow-origin').map((v) => v.trim());
export const acac = (e: Exchange): string | undefined => header(e, 'access-control-allow-credentials')?.trim();

/** Whether the response echoes the request's Origin in ACAO (byte for byte, as browsers compare). */
export function echoes(e: Exchange, origin: string): boolean {
  return acaoValues(e).includes(origin);
}

/** "Origin: X → 204, ACAO: X, ACAC: true": what the evidence should make obvious. */
export function corsLine(e: Exchange, origin: string): string {
  if (!e.response) return `Origin: ${origin} → no response (${e.error?.message ?? 'unknown'})`;
  const values = acaoValues(e);
  return `Origin: ${origin} → ${e.request.method} ${e.response.status}, ACAO: ${values.length ? values.join(' + ') : '(absent)'}, ACAC: ${acac(e) ?? '(absent)'}`;
}

/** Comma-separated header list, trimmed, empty items dropped. */
export function list(e: Exchange, name: string): string[] {
  return headerValues(e, name)
    .join(',')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

export function isOk(e: Exchange): boolean {
  const s = e.response?.status ?? 0;
  return s >= 200 && s < 300;
}
