/**
 * Generated requests (rules inputs.*, SPEC §6, §8): cases from the OpenAPI document's
 * parameter and request-body schemas (src/inputs), sent through the one client like every
 * probe (paced, redacted, with a curl line), at most `inputs.max_requests` per target.
 * Read-only targets get GETs only; mutating ones also POST/PUT/PATCH bodies to declared or
 * discovered resources, and every item a generated POST created is deleted here, within the
 * same budget (SPEC §7). The first 5xx of an operation's valid cases is shrunk with fast-check
 * to the smallest failing request the remaining budget finds.
 */
import type { Resource, Target } from '../config/target.ts';
import { queryString, generateCases, documentedOperations, httpRequestOf, requestArbitrary } from '../inputs/cases.ts';
import type { DocumentedOperation, GeneratedRequest, InputCase, Query } from '../inputs/cases.ts';
import { findSmallestFailure } from '../inputs/shrink.ts';
import { documentOf, DOCUMENT_PROBE, type OpenApiModel } from '../openapi/document.ts';
import type { Exchange } from '../http/exchange.ts';
import { openapiDocumentProbe } from './docs.ts';
import { credentialFor } from './resources.ts';
import { idOf, itemPath } from './support.ts';
import { defineProbe, type ProbeContext } from './types.ts';

/** One generated request as sent: the case and the exchange that carried it. */
export interface SentCase {
  readonly exchange: number;
  readonly operation: string;
  readonly kind: InputCase['kind'];
  readonly constraint?: string;
  readonly at?: string;
  readonly description?: string;
  readonly unknowable?: boolean;
  readonly seed: number;
  readonly index: number;
}

/** The smallest failing case shrinking found for a 5xx (inputs.no-server-errors). */
export interface ShrunkCase {
  readonly operation: string;
  /** The exchange of the generated case that first got the 5xx. */
  readonly original: number;
  /** The exchange of the smallest failing request found (the original when nothing smaller failed). */
  readonly exchange: number;
  readonly request: GeneratedRequest;
  readonly shrinks: number;
  /** Requests shrinking sent (within max_requests). */
  readonly calls: number;
  readonly budgetExhausted: boolean;
  /** fast-check's seed and path of the case: `fc.check(property, { seed, path })` replays it. */
  readonly seed: number;
  readonly path?: string;
}

export interface InputsOutput {
  readonly seed: number;
  readonly examples: number;
  readonly maxRequests: number;
  /** Why nothing was generated (no readable document). */
  readonly problem?: string;
  /** Cases generated, and those sent (the rest did not fit max_requests). */
  readonly generated: number;
  readonly cases: readonly SentCase[];
  readonly notSent: number;
  /** Invalid cases among those not sent (a cut by max_requests can leave out every one of them). */
  readonly invalidNotSent?: number;
  readonly skippedOperations: readonly { readonly operation: string; readonly reason: string }[];
  readonly shrunk: readonly ShrunkCase[];
  /** Requests the probe sent in all (cases, shrinking, deletes of what it created). */
  readonly requests: number;
}

/** Requests kept back for shrinking a 5xx, out of max_requests. */
const SHRINK_SHARE = 0.15;
/** At most this many operations are shrunk (each costs requests). */
const SHRINK_OPERATIONS = 2;

const label = (op: Pick<DocumentedOperation, 'method' | 'pathTemplate'>): string => `${op.method} ${op.pathTemplate}`;
const templateKey = (t: string): string => t.replace(/\{[^}]*\}/g, '{}');

/** The resource a write operation writes to: POST on its collection, PUT/PATCH on its item. */
function resourceOf(target: Target, op: DocumentedOperation): Resource | undefined {
  return target.resources.find((r) =>
    op.method === 'POST'
      ? templateKey(r.collection) === templateKey(op.pathTemplate)
      : templateKey(r.item) === templateKey(op.pathTemplate),
  );
}

