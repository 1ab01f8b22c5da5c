/**
 * Real third-party services the field self-tests point the harness at. Each launcher starts
 * the service on 127.0.0.1 on a free port and returns { baseUrl, stop() } once it answers.
 *
 * - json-server 0.17 (a popular fake REST API) over a db.json shaped like JSONPlaceholder:
 *   bare JSON arrays, Express's HTML error pages.
 * - Prism (`prism mock`) serving GitHub's official OpenAPI description (@octokit/openapi,
 *   api.github.com.json, 13 MB), behind a node:http proxy that serves the document at
 *   /openapi.json (streamed from the file) and forwards everything else to Prism.
 * - A FastAPI app as people write it from the tutorial (Debian python3-fastapi,
 *   python3-uvicorn): a Pydantic model, list/create/item/update/delete, FastAPI's own
 *   /openapi.json and /docs.
 *
 * The services come from tests/field/node_modules (tests/field/install.mjs), never from the
 * harness's own dependencies.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIELD_DIR = dirname(fileURLToPath(import.meta.url));
export const FIELD_MODULES = join(FIELD_DIR, 'node_modules');
export const GITHUB_OPENAPI = join(FIELD_MODULES, '@octokit', 'openapi', 'generated', 'api.github.com.json');

export type ServiceName = 'json-server' | 'prism-github' | 'fastapi';
export const SERVICES: readonly ServiceName[] = ['json-server', 'prism-github', 'fastapi'];

export interface Service {
  readonly name: ServiceName;
  readonly baseUrl: string;
  /** pids of the processes the service runs in (for memory sampling); the proxy runs in-process */
  readonly pids: () => number[];
  /** ms from spawn until the service answered */
  readonly startMs: number;
  /** what the launcher wants the run's notes to say (e.g. the size of the served document) */
  readonly notes: string[];
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createNetServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls url until any HTTP answer (or throws with the child's output after timeoutMs). */
async function waitForHttp(url: string, child: ChildProcess, output: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${url}: the service exited (${child.exitCode ?? child.signalCode}) before answering:\n${output().slice(-2000)}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) throw new Error(`${url}: no answer within ${timeoutMs} ms:\n${output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

function spawnService(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: stop() ends the service and whatever it spawned
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString('utf8');
    if (out.length > 64_000) out = out.slice(-32_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { child, output: () => out };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    /* already gone */
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* gone */
    }
  }, 3000);
  await exited;
  clearTimeout(timer);
}

/** The pids of the service's process group (the child and anything it spawned). */
function groupPids(child: ChildProcess): () => number[] {
  return () => (child.pid === undefined ? [] : [child.pid]);
}

function requireModules(): void {
  if (!existsSync(join(FIELD_MODULES, '.installed'))) {
    throw new Error(`field services are not installed: run \`node tests/field/install.mjs\` (installs into ${FIELD_MODULES})`);
  }
}

// ---------------------------------------------------------------------------------------------
// json-server 0.17

/** A JSONPlaceholder-like database: several collections, posts with 111 items. Deterministic. */
export function jsonServerDb(): Record<string, unknown> {
  const words = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit', 'sed', 'do', 'eiusmod', 'tempor'];
  const text = (n: number, k: number) => Array.from({ length: k }, (_, i) => words[(n * 7 + i * 3) % words.length]).join(' ');
  const users = Array.from({ length: 10 }, (_, i) => ({
    id: i + 1,
    name: `User ${i + 1}`,
    username: `user${i + 1}`,
    email: `user${i + 1}@example.com`,
    address: { street: `${i + 1} Main St`, city: 'Springfield', zipcode: `0${1000 + i}` },
    company: { name: `Company ${i + 1}`, catchPhrase: text(i, 4) },
  }));
  const posts = Array.from({ length: 111 }, (_, i) => ({ id: i + 1, userId: (i % 10) + 1, title: text(i, 5), body: text(i + 1, 20) }));
  const comments = Array.from({ length: 250 }, (_, i) => ({
    id: i + 1,
    postId: (i % 111) + 1,
    name: text(i + 2, 4),
    email: `commenter${i + 1}@example.org`,
    body: text(i + 3, 15),
  }));
  const albums = Array.from({ length: 30 }, (_, i) => ({ id: i + 1, userId: (i % 10) + 1, title: text(i + 4, 3) }));
  const todos = Array.from({ length: 60 }, (_, i) => ({ id: i + 1, userId: (i % 10) + 1, title: text(i + 5, 4), completed: i % 3 === 0 }));
  return { posts, comments, users, albums, todos, profile: { name: 'typicode' } };
}

