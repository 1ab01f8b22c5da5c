/**
 * Real frameworks: the services in examples/ (FastAPI on Debian's python3-fastapi, Fastify from
 * npm) started on free loopback ports and probed with their own targets.yaml, as a user would.
 * Asserts the verdicts their READMEs document: the services pass every implemented rule that
 * applies, and FastAPI's out-of-the-box behaviour (FASTAPI_DEFAULTS=1) fails the error shape,
 * with its `{"detail": ...}` bodies as evidence.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { signToken } from '../examples/fastify-platform/src/auth.ts';
import { ROOT, runHarness, tempDir, writeTargets, type HarnessRun } from './support/harness.ts';
import type { Summary } from '../src/spec/summary.ts';

const PYTHON = process.env.EXAMPLES_PYTHON ?? '/usr/bin/python3';
const FASTAPI_DIR = join(ROOT, 'examples/fastapi-backend');
const FASTIFY_DIR = join(ROOT, 'examples/fastify-platform');

/** Why the FastAPI example cannot run here, or undefined when it can. */
function fastapiMissing(): string | undefined {
  const probe = spawnSync(PYTHON, ['-c', 'import fastapi, uvicorn, multipart'], { encoding: 'utf8' });
  if (probe.status === 0) return undefined;
  return `FastAPI example skipped: ${PYTHON} cannot import fastapi/uvicorn/multipart (apt-get install -y python3-fastapi python3-uvicorn python3-multipart)`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Service {
  readonly name: string;
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
}

/** Spawns a service and resolves once GET /health answers 200; `listening` reads the URL from its output when it picks its own port. */
async function startService(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, url?: string): Promise<Service> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 30_000;
  let base = url;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    base ??= /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    if (base) {
      const ok = await fetch(`${base}/health`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) return { name, url: base, child, output: () => output };
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not answer /health within 30 s:\n${output}`);
}

function stopService(service: Service | undefined): Promise<void> {
  if (!service || service.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => service.child.kill('SIGKILL'), 5000);
    service.child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    service.child.kill('SIGTERM');
  });
}

function exampleTarget(dir: string, name: string): Record<string, unknown> {
  const file = parse(readFileSync(join(dir, 'targets.yaml'), 'utf8')) as { targets: Record<string, Record<string, unknown>> };
  const target = file.targets[name];
  assert.ok(target, `${dir}/targets.yaml declares ${name}`);
  return target;
}

type RuleResult = Summary['targets'][number]['rules'][number];

function rulesOf(summary: Summary, target: string): readonly RuleResult[] {
  const t = summary.targets.find((x) => x.name === target);
  assert.ok(t, `target ${target} is in the summary`);
  return t.rules;
}

const implemented = (r: RuleResult): boolean => r.reason !== 'not-implemented';
const judged = (r: RuleResult): boolean => r.status !== 'skipped' && r.status !== 'waived';
const describeRule = (r: RuleResult): string => `${r.id} (${r.severity}): ${r.status}: ${r.message}`;

/** Every must rule that was judged passed: none failed, none errored. */
function assertMustRulesPass(rules: readonly RuleResult[]): void {
  const bad = rules.filter((r) => r.severity === 'must' && judged(r) && r.status !== 'passed');
  assert.deepEqual(bad.map(describeRule), []);
  // Skips of implemented must rules only for reasons the target states (plain http, no such feature) or nothing to judge.
  const skipped = rules.filter(
    (r) =>
      r.severity === 'must' &&
      implemented(r) &&
      r.status === 'skipped' &&
      !['not-applicable', 'turned-off', 'missing-prerequisite', 'nothing-to-check'].includes(r.reason ?? ''),
  );
  assert.deepEqual(skipped.map(describeRule), []);
}

function assertShouldRulesPass(rules: readonly RuleResult[]): void {
  const bad = rules.filter((r) => r.severity === 'should' && judged(r) && r.status !== 'passed');
  assert.deepEqual(bad.map(describeRule), []);
}

/** A rule that is implemented must have failed, with evidence; one not implemented yet is not judged. */
function assertFailsWhenImplemented(rules: readonly RuleResult[], id: string): RuleResult | undefined {
  const rule = rules.find((r) => r.id === id);
  assert.ok(rule, `${id} is in the summary`);
  if (!implemented(rule)) return undefined;
  assert.equal(rule.status, 'failed', describeRule(rule));
  assert.ok(rule.evidence.length > 0, `${id} carries evidence`);
  return rule;
}

describe('examples: real frameworks probed with their own targets.yaml', () => {
  const missing = fastapiMissing();
  const services: Service[] = [];
  let run: HarnessRun;
  let summary: Summary;

  before(async () => {
    const env: NodeJS.ProcessEnv = {};
    const targets: Record<string, unknown> = {};

    if (!missing) {
      const token = (): string => randomBytes(24).toString('base64url');
      const [bearer, readonly, expired, tenantB] = [token(), token(), token(), token()];
      const apiTokens = JSON.stringify({
        [bearer]: { org_id: 'org-a', subject: 'user-a', scopes: ['sessions:read', 'sessions:write'] },
        [readonly]: { org_id: 'org-a', subject: 'reader-a', scopes: ['sessions:read'] },
        [expired]: { org_id: 'org-a', subject: 'user-a', scopes: ['sessions:read', 'sessions:write'], expires_at: '2020-01-01T00:00:00Z' },
        [tenantB]: { org_id: 'org-b', subject: 'user-b', scopes: ['sessions:read', 'sessions:write'] },
      });
      const uvicorn = async (name: string, extra: NodeJS.ProcessEnv): Promise<Service> => {
        const port = await freePort();
        return startService(
          name,
          PYTHON,
          [
            '-m',
            'uvicorn',
            'main:app',
            '--app-dir',
            FASTAPI_DIR,
            '--host',
            '127.0.0.1',
            '--port',
            String(port),
            '--no-server-header',
            '--no-access-log',
          ],
          { API_TOKENS: apiTokens, PYTHONDONTWRITEBYTECODE: '1', ...extra },
          `http://127.0.0.1:${port}`,
        );
      };
      const [fixed, defaults] = await Promise.all([uvicorn('fastapi', {}), uvicorn('fastapi-defaults', { FASTAPI_DEFAULTS: '1' })]);
      services.push(fixed, defaults);
      Object.assign(env, {
        SESSIONS_API_URL: fixed.url,
        SESSIONS_API_DEFAULTS_URL: defaults.url,
        SESSIONS_API_TOKEN: bearer,
        SESSIONS_API_READONLY_TOKEN: readonly,
        SESSIONS_API_EXPIRED_TOKEN: expired,
        SESSIONS_API_TENANT_B_TOKEN: tenantB,
      });
      const fastapi = exampleTarget(FASTAPI_DIR, 'fastapi-backend');
      targets['fastapi-backend'] = fastapi;
      targets['fastapi-defaults'] = { ...fastapi, base_url: '${SESSIONS_API_DEFAULTS_URL}' };
    }

    const secret = randomBytes(32).toString('base64url');
    const apiKey = `dk_${randomBytes(16).toString('hex')}`;
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const fastify = await startService('fastify', process.execPath, ['--import', 'tsx', join(FASTIFY_DIR, 'src/server.ts')], {
      HOST: '127.0.0.1',
      PORT: '0',
      JWT_SECRET: secret,
      API_KEYS: JSON.stringify({ [apiKey]: { org_id: 'org-a', name: 'conformance' } }),
    });
    services.push(fastify);
    Object.assign(env, {
      DOCUMENTS_API_URL: fastify.url,
      DOCUMENTS_API_TOKEN: signToken({ sub: 'user-a', org_id: 'org-a', scope: 'documents:read documents:write', exp }, secret),
      DOCUMENTS_API_KEY: apiKey,
      DOCUMENTS_API_READONLY_TOKEN: signToken({ sub: 'reader-a', org_id: 'org-a', scope: 'documents:read', exp }, secret),
      DOCUMENTS_API_EXPIRED_TOKEN: signToken(
        { sub: 'user-a', org_id: 'org-a', scope: 'documents:read documents:write', exp: 1577836800 },
        secret,
      ),
      DOCUMENTS_API_TENANT_B_TOKEN: signToken({ sub: 'user-b', org_id: 'org-b', scope: 'documents:read documents:write', exp }, secret),
    });
    targets['fastify-platform'] = exampleTarget(FASTIFY_DIR, 'fastify-platform');

    const file = writeTargets(tempDir('examples'), { version: 1, targets });
    run = await runHarness({ targetsFile: file, env, args: ['--workers', '2'] });
    assert.ok(run.summary, `the run wrote no summary:\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);
    summary = run.summary;
  });

  after(async () => {
    await Promise.all(services.map(stopService));
  });

  describe('FastAPI (examples/fastapi-backend, backend profile)', { skip: missing }, () => {
    it('passes every implemented must rule that applies', () => {
      assertMustRulesPass(rulesOf(summary, 'fastapi-backend'));
    });

    it('passes every implemented should rule that applies', () => {
      assertShouldRulesPass(rulesOf(summary, 'fastapi-backend'));
    });

    it('passes inputs.invalid-rejected: Pydantic coerces "5" to an integer, and generated invalid cases never ask for that (SPEC §8)', () => {
      const rule = rulesOf(summary, 'fastapi-backend').find((r) => r.id === 'inputs.invalid-rejected')!;
      assert.equal(rule.status, 'passed', rule.message);
      assert.match(rule.message, /generated requests breaking one documented constraint/);
      for (const id of ['inputs.no-server-errors', 'inputs.valid-accepted']) {
        const other = rulesOf(summary, 'fastapi-backend').find((r) => r.id === id)!;
        assert.equal(other.status, 'passed', `${id}: ${other.message}`);
      }
    });

    it("answers errors in the envelope, including FastAPI's own 404, 405 and 422", () => {
      const shape = rulesOf(summary, 'fastapi-backend').find((r) => r.id === 'errors.shape')!;
      assert.equal(shape.status, 'passed', shape.message);
    });
  });

  describe('FastAPI out of the box (FASTAPI_DEFAULTS=1)', { skip: missing }, () => {
    it('fails errors.shape with FastAPI\'s {"detail": ...} 404 and 422 bodies as evidence', () => {
      const rules = rulesOf(summary, 'fastapi-defaults');
      const shape = assertFailsWhenImplemented(rules, 'errors.shape');
      assert.ok(shape);
      const bodies = shape.evidence.map((e) => `${e.response?.status} ${e.response?.body ?? ''}`);
      assert.ok(
        bodies.some((b) => /^404 \{"detail":"/.test(b)),
        `a default 404 body among the evidence:\n${bodies.join('\n')}`,
      );
      assert.ok(
        bodies.some((b) => /^422 \{"detail":\[\{"loc":/.test(b)),
        `a default 422 body among the evidence:\n${bodies.join('\n')}`,
      );
      assert.match(shape.message, /envelope/);
    });

    it('fails what else FastAPI gets wrong by default, where those rules are implemented', () => {
      const rules = rulesOf(summary, 'fastapi-defaults');
      assertFailsWhenImplemented(rules, 'errors.validation-details'); // {"detail": [...]}, not error.details
      assertFailsWhenImplemented(rules, 'auth.missing-401'); // HTTPBearer answers a missing token 403
      assertFailsWhenImplemented(rules, 'format.timestamps'); // datetime.utcnow() serialises without an offset
      assert.equal(summary.targets.find((t) => t.name === 'fastapi-defaults')!.counts.failed > 0, true);
    });
  });

  describe('Fastify (examples/fastify-platform, platform profile)', () => {
    it('passes every implemented must rule that applies', () => {
      assertMustRulesPass(rulesOf(summary, 'fastify-platform'));
    });

    it('passes every implemented should rule that applies', () => {
      assertShouldRulesPass(rulesOf(summary, 'fastify-platform'));
    });
  });

  it('no service wrote a traceback or an unhandled error while probed', () => {
    for (const s of services) assert.doesNotMatch(s.output(), /Traceback|Unhandled|FATAL/, `${s.name} output:\n${s.output().slice(-2000)}`);
  });
});