export const inputsGeneratedProbe = defineProbe({
  name: 'inputs:generated',
  needs: [openapiDocumentProbe],
  // The document decides how many operations and cases there are (none without one), so the
  // plan says 0 to max_requests: it bounds them all, deletes of generated creates and shrinking included.
  estimate: (t) => ({ [credentialFor(t)]: { expected: 0, max: t.inputs.maxRequests } }),
  run: async (ctx): Promise<InputsOutput> => {
    const { seed, examples, maxRequests } = ctx.target.inputs;
    const base = { seed, examples, maxRequests };
    const found = documentOf({ exchanges: ctx.client.exchanges, outputs: { [DOCUMENT_PROBE]: ctx.output(openapiDocumentProbe) } });
    if (!('model' in found))
      return { ...base, problem: found.problem, generated: 0, cases: [], notSent: 0, skippedOperations: [], shrunk: [], requests: 0 };
    return new Generation(ctx, found.model).run();
  },
});

class Generation {
  private readonly target: Target;
  private readonly mutating: boolean;
  private readonly accepts: (pointer: string, value: unknown) => boolean;
  private requests = 0;
  /** Per resource, one item a generated POST created, kept for PUT/PATCH until the end. */
  private readonly items = new Map<string, string>();
  private readonly toDelete: { resource: Resource; id: string }[] = [];

  constructor(
    private readonly ctx: ProbeContext,
    private readonly model: OpenApiModel,
  ) {
    this.target = ctx.target;
    this.mutating = ctx.target.mode === 'mutating';
    this.accepts = (pointer, value) => {
      const check = model.validate(pointer, value);
      return check.ok && check.errors.length === 0;
    };
  }

  async run(): Promise<InputsOutput> {
    const { seed, examples, maxRequests } = this.target.inputs;
    const doc = this.model.doc;
    const generated = generateCases(doc, { seed, examples, mutating: this.mutating, accepts: this.accepts });
    const skippedOperations = generated.skipped.map((s) => ({ operation: label(s), reason: s.reason }));
    const operations = new Map(documentedOperations(doc, { mutating: this.mutating }).map((op) => [label(op), op]));
    // Health and readiness answer for the service, not for their inputs: a 503 from /ready says
    // "not ready", which observability.ready judges (one cause, one finding).
    const healthPaths = new Set([this.target.health, this.target.ready]);
    for (const op of operations.values())
      if (healthPaths.has(op.pathTemplate))
        skippedOperations.push({ operation: label(op), reason: 'health and readiness are judged by observability.*' });
    const writable = generated.cases.filter((c) => {
      if (healthPaths.has(c.pathTemplate)) return false;
      if (c.method === 'GET') return true;
      const op = operations.get(label(c));
      return op !== undefined && resourceOf(this.target, op) !== undefined;
    });
    for (const op of operations.values()) {
      if (op.method !== 'GET' && !resourceOf(this.target, op))
        skippedOperations.push({ operation: label(op), reason: 'writes go to declared or discovered resources only' });
    }
    // POSTs first (their items serve the PUT/PATCH cases), then operations in turn, so a cut
    // by max_requests leaves no operation out entirely.
    const ordered = interleave(writable);
    const budgetForCases = Math.max(0, maxRequests - Math.floor(maxRequests * SHRINK_SHARE));
    const cases: SentCase[] = [];
    const failing = new Map<string, { c: InputCase; exchange: Exchange }>();
    let notSent = 0;
    let invalidNotSent = 0;
    for (const c of ordered) {
      // A POST may create an item: keep a request for its DELETE.
      const cost = c.method === 'POST' ? 2 : 1;
      if (this.requests + cost > budgetForCases) {
        notSent++;
        if (c.kind === 'invalid') invalidNotSent++;
        continue;
      }
      const op = operations.get(label(c))!;
      const { exchange, unknowable } = await this.send(op, c, { path: c.path, query: c.query, body: c.body, rawBody: c.rawBody });
      cases.push({
        exchange: exchange.id,
        operation: label(c),
        kind: c.kind,
        ...(c.constraint ? { constraint: c.constraint } : {}),
        ...(c.at ? { at: c.at } : {}),
        ...(c.description ? { description: c.description } : {}),
        ...(unknowable ? { unknowable: true } : {}),
        seed: c.seed,
        index: c.index,
      });
      const status = exchange.response?.status ?? 0;
      if (status >= 500 && c.kind === 'valid' && !failing.has(label(c))) failing.set(label(c), { c, exchange });
    }
    const shrunk: ShrunkCase[] = [];
    for (const { c, exchange } of [...failing.values()].slice(0, SHRINK_OPERATIONS)) {
      const op = operations.get(label(c))!;
      const validCount = generated.cases.filter((x) => label(x) === label(c) && x.kind === 'valid').length;
      shrunk.push(await this.shrink(op, c, exchange, validCount, maxRequests));
    }
    await this.deleteCreated();
    return {
      seed,
      examples,
      maxRequests,
      generated: generated.cases.length,
      cases,
      notSent,
      ...(invalidNotSent ? { invalidNotSent } : {}),
      skippedOperations,
      shrunk,
      requests: this.requests,
    };
  }

