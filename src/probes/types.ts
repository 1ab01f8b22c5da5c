/**
 * A probe is a named, ordered piece of I/O against one target, made once per run and shared
 * by every rule that reads it ("probe once, check many"). Probes record exchanges through the
 * client and may return a JSON output (created ids, walk results) that checks read.
 *
 * A probe's output type is part of its definition: `defineProbe` infers it from `run`, and
 * checks read it through `outputOf(recording, probe)`, so renaming or reshaping a probe breaks
 * the build, not a run.
 */
import type { ProbeClient, ProbeRequest } from '../http/client.ts';
import type { Credential, Exchange } from '../http/exchange.ts';
import type { DiscoveryReport, Resource, Target } from '../config/target.ts';

/** setup: creates shared fixtures; main: everything else; teardown: deletes; final: the burst (SPEC §7). */
export type ProbePhase = 'setup' | 'main' | 'teardown' | 'final';

export interface ProbeContext<Warm = unknown> {
  readonly target: Target;
  /** What the probe's `warmUp` started, when it has one and the recording started it. */
  readonly warm?: Promise<Warm>;
  readonly client: ProbeClient;
  /** Sends a request recorded under this probe's name. */
  send(request: Omit<ProbeRequest, 'probe'>): Promise<Exchange>;
  /** Output of a probe that ran earlier (declare it in `needs`). */
  output<Output>(probe: ProbeDef<Output>): Output | undefined;
  /** Registers an item the harness created, so it is deleted whatever happens. */
  created(resource: Resource, id: string): void;
  /** Marks an item as deleted by the probe itself. */
  deleted(resource: Resource, id: string): void;
}

export interface ProbeDef<Output = unknown, Warm = unknown> {
  readonly name: string;
  readonly phase?: ProbePhase;
  /** Probes whose outputs this one reads; they run first (and are pulled in when needed). */
  readonly needs?: readonly ProbeDef[];
  /** Sends POST/PUT/PATCH/DELETE: never runs in read-only mode. */
  readonly mutating?: boolean;
  /**
   * Requests the probe will send, per credential they are sent with ('none' to another origin,
   * as the client sends them), known from the target alone (no I/O): for `run --dry-run`. A number, or
   * `{ expected, max }` when it depends on the service (a walk reads as many pages as there are,
   * at most page_cap). Include the cleanup's DELETEs of what the probe creates.
   */
  readonly estimate: (target: Target) => RequestEstimate;
  /**
   * Slow set-up that sends nothing to the target (starting Chromium), begun as soon as the
   * recording knows the probe will run, so that it overlaps the probes before it. `run` gets it
   * as `ctx.warm` and owns it from then on; `release` frees it when `run` never got to (a probe
   * the plan dropped after discovery, a target that stopped answering).
   */
  readonly warmUp?: (target: Target) => Promise<Warm>;
  release?(warm: Warm): Promise<void>;
  run(ctx: ProbeContext<Warm>): Promise<Output>;
}

export type RequestEstimate = Partial<Record<Credential, number | { readonly expected: number; readonly max: number }>>;

/** Declares a probe; its output type is inferred from `run`. */
export function defineProbe<Output, Warm = never>(probe: ProbeDef<Output, Warm>): ProbeDef<Output, Warm> {
  return probe;
}

/** Everything the probes of one target saw, as the checks read it. */
export interface Recording {
  readonly target: string;
  readonly exchanges: readonly Exchange[];
  /** Outputs of named probes (created ids, walk results...), JSON-serialisable. Read them with `outputOf`. */
  readonly outputs: Readonly<Record<string, unknown>>;
  /** Probes that threw: name → message. Rules reading them are `error`. */
  readonly probeErrors: Readonly<Record<string, string>>;
  /** Set when the reachability check failed: every rule is `error` with this message. */
  readonly unreachable?: { readonly message: string; readonly exchange?: number };
  /** Credentials fetched per run whose token request failed: name → redacted message. Rules needing them are `error`. */
  readonly credentialErrors?: Readonly<Record<string, string>>;
  /** Items the harness created and could not delete. */
  readonly leftovers: readonly string[];
  /** Resources derived from the OpenAPI document (targets that declare none). */
  readonly discovery?: DiscoveryReport;
}

/**
 * The output `probe` recorded, typed by the probe's definition. The one place that casts a
 * recorded output: outputs are written by `run` of the same probe (and survive a JSON round trip).
 */
export function outputOf<Output>(recording: Pick<Recording, 'outputs'>, probe: ProbeDef<Output>): Output | undefined {
  return recording.outputs[probe.name] as Output | undefined;
}
