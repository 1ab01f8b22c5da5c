/**
 * The import directions of the code base, enforced (like Playwright's DEPS.list): a folder
 * may import only the folders listed for it. A new arrow upward, or a new cycle between
 * files, fails here with the import that caused it, before it makes the next change harder.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Top to bottom. Each folder may import itself and the folders listed; nothing else of ours. */
const LAYERS: Readonly<Record<string, readonly string[]>> = {
  'src/cli': [
    'suites',
    'src/runner',
    'src/report',
    'src/harness',
    'src/policy',
    'src/rules',
    'src/probes',
    'src/inputs',
    'src/openapi',
    'src/http',
    'src/config',
    'src/spec',
    'reference',
  ],
  suites: [
    'src/runner',
    'src/harness',
    'src/policy',
    'src/rules',
    'src/probes',
    'src/inputs',
    'src/openapi',
    'src/http',
    'src/config',
    'src/spec',
  ],
  'src/runner': [
    'src/harness',
    'src/policy',
    'src/rules',
    'src/probes',
    'src/inputs',
    'src/openapi',
    'src/http',
    'src/config',
    'src/spec',
    'reference',
  ],
  'src/report': ['src/harness', 'src/policy', 'src/rules', 'src/probes', 'src/inputs', 'src/openapi', 'src/http', 'src/config', 'src/spec'],
  'src/harness': ['src/policy', 'src/rules', 'src/probes', 'src/inputs', 'src/openapi', 'src/http', 'src/config', 'src/spec'],
  'src/policy': ['src/rules', 'src/probes', 'src/inputs', 'src/openapi', 'src/http', 'src/config', 'src/spec'],
  'src/rules': ['src/probes', 'src/inputs', 'src/openapi', 'src/http', 'src/config', 'src/spec'],
  'src/probes': ['src/inputs', 'src/openapi', 'src/http', 'src/config', 'src/spec'],
  // The generator is pure: it reads schemas, sends nothing.
  'src/inputs': [],
  'src/openapi': ['src/http', 'src/config', 'src/spec'],
  'src/http': ['src/config', 'src/spec'],
  'src/config': ['src/spec'],
  'src/spec': [],
  // The reference API is a separate service: it shares the words, never the harness.
  reference: ['src/spec'],
};

interface Import {
  readonly from: string;
  readonly to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): Import[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map(
    (match) => match[1] ?? '',
  );
  const dynamic = [...text.matchAll(/import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)].map((match) => match[1] ?? '');
  return [...specifiers, ...dynamic].map((specifier) => ({ from: file, to: relative(ROOT, resolve(ROOT, dirname(file), specifier)) }));
}

function folderOf(file: string): string | undefined {
  return Object.keys(LAYERS)
    .filter((folder) => file === folder || file.startsWith(`${folder}/`))
    .sort((a, b) => b.length - a.length)[0];
}

const FILES = Object.keys(LAYERS).flatMap(sourceFiles);
const IMPORTS = FILES.flatMap(importsOf);

test('every folder imports only the folders below it', () => {
  const violations = IMPORTS.flatMap(({ from, to }) => {
    const source = folderOf(from);
    const target = folderOf(to);
    if (source === undefined || target === undefined || source === target) return [];
    return LAYERS[source]?.includes(target)
      ? []
      : [`${from} → ${to} (${source} may import: ${LAYERS[source]?.join(', ') || 'nothing of ours'})`];
  });
  assert.deepEqual(violations, []);
});

test('no file imports itself back through a cycle', () => {
  const edges = new Map<string, string[]>();
  for (const { from, to } of IMPORTS) edges.set(from, [...(edges.get(from) ?? []), to]);
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    trail.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...trail.slice(trail.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    trail.pop();
    state.set(file, 'done');
  };
  for (const file of FILES) if (!state.has(file)) visit(file);
  assert.deepEqual(cycles, []);
});

test('checks stay pure: nothing under src/rules reads files, starts processes or opens sockets', () => {
  const impure = FILES.filter((file) => file.startsWith('src/rules/')).filter((file) =>
    /from\s+['"](?:node:)?(?:fs|fs\/promises|child_process|net|http|https)['"]|from\s+['"](?:undici|playwright|@playwright\/test)['"]/.test(
      readFileSync(join(ROOT, file), 'utf8'),
    ),
  );
  assert.deepEqual(impure, []);
});

test('the direction check sees an upward import when one is added', () => {
  const upward = { from: 'src/http/client.ts', to: 'src/rules/registry.ts' };
  const source = folderOf(upward.from) ?? '';
  assert.equal(LAYERS[source]?.includes(folderOf(upward.to) ?? ''), false);
});
