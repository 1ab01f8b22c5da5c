/**
 * The run's traffic seen through the document: each API response (SPEC §8: GET/POST/PUT/PATCH/
 * DELETE on API paths, health and ready included) paired with the documented operation it hit.
 */
import type { OpenApiModel, Operation } from '../../openapi/document.ts';
import type { Exchange } from '../../http/exchange.ts';
import { apiExchanges } from '../support.ts';
import type { Recording } from '../types.ts';

export interface Matched {
  readonly exchange: Exchange & { readonly response: NonNullable<Exchange['response']> };
  readonly op: Operation;
}

export function documentedTraffic(rec: Recording, model: OpenApiModel): Matched[] {
  const out: Matched[] = [];
  for (const e of apiExchanges(rec, { includeHealth: true })) {
    // A response cut short is no evidence of its status (nor of its body).
    if (e.response?.incomplete) continue;
    let absolute: string | undefined;
    try {
      absolute = new URL(e.request.url).pathname;
    } catch {
      absolute = undefined;
    }
    const op = model.match(e.request.method, e.path, absolute);
    if (op) out.push({ exchange: e as Matched['exchange'], op });
  }
  return out;
}

export const opLabel = (op: Operation): string => `${op.method} ${op.path}`;