  /** Sends one request of an operation; tracks what a POST created. */
  private async send(
    op: DocumentedOperation,
    c: Pick<InputCase, 'kind' | 'at' | 'description' | 'unknowable'>,
    http: { path: string; query: Query; body?: unknown; rawBody?: string | undefined },
  ): Promise<{ exchange: Exchange; unknowable: boolean }> {
    const resource = op.method === 'GET' ? undefined : resourceOf(this.target, op);
    let path = http.path;
    let unknowable = c.unknowable === true;
    // PUT/PATCH bodies are judged on an item that exists (one a generated POST created),
    // unless the broken constraint is the path's own.
    const own = resource && op.method !== 'POST' ? this.items.get(resource.name) : undefined;
    if (own && resource && !c.at?.startsWith('/path/')) {
      path = itemPath({ ...resource, item: op.pathTemplate.replace(/\{[^}]*\}/, '{id}') }, own);
      unknowable = Object.keys(http.query).some((k) => /cursor|token|after|before|continuation|next/i.test(k));
    }
    this.requests++;
    const exchange = await this.ctx.send({
      purpose: `generated ${c.kind} case for ${label(op)}${c.description ? `: ${c.description}` : ''}`,
      method: op.method,
      path: `${path}${queryString(http.query)}`,
      credential: credentialFor(this.target, resource),
      scope: scopeOf(this.target, path),
      ...(http.rawBody !== undefined
        ? { rawBody: http.rawBody, headers: { 'content-type': 'application/json' } }
        : http.body !== undefined
          ? { json: http.body }
          : {}),
    });
    const status = exchange.response?.status ?? 0;
    if (resource && op.method === 'POST' && status >= 200 && status < 300) {
      const id = idOf(exchange);
      if (id) {
        this.ctx.created(resource, id);
        if (!this.items.has(resource.name)) this.items.set(resource.name, id);
        this.toDelete.push({ resource, id });
      }
    }
    return { exchange, unknowable };
  }

  private async deleteCreated(): Promise<void> {
    for (const { resource, id } of this.toDelete) {
      this.requests++;
      const del = await this.ctx.send({
        purpose: `delete ${resource.name} ${id} a generated request created`,
        method: 'DELETE',
        path: itemPath(resource, id),
        credential: credentialFor(this.target, resource),
      });
      const status = del.response?.status ?? 0;
      if ((status >= 200 && status < 300) || status === 404) this.ctx.deleted(resource, id);
    }
  }

  /**
   * Shrinks a valid case that got a 5xx: fast-check starts from the same generated value (the
   * operation's seed and the case's index as its path) and tries smaller ones, each one request.
   */
  private async shrink(
    op: DocumentedOperation,
    c: InputCase,
    original: Exchange,
    numRuns: number,
    maxRequests: number,
  ): Promise<ShrunkCase> {
    const doc = this.model.doc;
    // Keep room for the deletes of whatever the shrinking creates.
    const remaining = Math.max(0, maxRequests - this.requests - this.toDelete.length);
    const maxCalls = op.method === 'POST' ? Math.floor(remaining / 2) : remaining;
    const exchanges = new Map<unknown, Exchange>();
    const result = await findSmallestFailure(
      requestArbitrary(doc, op, this.accepts),
      async (r) => {
        const http = httpRequestOf(doc, op, r);
        const { exchange } = await this.send(op, { kind: 'valid', description: 'shrinking a 5xx' }, http);
        exchanges.set(r, exchange);
        return (exchange.response?.status ?? 0) < 500;
      },
      { seed: c.seed, numRuns, maxCalls, path: String(c.index) },
    );
    const smallest = result.counterexample !== undefined ? exchanges.get(result.counterexample) : undefined;
    return {
      operation: label(op),
      original: original.id,
      exchange: smallest?.id ?? original.id,
      request: (result.counterexample as GeneratedRequest | undefined) ?? {
        path: {},
        query: {},
        ...(c.body !== undefined ? { body: c.body } : {}),
      },
      shrinks: result.shrinks,
      calls: result.calls,
      budgetExhausted: result.budgetExhausted,
      seed: result.seed,
      ...(result.path ? { path: result.path } : {}),
    };
  }
}