export async function startJsonServer(): Promise<Service> {
  requireModules();
  const dir = mkdtempSync(join(tmpdir(), 'field-json-server-'));
  const db = join(dir, 'db.json');
  writeFileSync(db, JSON.stringify(jsonServerDb(), null, 2));
  const port = await freePort();
  const bin = join(FIELD_MODULES, 'json-server', 'lib', 'cli', 'bin.js');
  const t0 = performance.now();
  const { child, output } = spawnService(process.execPath, [bin, db, '--host', '127.0.0.1', '--port', String(port), '--quiet'], {
    cwd: dir,
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${baseUrl}/profile`, child, output, 30_000);
  } catch (e) {
    await stopChild(child);
    throw e;
  }
  return {
    name: 'json-server',
    baseUrl,
    pids: groupPids(child),
    startMs: Math.round(performance.now() - t0),
    notes: [`json-server 0.17 on ${db}`],
    async stop() {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Prism serving GitHub's OpenAPI description, behind a proxy that serves /openapi.json

export async function startPrismGithub(opts: { document?: string } = {}): Promise<Service> {
  requireModules();
  const doc = opts.document ?? GITHUB_OPENAPI;
  const docBytes = statSync(doc).size;
  const prismPort = await freePort();
  const bin = join(FIELD_MODULES, '@stoplight', 'prism-cli', 'dist', 'index.js');
  const t0 = performance.now();
  const { child, output } = spawnService(process.execPath, [bin, 'mock', '-h', '127.0.0.1', '-p', String(prismPort), doc], {
    cwd: FIELD_DIR,
  });
  const prismUrl = `http://127.0.0.1:${prismPort}`;
  try {
    // Prism answers only once the whole document is dereferenced; any HTTP answer means ready.
    await waitForHttp(`${prismUrl}/`, child, output, 180_000);
  } catch (e) {
    await stopChild(child);
    throw e;
  }
  const startMs = Math.round(performance.now() - t0);

  const proxy: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/openapi.json' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(docBytes) });
      if (req.method === 'HEAD') return void res.end();
      createReadStream(doc).pipe(res);
      return;
    }
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: prismPort,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: `127.0.0.1:${prismPort}` },
      },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${e.message}`);
    });
    req.pipe(upstream);
  });
  const port = await new Promise<number>((resolve) =>
    proxy.listen(0, '127.0.0.1', () => resolve((proxy.address() as { port: number }).port)),
  );
  return {
    name: 'prism-github',
    baseUrl: `http://127.0.0.1:${port}`,
    pids: groupPids(child),
    startMs,
    notes: [`Prism 5.14.2 mock of ${doc} (${(docBytes / 1e6).toFixed(1)} MB); proxy on :${port} → :${prismPort}`],
    async stop() {
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
      await stopChild(child);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// FastAPI: a typical tutorial-style app (Debian python3-fastapi + python3-uvicorn)

export const FASTAPI_APP = join(FIELD_DIR, 'fastapi_app');

/** The first python3 that can import fastapi and uvicorn, or undefined. */
export function fastapiPython(): string | undefined {
  const candidates = [process.env.FIELD_PYTHON, '/usr/bin/python3', 'python3'].filter((c): c is string => !!c);
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import fastapi, uvicorn'], { stdio: 'ignore', timeout: 15_000 });
    if (r.status === 0) return py;
  }
  return undefined;
}

export async function startFastapi(): Promise<Service> {
  const py = fastapiPython();
  if (!py) throw new Error('no python3 with fastapi and uvicorn: apt-get install -y python3-fastapi python3-uvicorn (or set FIELD_PYTHON)');
  const port = await freePort();
  const t0 = performance.now();
  const { child, output } = spawnService(
    py,
    ['-m', 'uvicorn', 'main:app', '--app-dir', FASTAPI_APP, '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'],
    { cwd: FASTAPI_APP, env: { PYTHONDONTWRITEBYTECODE: '1' } },
  );
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${baseUrl}/openapi.json`, child, output, 30_000);
  } catch (e) {
    await stopChild(child);
    throw e;
  }
  return {
    name: 'fastapi',
    baseUrl,
    pids: groupPids(child),
    startMs: Math.round(performance.now() - t0),
    notes: [`FastAPI app ${join(FASTAPI_APP, 'main.py')} under uvicorn (${py})`],
    async stop() {
      await stopChild(child);
    },
  };
}

export function startService(name: ServiceName): Promise<Service> {
  switch (name) {
    case 'json-server':
      return startJsonServer();
    case 'prism-github':
      return startPrismGithub();
    case 'fastapi':
      return startFastapi();
  }
}
