/**
 * A probe is a named, ordered piece of I/O against one target, made once per run and shared
 * by every rule that reads it ("probe once, check many"). Probes record exchanges through the
 * client and may return a JSON output (created ids, walk results) that checks read.
 */
import type { ProbeClient, ProbeRequest } from '../http/client.ts';
import type { Credential, Exchange } from '../http/exchange.ts';
import type { Resource, Target } from '../config/target.ts';

/** setup: creates shared fixtures; main: everything else; teardown: deletes; final: the burst (SPEC §7). */
export type ProbePhase = 'setup' | 'main' | 'teardown' | 'final';

export interface ProbeContext {
  readonly target: Target;
  readonly client: ProbeClient;
  /** Sends a request recorded under this probe's name. */
  send(request: Omit<ProbeRequest, 'probe'>): Promise<Exchange>;
  /** Output of a probe that ran earlier (declare it in `needs`). */
  output<T>(probe: string): T | undefined;
  /** Registers an item the harness created, so it is deleted whatever happens. */
  created(resource: Resource, id: string): void;
  /** Marks an item as deleted by the probe itself. */
  deleted(resource: Resource, id: string): void;
}

export interface ProbeDef {
  readonly name: string;
  readonly phase?: ProbePhase;
  /** Probes whose outputs this one reads; they run first (and are pulled in when needed). */
  readonly needs?: readonly string[];
  /** Sends POST/PUT/PATCH/DELETE: never runs in read-only mode. */
  readonly mutating?: boolean;
  /**
   * Requests the probe will send, per credential they are sent with ('none' to another origin,
   * as the client sends them), known from the target alone (no I/O): for `run --dry-run`. A number, or
   * `{ expected, max }` when it depends on the service (a walk reads as many pages as there are,
   * at most page_cap). Include the cleanup's DELETEs of what the probe creates.
   */
  readonly estimate: (target: Target) => RequestEstimate;
  run(ctx: ProbeContext): Promise<unknown>;
}

export type RequestEstimate = Partial<Record<Credential, number | { readonly expected: number; readonly max: number }>>;
