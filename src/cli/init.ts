/**
 * `conformance init` (SPEC §2): first contact with a service. Sends only GETs (health, ready,
 * the OpenAPI document, one page of each list it finds), derives what discovery derives, and
 * writes a targets file a person can start from: declared resources with the bodies discovery
 * chose, `mode: read-only`, optional `${VAR:-}` placeholders for every credential kind, and
 * beside each key a comment naming the rules it unlocks (from the catalogue's prerequisites).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { toTarget } from '../config/build.ts';
import type { DiscoveryReport, Target } from '../config/target.ts';
import { ProbeClient } from '../http/client.ts';
import type { Exchange } from '../http/exchange.ts';
import { discover } from '../openapi/discover.ts';
import { isObj, modelOf, parseDocument, type Obj } from '../openapi/document.ts';
import { CATALOGUE } from '../spec/catalogue.ts';
import type { Prerequisite, Profile } from '../spec/vocabulary.ts';
import { parseArgs, UsageError } from './args.ts';
import { tryLoadTargets, formatProblem } from '../config/load.ts';

const PROFILES: readonly Profile[] = ['platform', 'backend'];

/** The rules of `profile` a prerequisite unlocks, for the comment beside its key. */
function unlocks(profile: Profile, ...prerequisites: Prerequisite[]): string {
  const ids = CATALOGUE.filter((r) => r.severity[profile] !== 'off' && prerequisites.some((p) => r.requires.includes(p))).map((r) => r.id);
  if (!ids.length) return '';
  const shown = ids.length > 6 ? `${ids.slice(0, 6).join(', ')} and ${ids.length - 6} more` : ids.join(', ');
  return `unlocks ${shown}`;
}

export interface InitFindings {
  readonly notes: string[];
  readonly discovery?: DiscoveryReport;
  readonly corsOrigin?: string;
  readonly rateLimit?: { limit: number; windowS?: number };
  readonly readyOk: boolean;
}

export async function initCommand(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv, ['force']);
  const one = (name: string): string | undefined => args.flags.get(name)?.at(-1);
  const baseUrl = one('base-url');
  const profile = one('profile') as Profile | undefined;
  if (!baseUrl) throw new UsageError('init needs --base-url URL (the service to read)');
  if (!profile || !PROFILES.includes(profile)) throw new UsageError(`init needs --profile ${PROFILES.join('|')}`);
  let url: URL;
  try {
    url = new URL(baseUrl);
    if (!/^https?:$/.test(url.protocol)) throw new Error();
  } catch {
    throw new UsageError(`--base-url must be an absolute http(s) URL (got "${baseUrl}")`);
  }
  const out = resolve(one('out') ?? 'targets.yaml');
  if (existsSync(out) && !args.flags.has('force')) {
    process.stderr.write(`${out} exists; init never overwrites a file: pass --force, or --out another file\n`);
    return 2;
  }
  const name = one('name') ?? (url.hostname.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '') || 'service');
  const openapiSource = one('openapi-source');

  const target = toTarget(name, { base_url: baseUrl, profile }, new Map(), { file: '(init)', line: 1, column: 1 }, process.cwd());
  const client = new ProbeClient(target);
  let findings: InitFindings;
  try {
    const reach = await get(client, target.health, 'health', 'health');
    if (reach.error) {
      process.stderr.write(`cannot reach ${target.baseUrl}${target.health}: ${reach.error.message}\nnothing was written.\n`);
      return 2;
    }
    const doc = await readDocument(client, target, openapiSource, dirname(out));
    if ('fatal' in doc) {
      process.stderr.write(`${doc.fatal}\nnothing was written.\n`);
      return 2;
    }
    findings = await survey(client, target, reach, doc);
  } finally {
    await client.close();
  }
  const text = targetsText(name, baseUrl, profile, openapiSource, findings);
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
  } catch (e) {
    process.stderr.write(`could not write ${out}: ${(e as Error).message}\nnothing was written.\n`);
    return 2;
  }
  // What init writes must validate as is (with no credential in the environment).
  const check = tryLoadTargets(out, { env: {} });
  if ('problems' in check) {
    process.stderr.write(
      `${check.problems.map(formatProblem).join('\n')}\ninit wrote ${out}, but it does not validate: please report this\n`,
    );
    return 2;
  }
  for (const note of findings.notes) process.stderr.write(`init: ${note}\n`);
  const found = findings.discovery;
  process.stdout.write(
    `wrote ${out}: target "${name}" (${profile}), ${found?.resources.length ?? 0} resource(s), ${found?.uploads.length ?? 0} upload(s), ${found?.streams.length ?? 0} stream(s)\n` +
      `next: npx conformance validate --targets ${out} · npx conformance run --targets ${out} --dry-run · npx conformance run --targets ${out}\n`,
  );
  return 0;
}