/** SPEC §8: health, ready and the docs count for the rules that sent them, not run-wide. */
function scopeOf(target: Target, path: string): 'api' | 'health' | 'docs' {
  if (path === target.health || path === target.ready) return 'health';
  if (path === target.openapi || path === target.docsUi) return 'docs';
  return 'api';
}

/** POST cases first, then the operations' cases in turn (one of each, round after round). */
function interleave(cases: readonly InputCase[]): InputCase[] {
  const byOp = new Map<string, InputCase[]>();
  for (const c of cases) byOp.set(label(c), [...(byOp.get(label(c)) ?? []), c]);
  const groups = [...byOp.values()].sort((a, b) => Number(b[0]!.method === 'POST') - Number(a[0]!.method === 'POST'));
  const posts = groups.filter((g) => g[0]!.method === 'POST');
  const others = groups.filter((g) => g[0]!.method !== 'POST');
  const out: InputCase[] = [];
  // One valid POST per resource first, so PUT/PATCH have an item from the start.
  for (const g of posts) {
    const first = g.find((c) => c.kind === 'valid');
    if (first) out.push(first);
  }
  // Within an operation, valid and invalid cases alternate, every other operation starting with
  // an invalid one: a max_requests that reaches only each operation's first case still sends both
  // kinds (Prism over GitHub's ~600 operations sent 250 valid cases and not one invalid).
  const rest = [...posts, ...others].map((g, i) =>
    alternate(
      g.filter((c) => !out.includes(c)),
      i % 2 === 1,
    ),
  );
  for (let round = 0; rest.some((g) => g[round]); round++) for (const g of rest) if (g[round]) out.push(g[round]!);
  return out;
}

function alternate(cases: readonly InputCase[], invalidFirst: boolean): InputCase[] {
  const valid = cases.filter((c) => c.kind === 'valid');
  const invalid = cases.filter((c) => c.kind !== 'valid');
  const [first, second] = invalidFirst ? [invalid, valid] : [valid, invalid];
  const out: InputCase[] = [];
  for (let i = 0; i < Math.max(first.length, second.length); i++) {
    if (first[i]) out.push(first[i]!);
    if (second[i]) out.push(second[i]!);
  }
  return out;
}

export const INPUTS_PROBES = [inputsGeneratedProbe];
