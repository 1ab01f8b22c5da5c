/**
 * The request context every handler of the reference receives, and the one header helper all of
 * them share. It sits below `respond.ts` and the middleware (auth, cors, ratelimit, security) so
 * that those can import it without importing each other.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from './store.ts';
import type { Profile } from '../src/spec/vocabulary.ts';

/** State of one (fault set, profile, transport) target: its items and its rate-limit windows, kept apart from every other. */
export interface Tenant {
  readonly store: Store;
  readonly windows: Map<string, { start: number; count: number }>;
}

export interface Ctx {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly profile: Profile;
  readonly faults: ReadonlySet<string>;
  readonly tenant: Tenant;
  /** Path below the profile prefix, e.g. /v2/documents/123. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly requestId: string;
  readonly started: number;
  /** Base path of this profile (with fault prefix), for `instance` members. */
  readonly base: string;
}

/** First value of a request header (Node joins most repeats, but not all, into one string). */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