const get = (client: ProbeClient, path: string, purpose: string, scope: Exchange['scope'], headers?: Record<string, string>) =>
  client.send({ probe: 'init', purpose, method: 'GET', path, credential: 'none', scope, ...(headers ? { headers } : {}) });

type DocumentRead = { doc: Obj; text: string; source: string } | { missing: string } | { fatal: string };

/** The document from --openapi-source (a file or URL: unusable is fatal) or as served (missing is a note). */
async function readDocument(client: ProbeClient, target: Target, source: string | undefined, baseDir: string): Promise<DocumentRead> {
  if (source && !/^https?:\/\//.test(source)) {
    const path = resolve(baseDir, source);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      return { fatal: `--openapi-source ${source}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
    }
    let doc: unknown;
    try {
      doc = parseYaml(text, { maxAliasCount: 100 });
    } catch (e) {
      return { fatal: `--openapi-source ${source}: neither JSON nor YAML (${(e as Error).message.split('\n')[0]})` };
    }
    if (!isObj(doc) || !isObj(doc.paths)) return { fatal: `--openapi-source ${source}: not an OpenAPI document (no paths object)` };
    return { doc, text, source };
  }
  const exchange = await client.send({
    probe: 'init',
    purpose: 'fetch the OpenAPI document',
    method: 'GET',
    ...(source ? { url: source } : { path: target.openapi }),
    credential: 'none',
    scope: 'docs',
    bodyCap: 8 * 1024 * 1024,
    headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.1' },
  });
  const parsed = parseDocument(exchange);
  const where = source ?? `${target.baseUrl}${target.openapi}`;
  if ('problem' in parsed || !isObj(parsed.doc.paths)) {
    const problem = 'problem' in parsed ? parsed.problem : 'has no paths object';
    if (source) return { fatal: `--openapi-source ${source}: ${problem}` };
    return { missing: `no OpenAPI document at ${where} (${problem}): resources, uploads and streams were not discovered` };
  }
  return { doc: parsed.doc, text: exchange.response!.body, source: where };
}

/** Ready, one page of each list, and what the answers show of CORS and rate limits. */
async function survey(client: ProbeClient, target: Target, health: Exchange, doc: DocumentRead): Promise<InitFindings> {
  const notes: string[] = [];
  const ready = target.profile === 'backend' ? await get(client, target.ready, 'ready', 'health') : undefined;
  if (ready && ready.response?.status !== 200) notes.push(`${target.ready} answered ${ready.response?.status ?? ready.error?.message}`);
  let discovery: DiscoveryReport | undefined;
  if ('missing' in doc) notes.push(doc.missing);
  else if ('doc' in doc) {
    discovery = discover(modelOf(doc.doc, doc.text), target, doc.source);
    if (!discovery.resources.length) notes.push(`the OpenAPI document (${doc.source}) describes no collection the harness can probe`);
  }
  const seen: Exchange[] = [health, ...(ready ? [ready] : [])];
  // A browser-like GET (still a GET): does the service answer CORS at all?
  const origin = 'https://conformance-init.example';
  for (const r of discovery?.resources ?? []) {
    const page = await get(client, r.collection, `one page of ${r.collection}`, 'api', { origin });
    seen.push(page);
    if (page.response && page.response.status >= 400)
      notes.push(`GET ${r.collection} answered ${page.response.status} without credentials (expected for a protected list)`);
  }
  if (!discovery?.resources.length) seen.push(await get(client, target.health, 'CORS answer on health', 'health', { origin }));
  const header = (e: Exchange, name: string): string | undefined => {
    const v = e.response?.headers[name];
    return typeof v === 'string' ? v : v?.[0];
  };
  const corsSeen = seen.find((e) => header(e, 'access-control-allow-origin'));
  const limitSeen = seen.find((e) => header(e, 'x-ratelimit-limit') ?? header(e, 'ratelimit-limit'));
  const limit = limitSeen ? Number(header(limitSeen, 'x-ratelimit-limit') ?? header(limitSeen, 'ratelimit-limit')) : undefined;
  const policyWindow = limitSeen ? /w=(\d+)/.exec(header(limitSeen, 'ratelimit-policy') ?? '')?.[1] : undefined;
  return {
    notes,
    ...(discovery ? { discovery } : {}),
    ...(corsSeen ? { corsOrigin: header(corsSeen, 'access-control-allow-origin')! } : {}),
    ...(limit && Number.isInteger(limit) && limit > 0
      ? { rateLimit: { limit, ...(policyWindow ? { windowS: Number(policyWindow) } : {}) } }
      : {}),
    readyOk: ready?.response?.status === 200,
  };
}

const flow = (value: unknown): string => JSON.stringify(value);
/** A YAML line with its comment aligned, as targets.yaml is written by hand. */
const line = (indent: number, text: string, comment = ''): string => {
  const head = `${' '.repeat(indent)}${text}`;
  return comment ? `${head.padEnd(44)} # ${comment}` : head;
};

export function targetsText(name: string, baseUrl: string, profile: Profile, openapiSource: string | undefined, f: InitFindings): string {
  const env =
    name
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'SERVICE';
  const d = f.discovery;
  const out: string[] = [
    `# Written by \`npx conformance init\` on ${new Date().toISOString().slice(0, 10)} from ${baseUrl} (GETs only).`,
    '# Start here: set the credentials, then `npx conformance validate`, `npx conformance run --dry-run`,',
    '# `npx conformance run`. Every rule this file does not unlock is skipped, its message naming the key to add.',
    ...f.notes.map((n) => `# init: ${n}`),
    'version: 1',
    'targets:',
    line(2, `${name}:`),
    line(4, `base_url: ${baseUrl}`),
    line(4, `profile: ${profile}`),
    line(4, 'mode: read-only', `mode: mutating ${unlocks(profile, 'mutating')} (writes to the resources below)`),
  ];
  if (openapiSource) out.push(line(4, `openapi_source: ${flow(openapiSource)}`, 'where discovery and schema rules read the document'));
  out.push(
    line(4, 'auth:', 'empty (${VAR:-}) = absent: the rules needing it are skipped and say so'),
    line(6, `bearer: \${${env}_TOKEN:-}`, `a valid token; ${unlocks(profile, 'bearer')}`),
    line(6, `limited_bearer: \${${env}_READONLY_TOKEN:-}`, `valid, no write permission; ${unlocks(profile, 'limited_bearer')}`),
    line(6, `expired_bearer: \${${env}_EXPIRED_TOKEN:-}`, unlocks(profile, 'expired_bearer')),
    line(6, `other_tenant_bearer: \${${env}_TENANT_B_TOKEN:-}`, `valid, another organisation; ${unlocks(profile, 'other_tenant_bearer')}`),
    line(6, `api_key: \${${env}_API_KEY:-}`, unlocks(profile, 'api_key')),
    line(6, '# any bearer may instead be fetched per run (OAuth 2.0 client credentials), e.g.:'),
    line(6, '# bearer:'),
    line(6, '#   oauth2_client_credentials:'),
    line(6, '#     token_url: https://TENANT.auth0.com/oauth/token'),
    line(6, `#     client_id: \${${env}_CLIENT_ID}`),
    line(6, `#     client_secret: \${${env}_CLIENT_SECRET}`),
  );
  if (profile === 'backend' && !f.readyOk) out.push(line(4, '# ready: /ready', 'the readiness path, if not /ready'));
  if (f.corsOrigin) {
    out.push(
      line(4, 'cors:', `the service answered Access-Control-Allow-Origin: ${f.corsOrigin}`),
      line(6, 'allowed_origins: [https://app.example.com]', `your front-end origins; ${unlocks(profile, 'cors-allowed-origins')}`),
      line(6, 'denied_origins: [https://evil.example.net]'),
    );
  } else {
    out.push(line(4, '# cors: { allowed_origins: [https://app.example.com] }', unlocks(profile, 'cors-allowed-origins')));
  }
  if (f.rateLimit) {
    // init sends no credential: what it saw is the budget of anonymous requests.
    const windowS = f.rateLimit.windowS ?? 60;
    out.push(
      line(4, 'rate_limit:', "X-RateLimit-Limit on init's requests (anonymous)"),
      line(
        6,
        `anonymous: { limit: ${f.rateLimit.limit}, window_s: ${windowS} }`,
        f.rateLimit.windowS ? 'window from RateLimit-Policy' : 'window_s: a guess, check it',
      ),
      line(6, '# limit: 600', 'requests per window the service promises a credential'),
      line(6, '# window_s: 60'),
      line(6, 'burst: false', `true ${unlocks(profile, 'burst')} (sends limit+10 requests)`),
    );
  } else {
    out.push(
      line(
        4,
        '# rate_limit: { limit: 600, window_s: 60, burst: true }',
        `the budget the service promises; burst ${unlocks(profile, 'burst')}`,
      ),
    );
  }
  out.push(line(4, '# deprecated_prefixes: [/v1]', unlocks(profile, 'deprecated-prefixes')));
  out.push(line(4, '# http_url: http://…', 'the plain-http address of an https target (security.https-only)'));
  if (d?.resources.length) {
    out.push(line(4, 'resources:', `discovered from ${d.source}; ${unlocks(profile, 'resource')}`));
    for (const r of d.resources) {
      const bodies = d.bodies[r.name];
      out.push(line(6, `- name: ${r.name}`));
      out.push(line(8, `collection: ${flow(r.collection)}`));
      out.push(line(8, `item: ${flow(r.item)}`));
      if (r.create) out.push(line(8, `create: ${flow(r.create)}`, bodies?.create ? `body from ${bodies.create}` : ''));
      if (r.update) out.push(line(8, `update: ${flow(r.update)}`, bodies?.update ? `body from ${bodies.update}` : ''));
      if (!r.requiresAuth) out.push(line(8, 'requires_auth: false', 'the document declares no security for it'));
    }
  } else {
    out.push(
      line(4, '# resources:', unlocks(profile, 'resource')),
      line(4, '#   - { name: documents, collection: /v2/documents, item: "/v2/documents/{id}" }'),
    );
  }
  if (d?.uploads.length) {
    out.push(line(4, 'uploads:', unlocks(profile, 'uploads')));
    for (const u of d.uploads) {
      out.push(
        line(6, `- path: ${flow(u.path)}`),
        line(8, `field: ${u.field}`),
        line(8, `max_bytes: ${u.maxBytes}`, 'a guess: the limit the service promises'),
      );
      if (u.resource) out.push(line(8, `resource: ${u.resource}`));
    }
  } else out.push(line(4, '# uploads: [{ path: /files, max_bytes: 10000000 }]', unlocks(profile, 'uploads')));
  if (d?.streams.length) {
    out.push(line(4, 'streams:', unlocks(profile, 'streams')));
    for (const s of d.streams) out.push(line(6, `- path: ${flow(s.path)}`), ...(s.resource ? [line(8, `resource: ${s.resource}`)] : []));
  } else out.push(line(4, '# streams: [{ path: "/chat/{id}/stream" }]', unlocks(profile, 'streams')));
  return `${out.join('\n')}\n`;
}
